"""Helpers shared by the tests."""

from __future__ import annotations

from essaimage.findings import CheckResult
from essaimage.pipeline import FileCheck, check_files
from essaimage.repository import collect_files


def check_paths(arguments: list[str]) -> tuple[CheckResult, list[FileCheck]]:
    """Check the files that paths, folders or globs name, as `essaimage validate` does."""
    return check_files(collect_files(arguments))
