"""The CI templates of examples/ci/ parse and hold what makes them work on private
repositories, forks and GitLab's images, with least privileges (issue 12)."""

from __future__ import annotations

import yaml

from conftest import EXAMPLES

CI = EXAMPLES / "ci"


def load(name: str) -> dict:
    return yaml.safe_load((CI / name).read_text(encoding="utf-8"))


def test_github_workflow_least_privileges_forks_and_pinned_install():
    workflow = load("github-actions.yml")
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["verifier"]["permissions"] == {
        "contents": "read", "actions": "read", "security-events": "write"
    }  # fmt: skip
    assert jobs["publier"]["permissions"] == {
        "contents": "read", "pages": "write", "id-token": "write"
    }  # fmt: skip
    upload = next(s for s in jobs["verifier"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert "head.repo.full_name == github.repository" in upload["if"]
    assert "always()" not in upload["if"] and upload["continue-on-error"] is True
    # never a bare package name that anyone could register on PyPI
    assert workflow["env"]["ESSAIMAGE_PAQUET"] == ""
    install = next(s for s in jobs["verifier"]["steps"] if s.get("name") == "Installer essaimage")
    assert 'if [ -z "$ESSAIMAGE_PAQUET" ]' in install["run"]


def test_gitlab_pipeline_has_git_for_a_git_install():
    pipeline = load("gitlab-ci.yml")
    image = pipeline["default"]["image"]
    assert image.startswith("python:") and "slim" not in image and "alpine" not in image
    assert pipeline["variables"]["ESSAIMAGE_PAQUET"] == ""
    before = "\n".join(pipeline["default"]["before_script"])
    assert 'if [ -z "$ESSAIMAGE_PAQUET" ]' in before and "pip install" in before
    reports = pipeline["essaimage"]["artifacts"]["reports"]
    assert reports == {"codequality": "gl-code-quality-report.json", "junit": "essaimage-junit.xml"}
