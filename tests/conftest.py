"""Shared fixtures: a fresh repository cache for every test, and the repositories tests work in."""

from __future__ import annotations

import shutil
import textwrap

import pytest

from essaimage.check import repository
from essaimage.files.discovery import name_configuration
from essaimage.render import office as bureautique
from essaimage.render import pdf
from helpers import BASE, EXAMPLES, FIXTURES, NO_LICENCE, ROOT, build_file_tree, invoke

__all__ = ["EXAMPLES", "FIXTURES", "ROOT"]


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch):
    """Kits carry no date unless a test asks for one."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(autouse=True)
def _own_pdf_cache(tmp_path_factory, monkeypatch):
    """The site's PDF cache ($XDG_CACHE_HOME/essaimage/pdf) is each test's own, never the
    user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _documents_only_when_asked(request, monkeypatch):
    """`tout` and the site make PDFs where WeasyPrint is installed (about half a second each),
    and `tout` ODT and DOCX where pandoc is: tests see them as absent, except those marked `pdf`
    (tests/test_pdf.py) or `bureautique` (tests/test_bureautique.py)."""
    if request.node.get_closest_marker("pdf") is None:
        monkeypatch.setattr(pdf, "missing", lambda: "WeasyPrint écarté pour ce test")
    if request.node.get_closest_marker("bureautique") is None:
        monkeypatch.setattr(bureautique, "missing", lambda: "pandoc écarté pour ce test")


@pytest.fixture(autouse=True)
def _fresh_repository_cache(monkeypatch):
    """Each test sees the configurations and folders as they are on disk when it runs, and no
    configuration named by --config or ESSAIMAGE_CONFIG."""
    monkeypatch.delenv("ESSAIMAGE_CONFIG", raising=False)
    name_configuration(None)
    repository.clear_cache()
    yield
    name_configuration(None)
    repository.clear_cache()


@pytest.fixture
def broken_repo(tmp_path, monkeypatch):
    """A repository with one invalid descriptor, one with warnings, a duplicate id and a profile."""
    broken = (
        BASE.replace("id: atelier-velo", "id: atelier-casse")
        .replace("      etp: 0,5", "      etp: -1")
        .replace("nom: Atelier vélo solidaire", "nomm: Atelier vélo")
    )
    profile = textwrap.dedent("""\
        essaimage: 1
        territoire: {nom: Bourg, type: commune}
        projets:
          atelier-velos: {beneficiaires: 10}
          atelier-velo:
            choix: {horaire: soirs}
        """)
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\n",
            "innovations/atelier.yaml": BASE,
            "innovations/copie.yaml": NO_LICENCE,
            "innovations/casse.yaml": broken,
            "territoires/bourg.yaml": profile,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def examples_repo(tmp_path, monkeypatch):
    """A copy of examples/ as a git repository, the current folder."""
    repo = tmp_path / "depot"
    shutil.copytree(EXAMPLES, repo)
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory):
    """The editor schema, as `essaimage schema` writes it."""
    path = tmp_path_factory.mktemp("schema") / "essaimage.schema.json"
    result = invoke("schema")
    assert result.exit_code == 0
    path.write_text(result.stdout, encoding="utf-8")
    return path
