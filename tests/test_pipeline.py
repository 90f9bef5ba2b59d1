"""Data-driven checks: every invalid fixture states the findings it must produce (code and line)."""

from __future__ import annotations

import os
import re

import pytest

from conftest import FIXTURES
from essaimage.findings import Severity
from essaimage.pipeline import check_file

INVALID = sorted((FIXTURES / "invalides").glob("*.yaml"))
EXPECTED = re.compile(rb"^# attendu: ([A-Z]\d{3}) ligne (\d+)$", re.M)


def expected_findings(path):
    """The (code, line) pairs written in the fixture's header comments."""
    return sorted((code.decode(), int(line)) for code, line in EXPECTED.findall(path.read_bytes()))


def test_enough_invalid_fixtures():
    assert len(INVALID) >= 25


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_reports_exactly_what_it_states(path):
    expected = expected_findings(path)
    assert expected, f"{path.name} states no expected finding"
    checked = check_file(path)
    got = sorted((f.code, f.line) for f in checked.findings)
    assert got == expected, "\n".join(
        f"{f.line}:{f.column} {f.code} {f.message}" for f in checked.findings
    )
    for finding in checked.findings:
        assert finding.severity is Severity.ERREUR
        assert finding.column >= 1 and finding.message
        assert finding.file.endswith(path.name)
    assert checked.model is None


def test_messages_of_the_invalid_fixtures_are_those_of_the_golden_file(monkeypatch):
    """Every message, with its column: a change in wording or position is a choice, seen here."""
    from helpers import validate

    monkeypatch.chdir(FIXTURES.parent.parent)
    output = validate("tests/fixtures/invalides", "--sans-contexte").stdout
    golden = FIXTURES.parent / "golden" / "invalides.txt"
    if os.environ.get("ESSAIMAGE_REGENERER"):
        golden.write_text(output, encoding="utf-8", newline="\n")
    assert output == golden.read_text(encoding="utf-8"), (
        f"{golden} a changé ; relisez les messages puis régénérez avec ESSAIMAGE_REGENERER=1"
    )
