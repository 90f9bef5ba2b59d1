"""`python -m essaimage`."""

from .cli import main

main()
