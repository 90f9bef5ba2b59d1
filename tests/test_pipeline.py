"""Data-driven checks: every invalid fixture states the findings it must produce (code and line)."""

from __future__ import annotations

import os
import re

import pytest

from conftest import FIXTURES
from essaimage.check.pipeline import check_file
from essaimage.findings import Severity

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


def _catalogue(folder, count):
    """A repository of `count` valid descriptors: the examples under new ids."""
    import shutil

    from helpers import EXAMPLES

    shutil.copytree(EXAMPLES / "innovations" / "ressources", folder / "innovations" / "ressources")
    (folder / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    sources = sorted((EXAMPLES / "innovations").glob("*.yaml"))
    files = []
    for index in range(count):
        source = sources[index % len(sources)]
        text = source.read_text(encoding="utf-8")
        target = folder / "innovations" / f"{source.stem}-{index}.yaml"
        target.write_text(re.sub(r"(?m)^id: .*$", f"id: {source.stem}-{index}", text, count=1))
        files.append(target)
    return files


def test_a_validate_run_keeps_only_the_findings_of_each_file(tmp_path):
    """Issue 13: memory must not grow with the repository. Once a file is checked, its tree,
    model and text are dropped; what stays per file (findings, identity, score) is a few KiB,
    against ~200 KiB when everything is kept."""
    import gc
    import tracemalloc

    from essaimage.check.pipeline import check_files

    files = _catalogue(tmp_path, 48)
    kept_result, kept = check_files(files, keep=True)
    _, light = check_files(files, keep=False, keep_text=False)
    assert all(c.document is None and c.model is None and c.text is None for c in light)
    assert [c.identity for c in light] == [c.identity for c in kept]
    assert [c.findings for c in light] == [c.findings for c in kept]
    del kept, kept_result, light

    def retained(count: int) -> int:
        gc.collect()
        tracemalloc.start()
        checked = check_files(files[:count], keep=False, keep_text=False)
        gc.collect()
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del checked
        return size

    per_file = (retained(48) - retained(8)) / 40
    assert per_file < 8 * 1024, f"{per_file / 1024:.1f} Kio gardés par fichier"
