"""The HTML kits, a plan and the site's pages in a real browser at a phone's width (issue 24):
headless Chromium, driven by playwright-core (tests/navigateur/largeur.mjs), at 375 × 800 px (and
320 px, the narrowest phones); neither the page nor any table scrolls sideways.

Chromium is found by $CHROMIUM, else on the PATH; playwright-core in the node_modules folder that
$ESSAIMAGE_PLAYWRIGHT names (.ci/run installs both). Skipped, saying why, where one is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import EXAMPLES, invoke

HEIGHT = 800
SCRIPT = Path(__file__).parent / "navigateur" / "largeur.mjs"
# a commune's profile, an EPCI's profile, a département with a plural name, a région without
# article, a département by its name (the kinds of issue 24)
TERRITORIES = ["saint-brieuc", "redon-agglomeration", "22", "region:53", "Cantal"]


def _chromium() -> str | None:
    found = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    return found if found and Path(found).is_file() else None


def _playwright() -> str | None:
    folder = os.environ.get("ESSAIMAGE_PLAYWRIGHT")
    return (
        folder if folder and (Path(folder) / "playwright-core" / "package.json").is_file() else None
    )


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js absent : le test dans un vrai navigateur est sauté"
    if _chromium() is None:
        return "Chromium absent (paquet Debian chromium, ou CHROMIUM) : le test dans un vrai navigateur est sauté"
    if _playwright() is None:
        return (
            "playwright-core absent (.ci/run l'installe avec npm ; sinon ESSAIMAGE_PLAYWRIGHT, "
            "le dossier node_modules qui le contient) : le test dans un vrai navigateur est sauté"
        )
    return None


pytestmark = [
    pytest.mark.navigateur,
    pytest.mark.skipif(_missing() is not None, reason=_missing() or ""),
]


def measure(pages: list[Path], width: int, tmp_path: Path) -> list[dict]:
    """Each page as the browser lays it out at `width` × HEIGHT: its width, its tables, and those
    (or their frames) that scroll sideways."""
    environment = {
        **os.environ,
        "CHROMIUM": _chromium() or "",
        "ESSAIMAGE_PLAYWRIGHT": _playwright() or "",
    }
    profile = tmp_path / "profil-chromium"  # a fresh profile, thrown away with the test
    done = subprocess.run(
        ["node", str(SCRIPT), str(width), str(HEIGHT), str(profile), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("width", [375, 320])
def test_no_page_nor_table_scrolls_sideways_on_a_phone(examples_repo, tmp_path, width):
    innovations = sorted((EXAMPLES / "innovations").glob("*.yaml"))
    kits = tmp_path / "kits"
    targets = [word for territory in TERRITORIES for word in ("-t", territory)]
    for descriptor in innovations:
        result = invoke("kit", str(descriptor), *targets, "-f", "html", "-o", str(kits))
        assert result.exit_code == 0, result.output
    plans = tmp_path / "plans"
    plan = EXAMPLES / "plans" / "pedibus-bretagne.yaml"
    assert invoke("plan", str(plan), "-f", "html", "-o", str(plans)).exit_code == 0
    site = tmp_path / "site"
    assert invoke("site", "-o", str(site)).exit_code == 0
    pages = [page for d in innovations for page in sorted((kits / d.stem).glob("*.html"))]
    pages += [plans / plan.stem / "plan.html", site / "index.html"]
    pages += sorted((site / "innovations").glob("*.html"))
    assert len(pages) == len(innovations) * (len(TERRITORIES) + 1) + 2

    measured = measure(pages, width, tmp_path)

    assert [Path(page["file"]) for page in measured] == pages
    for page in measured:
        assert page["scrollWidth"] <= width, f"{page['file']} : {page['scrollWidth']} px de large"
        assert page["wide"] == [], f"{page['file']} : tableaux qui défilent de côté"
        assert page["external"] == []
    assert sum(page["tables"] for page in measured) >= 300  # the kits' tables are all there
