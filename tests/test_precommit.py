"""The real pre-commit, using this project as its hook repository, on a throw-away git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import BASE

pytestmark = pytest.mark.slow


def git(*args, cwd):
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def project_revision():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip(
            "le projet n'est pas un dépôt git : pre-commit ne peut pas le prendre comme dépôt de crochets"
        )
    if (
        shutil.which("pre-commit") is None
        and not (Path(sys.executable).parent / "pre-commit").exists()
    ):
        pytest.skip("pre-commit est dans les extras de test : pip install -e '.[test]'")
    return git("rev-parse", "HEAD", cwd=ROOT).strip()


def test_real_pre_commit_passes_a_valid_repository_and_fails_a_broken_one(
    tmp_path, project_revision
):
    repo = tmp_path / "depot"
    (repo / "innovations").mkdir(parents=True)
    (repo / "innovations" / "atelier.yaml").write_text(BASE, encoding="utf-8")
    (repo / "autre.yml").write_text(
        "pas: un descripteur\n", encoding="utf-8"
    )  # not matched by the hook
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {ROOT.as_posix()}\n"
        f"    rev: {project_revision}\n"
        "    hooks:\n"
        "      - id: essaimage-validate\n",
        encoding="utf-8",
    )
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    command = [str(Path(sys.executable).parent / "pre-commit"), "run", "--all-files"]
    if not Path(command[0]).exists():
        command[0] = "pre-commit"

    passes_then_fails(repo, command, env)


def passes_then_fails(repo: Path, command: list[str], env: dict[str, str]) -> None:
    """pre-commit passes the repository's valid descriptor, then fails it once broken."""
    passed = subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "essaimage validate" in passed.stdout and "Passed" in passed.stdout
    (repo / "innovations" / "atelier.yaml").write_text(
        BASE.replace("      etp: 0,5", "      etp: -1"), encoding="utf-8"
    )
    git("add", "-A", cwd=repo)
    failed = subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "innovations/atelier.yaml:41:12: erreur[S106]" in failed.stdout


def readme_local_hook() -> str:
    """The README's `repo: local` configuration, as a user copies it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "# .pre-commit-config.yaml du dépôt de descripteurs (essaimage installé)\n"
    start = readme.index(marker)
    return readme[start : readme.index("```", start)]


def test_the_readme_local_hook_works_as_written(tmp_path):
    """Issue 12: the README's pre-commit snippet runs as written, with the essaimage installed
    in the environment (here, the tests' own)."""
    if shutil.which("git") is None:
        pytest.skip("git est nécessaire à pre-commit")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit est dans les extras de test : pip install -e '.[test]'")
    repo = tmp_path / "depot"
    (repo / "innovations").mkdir(parents=True)
    (repo / "innovations" / "atelier.yaml").write_text(BASE, encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(readme_local_hook(), encoding="utf-8")
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
    }
    passes_then_fails(repo, [str(pre_commit), "run", "--all-files"], env)
