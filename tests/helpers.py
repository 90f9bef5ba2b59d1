"""Helpers shared by the tests: the reference descriptor, file trees, running the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from essaimage.cli import app
from essaimage.findings import CheckResult
from essaimage.pipeline import FileCheck, check_files
from essaimage.repository import collect_files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

BASE = (FIXTURES / "regles" / "base.yaml").read_text(encoding="utf-8")
"""A descriptor on which no deployability rule fires (readiness 10/10)."""
NO_LICENCE = BASE.replace("\nlicence: CC-BY-SA-4.0\n", "\n", 1)
"""The same without licence: one warning (D803)."""

runner = CliRunner()


def invoke(*args: str) -> Result:
    """The command line, in-process, as a user types it (exceptions are not hidden)."""
    return runner.invoke(app, list(args), catch_exceptions=False)


def validate(*args: str) -> Result:
    """`essaimage validate ARGS…`, in-process."""
    return invoke("validate", *args)


def check_paths(arguments: list[str]) -> tuple[CheckResult, list[FileCheck]]:
    """Check the files that paths, folders or globs name, as `essaimage validate` does."""
    return check_files(collect_files(arguments))


def build_file_tree(root: Path, tree: dict[str, str | None]) -> Path:
    """Write files under `root` from {relative path: text}; a path ending with / (text None) is a
    folder. Like copier's test helper: a repository for a test in a few lines."""
    for relative, text in tree.items():
        path = root / relative
        if relative.endswith("/") or text is None:
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """The real check-jsonschema on `files` (skips when the test extras are not installed)."""
    executable = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    if not Path(executable).exists() and shutil.which("check-jsonschema") is None:
        pytest.skip("check-jsonschema est dans les extras de test : pip install -e '.[test]'")
    return subprocess.run(
        [executable, "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True
    )
