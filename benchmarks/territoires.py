"""Time `essaimage territoires` against the start-up of the command line, in the same run.

Usage: python benchmarks/territoires.py [REPEATS]

Each command runs REPEATS times (default 5) as a fresh process; the best time is kept. Issue 10
asks a selection over all communes to cost under 0,3 s beyond start-up (`essaimage --version`)
and compares with `essaimage validate` on one file.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "démarrage (--version)": ["--version"],
    "validate d'un fichier": ["validate", str(ROOT / "examples" / "innovations" / "pedibus.yaml")],
    "recherche par nom": ["territoires", "Saint-Brieuc"],
    "sélection dans une région": [
        "territoires", "--dans", "region:53", "--type", "commune", "--population", "5000-20000",
    ],
    "sélection sur toute la France": [
        "territoires", "--type", "commune", "--population", "5000-20000", "-f", "csv",
    ],
}  # fmt: skip


def best(arguments: list[str], repeats: int) -> float:
    """The best wall time of `essaimage ARGUMENTS` over `repeats` fresh processes."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "essaimage", *arguments], capture_output=True, check=False
        )
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print each command's best time and its ratio to the start-up time."""
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    results = {name: best(arguments, repeats) for name, arguments in COMMANDS.items()}
    startup = results["démarrage (--version)"]
    for name, seconds in results.items():
        print(
            f"{name:32} {seconds:6.3f} s  ×{seconds / startup:4.2f}  (+{seconds - startup:.3f} s)"
        )


if __name__ == "__main__":
    main()
