"""Views of a check result: text, JSON, GitHub, GitLab, JUnit, SARIF. Imports `plan` and
below."""
