"""What one kit computes for one territory: the target, its size, the chosen options, the means
scaled, the budget year by year, the funding, the prerequisites' verdicts, and `prepare`.
Imports `check` and below."""
