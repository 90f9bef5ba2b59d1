"""ruff keeps the code linted and formatted, mypy keeps it typed; the suite fails when not."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

PATHS = ["src", "tests", "scripts"]


def ruff(*args):
    executable = shutil.which("ruff")
    command = [executable] if executable else [sys.executable, "-m", "ruff"]
    return subprocess.run([*command, *args, *PATHS], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module", autouse=True)
def _ruff_installed():
    pytest.importorskip(
        "ruff", reason="ruff est dans les extras de test : pip install -e '.[test]'"
    )


def test_ruff_check():
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_error():
    """mypy with the pydantic plugin, configured in pyproject.toml (strict on definitions)."""
    pytest.importorskip(
        "mypy", reason="mypy est dans les extras de test : pip install -e '.[test]'"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
