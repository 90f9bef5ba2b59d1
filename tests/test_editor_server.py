"""The editor's server without a browser: the token and cookie, the Host and Origin checks, the
security headers, the form submitted as a browser without script does, saving, conflicts, the
malformed file, the preview, and the command line's errors."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from pathlib import Path

import pytest

from essaimage.editor.server import EditorServer, start_in_thread
from essaimage.editor.session import open_session
from helpers import invoke


class Browser:
    """An HTTP client that keeps the editor's cookie, as one browser does."""

    def __init__(self, server: EditorServer) -> None:
        self.server = server
        self.cookie = ""

    def request(self, method: str, url: str, body: str = "", headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        sent = {"Host": f"127.0.0.1:{self.server.port}"}
        if self.cookie:
            sent["Cookie"] = self.cookie
        if body:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        connection.request(method, url, body=body.encode("utf-8"), headers=sent)
        response = connection.getresponse()
        data = response.read().decode("utf-8")
        connection.close()
        return response, data

    def enter(self) -> None:
        token = urllib.parse.urlsplit(self.server.address).query.split("=", 1)[1]
        response, _ = self.request("GET", f"/?jeton={token}")
        assert response.status == 303
        cookie = response.getheader("Set-Cookie")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        self.cookie = cookie.split(";", 1)[0]

    def post(self, fields: dict[str, str], url: str = "/", headers: dict | None = None):
        return self.request("POST", url, urllib.parse.urlencode(fields), headers)


def form_of(html: str) -> dict[str, str]:
    """The values a browser would submit from the page's form (inputs, text areas, selects)."""
    form = html.split('id="formulaire"', 1)[1].split("</form>", 1)[0]
    values = {}
    for name, value in re.findall(
        r'<input type="text" id="[^"]*" name="([^"]*)" value="([^"]*)"', form
    ):
        values[name] = value
    for name, value in re.findall(
        r'<textarea id="[^"]*" name="([^"]*)"[^>]*>\n(.*?)</textarea>', form, re.S
    ):
        values[name] = value
    for name, options in re.findall(
        r'<select id="[^"]*" name="([^"]*)"[^>]*>(.*?)</select>', form, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)"[^>]* selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    import html as entities

    return {entities.unescape(k): entities.unescape(v) for k, v in values.items()}


@pytest.fixture
def editing(examples_repo):
    """An editor on the example Pédibus descriptor, entered by its token."""
    session = open_session(Path("innovations/pedibus.yaml"))
    server = EditorServer(session)
    start_in_thread(server)
    browser = Browser(server)
    yield server, browser
    server.shutdown()
    server.server_close()


def test_listens_on_the_loopback_only(editing):
    server, _ = editing
    assert server.server_address[0] == "127.0.0.1"
    assert server.address.startswith(f"http://127.0.0.1:{server.port}/?jeton=")


def test_a_request_without_the_cookie_is_refused(editing):
    _, browser = editing
    for url in ("/", "/apercu?territoire=Lannion", "/statique/editeur.js"):
        response, body = browser.request("GET", url)
        assert response.status == 403, url
        assert "Accès refusé" in body
    response, _ = browser.post({"nom": "x"})
    assert response.status == 403


def test_the_token_serves_once(editing):
    server, browser = editing
    browser.enter()
    other = Browser(server)
    token = urllib.parse.urlsplit(server.address).query.split("=", 1)[1]
    response, _ = other.request("GET", f"/?jeton={token}")
    assert response.status == 403
    response, _ = other.request("GET", "/?jeton=faux")
    assert response.status == 403
    response, body = browser.request("GET", "/")
    assert response.status == 200 and "<form" in body


def test_another_host_is_refused(editing):
    server, browser = editing
    browser.enter()
    for host in ("evil.example", f"evil.example:{server.port}", f"127.0.0.1:{server.port + 1}"):
        response, _ = browser.request("GET", "/", headers={"Host": host})
        assert response.status == 403, host
    response, _ = browser.request("GET", "/", headers={"Host": f"localhost:{server.port}"})
    assert response.status == 200


def test_a_post_from_another_site_is_refused(editing):
    server, browser = editing
    browser.enter()
    before = server.session.draft
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site"}):  # fmt: skip
        response, _ = browser.post({"nom": "Piraté", "__action": "enregistrer"}, headers=headers)
        assert response.status == 403, headers
    assert server.session.draft == before
    response, _ = browser.post(
        {"__action": "verifier"}, headers={"Origin": f"http://127.0.0.1:{server.port}"}
    )
    assert response.status == 200


def test_security_headers(editing):
    _, browser = editing
    browser.enter()
    response, _ = browser.request("GET", "/")
    assert response.getheader("Content-Security-Policy").startswith("default-src 'self'")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    # under "no-referrer" a browser's form POST says `Origin: null`, refused as another site's:
    # no button of the page would work (found by tests/test_editeur_navigateur.py)
    assert response.getheader("Referrer-Policy") == "same-origin"
    response, _ = browser.request("GET", "/apercu?territoire=Lannion")
    policy = response.getheader("Content-Security-Policy")
    assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy


def test_the_page_is_french_and_names_fields_by_path(editing):
    _, browser = editing
    browser.enter()
    _, body = browser.request("GET", "/")
    assert '<html lang="fr">' in body
    for name in ("nom", "accroche", "moyens.humains.0.role"):
        assert f'name="{name}"' in body
        assert f'<label for="f-{name}">' in body
    assert "<details" in body and "aria-live" in body


def test_the_form_submitted_unchanged_changes_nothing(editing):
    server, browser = editing
    browser.enter()
    _, body = browser.request("GET", "/")
    original = Path("innovations/pedibus.yaml").read_bytes()
    response, _ = browser.post({**form_of(body), "__action": "enregistrer"})
    assert response.status == 200
    assert Path("innovations/pedibus.yaml").read_bytes() == original


def test_an_error_typed_is_shown_then_gone_once_fixed(editing):
    server, browser = editing
    browser.enter()
    _, body = browser.request("GET", "/")
    fields = form_of(body)
    fields["accroche"] = "court"
    _, answer = browser.post({**fields, "__action": "verifier"}, "/verifier")
    live = json.loads(answer)
    assert "accroche" in live["constats"] and "accroche" in live["invalides"]
    assert "ligne" in live["constats"]["accroche"]
    # the same findings as essaimage validate on that text
    Path("brouillon.yaml").write_text(server.session.draft, encoding="utf-8")
    validated = invoke("validate", "-f", "json", "brouillon.yaml")
    codes = {c["code"] for c in json.loads(validated.stdout)["constats"]}
    assert {f.code for f in server.session.current().findings} == codes
    fields["accroche"] = form_of(body)["accroche"]
    _, answer = browser.post({**fields, "__action": "verifier"}, "/verifier")
    assert "accroche" not in json.loads(answer)["constats"]


def test_save_changes_only_the_edited_line(editing):
    server, browser = editing
    browser.enter()
    path = Path("innovations/pedibus.yaml")
    before = path.read_text(encoding="utf-8").splitlines()
    _, body = browser.request("GET", "/")
    fields = form_of(body)
    fields["nom"] = "Pédibus des écoles"
    _, page = browser.post({**fields, "__action": "enregistrer"})
    assert "Enregistré dans" in page
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert "Pédibus des écoles" in after[changed[0]]
    assert invoke("validate", str(path)).exit_code == 0


def test_a_file_changed_on_disk_is_not_overwritten(editing):
    server, browser = editing
    browser.enter()
    path = Path("innovations/pedibus.yaml")
    _, body = browser.request("GET", "/")
    path.write_text(path.read_text(encoding="utf-8") + "# ajouté ailleurs\n", encoding="utf-8")
    fields = {**form_of(body), "nom": "Autre nom"}
    _, page = browser.post({**fields, "__action": "enregistrer"})
    assert "a changé sur le disque" in page and "Enregistrer quand même" in page
    assert path.read_text(encoding="utf-8").endswith("# ajouté ailleurs\n")
    # typing on: the choice is still offered, and still explained
    _, answer = browser.post({**fields, "nom": "Encore un autre"}, "/verifier")
    assert "a changé sur le disque" in json.loads(answer)["etat"]
    browser.post({**fields, "__action": "ecraser"})
    assert "Autre nom" in path.read_text(encoding="utf-8")


def test_a_malformed_file_shows_its_text_and_its_findings(examples_repo):
    path = Path("innovations/casse.yaml")
    path.write_text("id: casse\nnom: [pas fermé\n", encoding="utf-8")
    session = open_session(path)
    server = EditorServer(session)
    start_in_thread(server)
    try:
        browser = Browser(server)
        browser.enter()
        response, body = browser.request("GET", "/")
        assert response.status == 200
        assert 'name="__texte"' in body and "pas fermé" in body and "ligne" in body
        browser.post({"__texte": "id: casse\nnom: réparé\n", "__action": "verifier"})
        _, body = browser.request("GET", "/")
        assert 'name="nom"' in body
    finally:
        server.shutdown()
        server.server_close()


def test_the_preview_shows_the_kit_for_a_territory(editing):
    _, browser = editing
    browser.enter()
    response, body = browser.request("GET", "/apercu?territoire=lannion.yaml")
    assert response.status == 200 and "Lannion" in body and "<h1" in body
    _, body = browser.request("GET", "/apercu?territoire=../../etc/passwd.yaml")
    assert "n’est pas un profil de territoire du dépôt" in body


def test_a_new_file_is_written_on_first_save(examples_repo):
    from essaimage.commands.init import new_file_text

    path = Path("innovations/nouvelle.yaml")
    session = open_session(path, "innovation", new_file_text(path, Path.cwd(), "innovation"))
    assert not path.exists() and session.current().tree is not None
    session.save()
    assert path.read_text(encoding="utf-8") == session.draft
    assert invoke("validate", str(path)).exit_code == 0


def test_the_command_refuses_what_it_cannot_open(examples_repo):
    result = invoke("editer", "--nouveau", "inconnu")
    assert result.exit_code == 2 and "inconnu" in result.stderr
    result = invoke("editer", "innovations/pedibus.yaml", "--nouveau", "innovation")
    assert result.exit_code == 2 and "existe déjà" in result.stderr
    result = invoke("editer", "absent.yaml")
    assert result.exit_code == 2 and "n'existe pas" in result.stderr


def test_a_change_the_text_cannot_take_leaves_the_draft_and_says_why(examples_repo, monkeypatch):
    from essaimage.editor import session as sessions

    def refuse(original, old, new):
        raise ValueError("a case yaml_edit does not write")

    monkeypatch.setattr(sessions, "updated_text", refuse)
    session = open_session(Path("innovations/pedibus.yaml"))
    original = session.draft
    form = fields_of_session(session)
    session.update({**form, "nom": "Un autre nom"})
    assert session.draft == original and not session.unsaved
    assert "ancre YAML" in session.message


def fields_of_session(session) -> dict[str, str]:
    """The form a browser would submit for the session's draft, unchanged."""
    from essaimage.editor import page

    return form_of(page.render_page(session))


# the findings' own style (« Erreur : message : detail », « (« x ») (ligne 5) »), not typography
STYLE = ("deux-points en cascade", "parenthèses empilées")


def typography_problems(html: str) -> list[str]:
    from essaimage.text import typography

    return [p for p in typography.problemes(html, "html") if not p.startswith(STYLE)]


@pytest.mark.parametrize(
    "name",
    [
        "innovations/pedibus.yaml",
        "innovations/france-services.yaml",
        "territoires/lannion.yaml",
        "plans/pedibus-bretagne.yaml",
        "essaimage.yaml",
    ],
)
def test_the_page_is_in_french_typography(examples_repo, name):
    from essaimage.editor import page

    session = open_session(Path(name))
    html = page.render_page(session)
    assert typography_problems(html) == []
    assert "Fichier\u00a0: <code>" in html


def test_the_live_findings_and_the_refusals_are_in_french_typography(editing):
    server, browser = editing
    response, body = browser.request("GET", "/")
    assert response.status == 403 and typography_problems(body) == []
    assert "L’éditeur ne s’ouvre" in body
    browser.enter()
    _, body = browser.request("GET", "/")
    fields = {**form_of(body), "nom": "", "moyens.humains.0.etp": "beaucoup"}
    _, answer = browser.post({**fields, "__action": "verifier"}, "/verifier")
    live = json.loads(answer)
    assert live["constats"]["nom"].count("Erreur\u00a0: champ obligatoire «\u00a0nom\u00a0»") == 1
    # the badge of each folded section, said in words
    assert live["pastilles"]["moyens"] == (
        '<span class="pastille" data-pour="moyens">1<span class="vh">\u00a0problème</span></span>'
    )
    assert live["pastilles"]["etapes"] == '<span class="pastille" data-pour="etapes"></span>'
    for html in [live["resume"], *live["constats"].values()]:
        assert typography_problems(html) == []
    _, body = browser.post({**fields, "__action": "recharger"})
    assert "Fichier relu depuis le disque\u202f; les modifications" in body
    assert typography_problems(body) == []


class _Ids:
    """The ids of a page, and what its `for`, `aria-describedby` and `href="#…"` point to."""

    def __init__(self, html: str) -> None:
        from html.parser import HTMLParser

        self.ids: list[str] = []
        self.references: list[str] = []
        ids, references = self.ids, self.references

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                found = dict(attrs)
                if "id" in found:
                    ids.append(found["id"])
                if "for" in found:
                    references.append(found["for"])
                references.extend((found.get("aria-describedby") or "").split())
                if (found.get("href") or "").startswith("#"):
                    references.append(urllib.parse.unquote(found["href"][1:]))

        Parser().feed(html)


@pytest.mark.parametrize(
    "name",
    [
        "innovations/pedibus.yaml",
        "innovations/france-services.yaml",
        "territoires/redon-agglomeration.yaml",  # a table's keys with spaces
        "plans/pedibus-bretagne.yaml",
    ],
)
def test_every_id_is_valid_unique_and_every_reference_found(examples_repo, name):
    from essaimage.editor import page

    found = _Ids(page.render_page(open_session(Path(name))))
    assert len(found.ids) == len(set(found.ids))
    assert [i for i in found.ids if not i or any(c in i for c in " \t\n\f\r")] == []
    assert set(found.references) <= set(found.ids)


def test_a_key_with_spaces_gets_an_id_without(examples_repo):
    from essaimage.editor import page

    html = page.render_page(open_session(Path("territoires/redon-agglomeration.yaml")))
    name = "projets.france-services.couts_par_role.Conseiller France Services"
    assert f'name="{name}"' in html  # the field's name is its path, as it is
    assert f'id="f-{page.ident(name)}"' in html and "Conseiller~20France~20Services" in html
    assert page.ident("a~20b") != page.ident("a b")
