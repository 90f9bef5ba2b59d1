"""The built wheel, installed in a fresh virtual environment, renders the same kit as the sources.

Editable installs hide missing package data (templates, territory reference); this test does not.
It builds the wheel with pip and installs it with its dependencies from the package index.
"""

from __future__ import annotations

import subprocess
import sys
import venv

import pytest

from conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden" / "pedibus"

pytestmark = pytest.mark.slow


def run(*args, cwd=None):
    result = subprocess.run(args, capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_wheel_in_a_fresh_venv_renders_a_kit(tmp_path):
    dist = tmp_path / "dist"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(dist),
        str(ROOT),
    )
    [wheel] = list(dist.glob("essaimage-*.whl"))

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    run(str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel))

    out = tmp_path / "kits"
    run(
        str(bin_dir / "essaimage"), "kit", str(EXAMPLES / "innovations" / "pedibus.yaml"),
        "--territoire", "saint-brieuc", "-o", str(out), cwd=tmp_path,
    )  # fmt: skip
    for name in ("saint-brieuc.md", "saint-brieuc.html"):
        assert (out / "pedibus" / name).read_bytes() == (GOLDEN / name).read_bytes()

    official = run(str(bin_dir / "python"), "-m", "essaimage", "kit",
                   str(EXAMPLES / "innovations" / "repair-cafe.yaml"), "-t", "Quimper", "-o", str(out))  # fmt: skip
    assert "repair-cafe/quimper-29232.html" in official.stdout


def test_the_sdist_holds_what_its_tests_need(tmp_path):
    """An unpacked sdist runs its own tests: docs, hook definition, licence and changelog are in."""
    import tarfile

    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o", str(dist), str(ROOT))
    [sdist] = list(dist.glob("essaimage-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    [source] = list((tmp_path / "unpacked").iterdir())
    for needed in ("LICENSE", "CHANGELOG.md", ".pre-commit-hooks.yaml", "docs/regles.md",
                   "docs/validation.schema.json", ".ci/floors.txt", "tests/data"):  # fmt: skip
        assert (source / needed).exists(), needed
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_rules.py::test_reference_page_is_generated_from_the_definitions",
         "tests/test_models.py::test_field_reference_page_is_generated_from_the_models",
         "tests/test_reporters.py::test_json_output_follows_its_published_schema_with_paths_from_the_root"],
        cwd=source, capture_output=True, text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(source / "src")},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "3 passed" in result.stdout
