"""`essaimage editer` in a real browser (issue 25): headless Chromium, driven by playwright-core
(tests/navigateur/editeur.mjs), on the editor the command starts for a copy of the examples'
Pédibus. The token becomes a cookie; a finding typed appears beside its field and in the
summary, then goes, while the field keeps its focus, its node and its value; the summary's links
lead to their fields; the whole form is used with the keyboard; the preview shows the kit;
saving changes only the edited line; a conflict asks before writing; without JavaScript
« Vérifier » still works; axe-core finds no WCAG 2.1 A or AA violation in any of these pages;
no request leaves 127.0.0.1.

Chromium is found by $CHROMIUM, else on the PATH; playwright-core and axe-core in the node_modules
folder that $ESSAIMAGE_PLAYWRIGHT names (.ci/run installs them). Skipped, saying why, where one
is missing."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import EXAMPLES

SCRIPT = Path(__file__).parent / "navigateur" / "editeur.mjs"
EDITED = "innovations/pedibus.yaml"
# every state of the page the script checks with axe-core
STATES = ["initial", "constats", "enregistre", "conflit", "sans-script", "refus", "apercu"]


def _chromium() -> str | None:
    found = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    return found if found and Path(found).is_file() else None


def _node_modules() -> str | None:
    folder = os.environ.get("ESSAIMAGE_PLAYWRIGHT")
    if not folder:
        return None
    needed = ("playwright-core/package.json", "axe-core/axe.min.js")
    return folder if all((Path(folder) / name).is_file() for name in needed) else None


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js absent : le test de l'éditeur dans un vrai navigateur est sauté"
    if _chromium() is None:
        return (
            "Chromium absent (paquet Debian chromium, ou CHROMIUM) : le test de l'éditeur dans "
            "un vrai navigateur est sauté"
        )
    if _node_modules() is None:
        return (
            "playwright-core ou axe-core absent (.ci/run les installe avec npm ; sinon "
            "ESSAIMAGE_PLAYWRIGHT, le dossier node_modules qui les contient) : le test de "
            "l'éditeur dans un vrai navigateur est sauté"
        )
    return None


pytestmark = [
    pytest.mark.navigateur,
    pytest.mark.skipif(_missing() is not None, reason=_missing() or ""),
]


@dataclass
class Run:
    """What the browser saw, and the repository it edited."""

    results: dict[str, Any]
    repo: Path
    pages: Path
    address: str

    def step(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.results["steps"][name]
        assert "error" not in found, found.get("error")
        return found


def _address(process: subprocess.Popen[str]) -> str:
    """The address line `essaimage editer` prints, read from its output."""
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if line.startswith("http://127.0.0.1:") and "?jeton=" in line:
            return line.strip()
    raise AssertionError(f"pas d'adresse dans la sortie d'essaimage editer : {''.join(seen)}")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """`essaimage editer --sans-navigateur --port 0` on a copy of the examples, driven once by
    the browser script (its steps depend on each other: save, then conflict, then lists)."""
    base = tmp_path_factory.mktemp("editeur")
    repo = base / "depot"
    shutil.copytree(EXAMPLES, repo)
    (repo / ".git").mkdir()
    pages = base / "pages"
    pages.mkdir()
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "essaimage", "editer", EDITED, "--sans-navigateur"]
    process = subprocess.Popen(
        [*command, "--port", "0"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=environment,
    )
    try:
        address = _address(process)
        done = subprocess.run(
            ["node", str(SCRIPT), address, str(repo / EDITED), str(pages)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            env={
                **os.environ,
                "CHROMIUM": _chromium() or "",
                "ESSAIMAGE_PLAYWRIGHT": _node_modules() or "",
            },
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    return Run(json.loads(done.stdout), repo, pages, address)


def test_the_token_becomes_a_cookie_and_the_page_reloads(run: Run) -> None:
    seen = run.step("jeton")
    port = run.address.split(":")[2].split("/")[0]
    assert seen["status"] == 200 and seen["url"] == f"http://127.0.0.1:{port}/"  # no token left
    assert seen["cookies"] == [
        {"name": "essaimage_editeur", "httpOnly": True, "sameSite": "Strict"}
    ]
    assert seen["reloadStatus"] == 200 and seen["reloadHasForm"]
    assert seen["title"] == (
        "Fiche d’innovation «\u00a0Pédibus, le ramassage scolaire à pied\u00a0» – éditeur essaimage"
    )
    refused = run.step("refus")  # another browser, without the cookie, and the token again
    assert refused == {"status": 403, "h1": "Accès refusé", "tokenAgain": 403}


def test_a_finding_typed_shows_beside_the_field_and_in_the_summary_then_goes(run: Run) -> None:
    typed = run.step("saisie")
    shown = typed["shown"]
    assert "champ obligatoire «\u00a0nom\u00a0» manquant" in shown["beside"]
    assert shown["beside"].startswith("Erreur\u00a0:")
    assert "champ obligatoire «\u00a0nom\u00a0» manquant" in shown["summary"]
    assert shown["summary"].startswith("1\u00a0erreur.")
    assert shown["summaryLive"] == "polite" and shown["invalid"] == "true"
    after = typed["after"]
    assert after["beside"] == "" and after["invalid"] is None
    assert "nom" not in after["summary"] and "erreur" not in after["summary"]


def test_the_field_typed_in_keeps_its_focus_node_and_value(run: Run) -> None:
    typed = run.step("saisie")
    assert typed["shown"]["focus"] == "f-nom" and typed["shown"]["value"] == ""
    after = typed["after"]
    assert after["focus"] == "f-nom"
    assert after["value"] == "Pédibus des écoles"  # typed letter by letter, across the checks
    assert after["sameNode"]  # never rebuilt
    assert after["caret"] == len("Pédibus des écoles")
    assert typed["summaryMutations"] == 0  # the same findings: the live region left alone


def test_a_bad_number_is_found_and_the_summary_link_leads_to_its_field(run: Run) -> None:
    number = run.step("nombre")
    assert "«\u00a0beaucoup\u00a0» n’est pas un nombre" in number["beside"]
    assert number["badgeWith"] == "1\u00a0problème"  # the folded section's badge, live
    assert number["badgeAfter"] == ""
    assert number["foldedBefore"] and number["links"] == 1
    assert number["openAfterLink"]  # the folded section opened
    assert number["focusAfterLink"] == "f-moyens.humains.0.etp"
    assert number["after"] == ""  # the number put back, the finding is gone


def test_tab_reaches_every_control_shown_in_order(run: Run) -> None:
    tabbing = run.step("tabulation")
    expected, reached = tabbing["expected"], tabbing["reached"]
    assert len(expected) > 40
    assert reached == expected
    assert tabbing["unmarked"] == []  # each control shows it has the focus (WCAG 2.4.7)
    for control in ("button:verifier", "button:enregistrer", "f-nom", "territoire"):
        assert control in reached


def test_nothing_scrolls_sideways_at_320_px(run: Run) -> None:
    narrow = run.step("etroit")
    assert narrow["opened"] >= 10  # every section open
    assert narrow["scrollWidth"] <= 320 and narrow["wide"] == []


def test_sections_open_and_close(run: Run) -> None:
    assert run.step("sections") == {
        "before": False,
        "afterEnter": True,
        "afterSpace": False,
        "afterClick": True,
        "afterSecondClick": False,
    }


def test_the_list_buttons_work_with_the_keyboard(run: Run) -> None:
    lists = run.step("listes")
    before = lists["before"]
    assert len(before) >= 2
    assert lists["down"] == [before[1], before[0], *before[2:]]  # Descendre, with Enter
    assert lists["up"] == before  # Monter, with Space
    assert lists["added"] == [*before, ""]  # Ajouter
    assert lists["focusAfterAdd"] == f"f-secteurs.{len(before)}"  # the new item's field
    assert lists["removed"] == before  # Retirer


def test_the_preview_shows_the_kit_for_the_territory_chosen(run: Run) -> None:
    preview = run.step("apercu")
    assert preview["sandbox"] == ""  # sandboxed, nothing allowed
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(preview["url"]).query)
    assert query["territoire"] == ["lannion.yaml"]
    assert preview["h1"] == "Pédibus des écoles"  # the draft, not the file on disk
    assert "Lannion" in preview["text"]
    assert preview["scripts"] == 0
    assert run.step("apercu-axe") == {"status": 200, "h1": "Pédibus des écoles"}  # checked by axe
    assert preview["tabInto"] == {"frame": "iframe#cadre-apercu", "inside": "a"}


def test_saving_changes_only_the_edited_line(run: Run) -> None:
    saved = run.step("enregistrer")
    assert saved["status"] == "Enregistré dans innovations/pedibus.yaml."
    assert run.step("apres-enregistrement")["status"] == ""  # typing again: no stale « Enregistré »
    before = (EXAMPLES / EDITED).read_text(encoding="utf-8").splitlines(keepends=True)
    after = (run.repo / EDITED).read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [
        line
        for line in difflib.unified_diff(before, after, n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    # the name saved, and the line the conflict step added on disk; nothing else (the comments
    # kept, the conflict and the list steps wrote nothing)
    comments = [line for line in before if line.lstrip().startswith("#")]
    assert len(comments) > 20 and all(line in after for line in comments)
    assert changed == [
        "-nom: Pédibus, le ramassage scolaire à pied\n",
        "+nom: Pédibus des écoles\n",
        "+# ajouté ailleurs\n",
    ]


def test_a_conflict_asks_instead_of_overwriting(run: Run) -> None:
    conflict = run.step("conflit")
    prompt = conflict["prompt"]
    assert prompt["status"].startswith("innovations/pedibus.yaml a changé sur le disque")
    assert prompt["overwrite"] == 1 and prompt["reload"] == 1
    assert prompt["statusWhileTyping"] == prompt["status"]
    assert prompt["fileEnd"].endswith("# ajouté ailleurs\n")  # nothing written
    reloaded = conflict["afterReload"]
    assert reloaded["status"].startswith("Fichier relu depuis le disque")
    assert reloaded["accroche"].startswith("Des lignes à pied")
    assert reloaded["buttons"] == 0


def test_without_javascript_verifier_shows_the_findings(run: Run) -> None:
    plain = run.step("sans-script")
    assert plain["status"] == 200
    assert "champ obligatoire «\u00a0nom\u00a0» manquant" in plain["beside"]
    assert "champ obligatoire «\u00a0nom\u00a0» manquant" in plain["summary"]
    assert plain["invalid"] == "true"


@pytest.mark.parametrize("state", STATES)
def test_axe_finds_no_wcag_violation(run: Run, state: str) -> None:
    checked = run.results["axe"][state]
    assert checked["passes"] >= (5 if state == "refus" else 10)  # axe did run its rules
    assert checked["violations"] == [], json.dumps(
        checked["violations"], ensure_ascii=False, indent=1
    )


def test_no_request_leaves_the_loopback(run: Run) -> None:
    requests = run.results["requests"]
    assert len(requests) > 20
    assert {r["context"] for r in requests} >= {"avec-script", "sans-script", "sans-cookie"}
    assert run.results["outside"] == []
    assert all(r["url"].startswith("http://127.0.0.1:") for r in requests)
    assert any("/verifier" in r["url"] for r in requests)  # the checks as typed were seen
    assert run.results["dialogs"] == []
