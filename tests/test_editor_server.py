"""The editor's server without a browser: the token and cookie, the Host and Origin checks, the
security headers, the form submitted as a browser without script does, saving, conflicts, the
malformed file, the preview, and the command line's errors."""

from __future__ import annotations

import copy
import http.client
import json
import re
import urllib.parse
from pathlib import Path

import pytest

from essaimage.cli import app
from essaimage.editor import fields as editor_fields
from essaimage.editor.page import ident
from essaimage.editor.server import EditorServer, start_in_thread
from essaimage.editor.session import Session, open_session
from helpers import EXAMPLES, invoke, runner


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
    for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', form):
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


def prompted(page: str) -> bool:
    """Whether the page offers the conflict's choices (the buttons are not hidden)."""
    shown = [
        re.search(rf'<button type="submit" name="__action" value="{value}">{label}</button>', page)
        for value, label in (
            ("ecraser", "Enregistrer quand même"),
            ("recharger", "Recharger le fichier du disque"),
        )
    ]
    return all(shown)


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
    assert response.getheader("X-Frame-Options") == "SAMEORIGIN"
    page_policy = (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
        "object-src 'none'"
    )
    for url, cookie in (("/", True), ("/statique/editeur.js", True), ("/", False)):
        response, _ = (browser if cookie else Browser(browser.server)).request("GET", url)
        assert response.getheader("Content-Security-Policy") == page_policy, url
        assert response.getheader("X-Frame-Options") == "DENY", url
    for url in ("/", "/apercu?territoire=Lannion", "/statique/editeur.css"):
        response, _ = browser.request("GET", url)
        assert response.getheader("X-Content-Type-Options") == "nosniff", url
        assert response.getheader("Referrer-Policy") == "same-origin", url
        assert response.getheader("Cache-Control") == "no-store", url


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
    assert "a changé sur le disque" in page and prompted(page)
    assert path.read_text(encoding="utf-8").endswith("# ajouté ailleurs\n")
    browser.post({**fields, "__action": "ecraser"})
    assert "Autre nom" in path.read_text(encoding="utf-8")


def test_a_second_tab_with_an_older_page_does_not_overwrite_the_first(editing):
    """Two tabs on the same file: tab 1 saves, then tab 2 saves the form it was opened with;
    tab 2 gets the conflict prompt and nothing of tab 1's save is lost, until tab 2 chooses."""
    server, browser = editing
    browser.enter()
    path = Path("innovations/pedibus.yaml")
    _, first = browser.request("GET", "/")
    _, second = browser.request("GET", "/")
    tab1, tab2 = form_of(first), form_of(second)
    _, page = browser.post({**tab1, "nom": "Pédibus de l'onglet 1", "__action": "enregistrer"})
    assert "Enregistré dans" in page
    saved = path.read_text(encoding="utf-8")
    _, page = browser.post({**tab2, "accroche": tab2["accroche"] + " Onglet 2.",
                            "__action": "enregistrer"})  # fmt: skip
    assert prompted(page) and "autre onglet" in page
    assert path.read_text(encoding="utf-8") == saved
    assert "Pédibus de l'onglet 1" in server.session.draft  # the draft is tab 1's still
    assert "Onglet 2." in page  # tab 2 keeps what it typed
    # tab 1 is not told of tab 2's conflict
    _, page = browser.post({**form_of(first), "nom": "Pédibus de l'onglet 1",
                            "__action": "verifier"})  # fmt: skip
    assert not prompted(page) and "autre onglet" not in page
    # tab 2 chooses its version: written whole, tab 1's name gone (its choice)
    _, again = browser.post({**tab2, "accroche": tab2["accroche"] + " Onglet 2.",
                             "__action": "verifier"})  # fmt: skip
    assert prompted(again)
    _, page = browser.post({**form_of(again), "__action": "ecraser"})
    assert "Enregistré dans" in page
    text = path.read_text(encoding="utf-8")
    assert "Onglet 2." in text and "Pédibus de l'onglet 1" not in text


def test_a_second_tab_reloads_from_the_disk(editing):
    server, browser = editing
    browser.enter()
    path = Path("innovations/pedibus.yaml")
    _, first = browser.request("GET", "/")
    _, second = browser.request("GET", "/")
    browser.post({**form_of(first), "nom": "Nom de l'onglet 1", "__action": "enregistrer"})
    _, page = browser.post({**form_of(second), "nom": "Nom de l'onglet 2",
                            "__action": "enregistrer"})  # fmt: skip
    assert prompted(page)
    _, page = browser.post({**form_of(page), "__action": "recharger"})
    assert "Nom de l&#39;onglet 1" in page and not prompted(page)
    assert "Nom de l'onglet 1" in path.read_text(encoding="utf-8")
    # tab 2, reloaded, saves without a conflict now
    _, page = browser.post({**form_of(page), "nom": "Nom final", "__action": "enregistrer"})
    assert "Enregistré dans" in page and "Nom final" in path.read_text(encoding="utf-8")


def test_the_live_check_of_an_older_tab_does_not_change_the_draft(editing):
    server, browser = editing
    browser.enter()
    _, first = browser.request("GET", "/")
    _, second = browser.request("GET", "/")
    browser.post(
        {**form_of(first), "nom": "Nom de l'onglet 1", "__action": "verifier"}, "/verifier"
    )
    draft = server.session.draft
    _, answer = browser.post(
        {**form_of(second), "accroche": "court", "__action": "verifier"}, "/verifier"
    )
    live = json.loads(answer)
    assert live["conflit"] and "autre onglet" in live["etat"]
    assert "accroche" in live["invalides"]  # the findings of tab 2's own text
    assert server.session.draft == draft


def test_the_preview_territory_is_each_tab_s_own(editing):
    server, browser = editing
    browser.enter()
    _, first = browser.request("GET", "/")
    _, second = browser.request("GET", "/")
    tab1, tab2 = form_of(first)["__onglet"], form_of(second)["__onglet"]
    assert tab1 != tab2
    browser.request("GET", f"/apercu?territoire=lannion.yaml&onglet={tab1}")
    browser.request("GET", f"/apercu?territoire=22113&onglet={tab2}")
    _, page = browser.post({**form_of(first), "__action": "verifier"})
    assert 'name="territoire" value="lannion.yaml"' in page


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


@pytest.mark.parametrize("kind", ["innovation", "territoire", "plan", "retour"])
def test_every_kind_of_new_file_starts_from_its_skeleton_and_validates(examples_repo, kind):
    """`editer --nouveau KIND` for each kind of file, the take-over report included (its
    skeleton lists the first innovation's cœur elements, as `init retour` does)."""
    from essaimage.commands.init import new_file_text

    path = Path(f"nouveau-{kind}.yaml")
    session = open_session(path, kind, new_file_text(path, Path.cwd(), kind))
    assert session.current().tree is not None
    if kind == "retour":
        assert "- coeur: " in session.draft and "innovation: cantine-bio-regie-agricole" in (
            session.draft
        )
    session.save()
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


# --- « Ajouter » on every list of the examples -----------------------------------------------

EXAMPLE_FILES = sorted(
    p.relative_to(EXAMPLES).as_posix()
    for folder in ("innovations", "territoires", "plans")
    for p in (EXAMPLES / folder).glob("*.yaml")
)


def lists_of(session: Session) -> list[editor_fields.Node]:
    """Every list node of the draft's form."""
    root = session.current().tree
    assert root is not None
    found, todo = [], [root]
    while todo:
        node = todo.pop()
        found += [node] if node.kind == "liste" else []
        todo += node.children
    return sorted(found, key=lambda n: n.name)


def expected_after_add(data, node, item):
    """The data with `item` appended to the list of `node` (created with its groups if absent;
    a single text becoming a list)."""
    expected = copy.deepcopy(data)
    holder = expected
    for key in node.path[:-1]:
        holder = holder.setdefault(key, {}) if isinstance(holder, dict) else holder[key]
    current = holder.get(node.path[-1]) if isinstance(holder, dict) else holder[node.path[-1]]
    items = [current] if isinstance(current, str) else list(current or [])
    holder[node.path[-1]] = [*items, item]
    return expected


def new_item_of(session: Session, node: editor_fields.Node, group: bool):
    """The shape an added item must have, from the list's annotation in the models: a group
    (`{}`) for a list of groups, a text (`""`) for a list of texts or choices, and for a list of
    texts or groups (a marge's options) a text unless a group is asked."""
    item = (
        editor_fields._build(session.current().data, session.current().model)
        .places[node.name]
        .spec.item
    )
    kinds = {o.kind for o in item.options} if item.kind == "union" else {item.kind}
    if kinds >= {"groupe", "texte"}:
        return {} if group else ""
    return {} if kinds & {"groupe", "table"} else ""


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_add_on_every_list_of_the_examples(examples_repo, name):
    """Each list's « Ajouter » (and « … avec ses champs » for texts or groups), pressed in the
    page as a browser without script does: one item of the list's shape, nothing else changed,
    the new item's fields in the page, and the pipeline's findings on them."""
    session = open_session(Path(name))
    server = EditorServer(session)
    start_in_thread(server)
    original_text, original = session.draft, copy.deepcopy(session.current().data)
    lists = lists_of(session)
    assert lists, name
    try:
        browser = Browser(server)
        browser.enter()
        _, body = browser.request("GET", "/")
        form = form_of(body)
        del form["__onglet"]  # each press on the original draft, from a new tab
        for node in lists:
            actions = [("ajouter", False)] + ([("ajouter-groupe", True)] if node.group_item else [])
            assert f'value="ajouter:{node.name}"' in body, node.name
            assert (f'value="ajouter-groupe:{node.name}"' in body) == node.group_item, node.name
            for verb, group in actions:
                session.set_draft(original_text)
                item = new_item_of(session, node, group)
                response, page = browser.post({**form, "__action": f"{verb}:{node.name}"})
                assert response.status == 200, (node.name, verb)
                state = session.current()
                assert state.data == expected_after_add(original, node, item), (node.name, verb)
                added = editor_fields.name_of((*node.path, _length(state.data, node.path) - 1))
                assert f'name="{added}' in page, (node.name, verb)
                if item == {}:  # an empty group: its required fields are said to be missing
                    placed = [n for n in state.by_field if n == added or n.startswith(added + ".")]
                    model = _item_model(session, node)
                    if any(f.is_required() for f in model.model_fields.values()):
                        assert placed, (node.name, verb)
        assert Path(name).read_text(encoding="utf-8") == original_text  # nothing saved
    finally:
        server.shutdown()
        server.server_close()


def _length(data, path) -> int:
    for key in path:
        data = data[key]
    return 1 if isinstance(data, str) else len(data)


def _item_model(session: Session, node: editor_fields.Node):
    item = (
        editor_fields._build(session.current().data, session.current().model)
        .places[node.name]
        .spec.item
    )
    options = item.options if item.kind == "union" else (item,)
    return next(o.model for o in options if o.model is not None)


@pytest.mark.parametrize(
    ("name", "table", "key", "value", "code"),
    [
        ("innovations/pedibus.yaml", "regles", "ZZ99", "erreur", "S103"),
        ("territoires/lannion.yaml", "projets", "inconnue", "", "R102"),
        ("territoires/lannion.yaml", "projets.cantine-bio-regie-agricole.choix",
         "marge-inconnue", "une option", "R103"),
        ("territoires/redon-agglomeration.yaml", "projets.france-services.couts_par_role",
         "Rôle inconnu", "1 000", "R107"),
    ],
)  # fmt: skip
def test_a_key_added_is_checked_by_the_pipeline(examples_repo, name, table, key, value, code):
    """A table entry added in the page, under a key the repository does not know, gets the
    finding `essaimage validate` gives, beside the entry."""
    session = open_session(Path(name))
    server = EditorServer(session)
    start_in_thread(server)
    try:
        browser = Browser(server)
        browser.enter()
        _, body = browser.request("GET", "/")
        _, body = browser.post({**form_of(body), f"{table}.+": key, "__action": f"ajouter:{table}"})
        entry = f"{table}.{key}"
        assert f'id="s-{entry}"' in body or f'name="{entry}"' in body
        if value:
            _, body = browser.post({**form_of(body), entry: value, "__action": "verifier"})
        found = session.current().by_field.get(entry, [])
        assert code in {f.code for f in found}, [(f.code, f.message) for f in found]
        assert f'id="c-{ident(entry)}"' in body and f"{code})" in body  # beside the entry
        validated = runner.invoke(
            app, ["validate", "-f", "json", "-", "--nom-fichier", name], input=session.draft
        )
        codes = {c["code"] for c in json.loads(validated.stdout)["constats"]}
        assert {f.code for f in session.current().findings} == codes
    finally:
        server.shutdown()
        server.server_close()


# --- what docs/securite.md promises of the editor ----------------------------------------


def test_a_file_linked_out_of_the_repository_is_not_opened(examples_repo, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("nom: secret de l'utilisateur\n", encoding="utf-8")
    Path("innovations/lien.yaml").symlink_to(secret)
    result = invoke("editer", "innovations/lien.yaml", "--sans-navigateur")
    assert result.exit_code == 2 and "hors du dépôt" in result.stderr
    assert "secret de l" not in result.stdout + result.stderr


def test_a_file_swapped_for_a_link_out_is_neither_read_nor_written_through(editing, tmp_path):
    """Once the editor is open, another program puts a link out of the repository in place
    of the file: « Recharger » shows nothing of its target, and no save writes through it."""
    server, browser = editing
    browser.enter()
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\nnom: secret de l'utilisateur\n", encoding="utf-8")
    path = Path("innovations/pedibus.yaml")
    _, body = browser.request("GET", "/")
    path.unlink()
    path.symlink_to(secret)
    for action in ("recharger", "enregistrer", "ecraser"):
        _, page = browser.post({**form_of(body), "nom": "Écrit", "__action": action})
        assert "secret de l" not in page and "secret de l" not in server.session.draft, action
        assert "hors du dépôt" in page, action
        assert secret.read_text(encoding="utf-8") == "id: secret\nnom: secret de l'utilisateur\n"
        assert path.is_symlink()


def test_a_link_inside_the_repository_is_not_replaced_nor_written_through(examples_repo):
    target = Path("innovations/pedibus.yaml")
    original = target.read_bytes()
    Path("innovations/lien.yaml").symlink_to("pedibus.yaml")
    session = open_session(Path("innovations/lien.yaml"))
    session.update({**fields_of_session(session), "nom": "Autre nom"})
    with pytest.raises(Exception, match="n'est pas un fichier ordinaire"):
        session.save()
    assert target.read_bytes() == original and Path("innovations/lien.yaml").is_symlink()


def test_a_save_that_fails_midway_leaves_the_file_whole(editing, monkeypatch):
    """The file is written whole or not at all: a temporary file of its folder, renamed over
    it; a write that fails halfway leaves the file and no temporary file behind."""
    from essaimage.files import output

    server, browser = editing
    browser.enter()
    path = Path("innovations/pedibus.yaml")
    original = path.read_bytes()
    _, body = browser.request("GET", "/")
    real_write = output.os.write

    def half(handle, data):
        real_write(handle, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(output.os, "write", half)
        _, page = browser.post({**form_of(body), "nom": "Nom à moitié", "__action": "enregistrer"})
    assert "Enregistrement impossible" in page
    assert path.read_bytes() == original
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        p.name for p in (EXAMPLES / "innovations").iterdir()
    )


def test_the_editor_reaches_nothing_on_the_network(editing, monkeypatch):
    """The page, its script, the live check, the preview for a territory and a save open no
    connection and resolve no name; the page names only its own address."""
    import socket

    server, browser = editing
    browser.enter()
    outside = []
    real_connect = socket.socket.connect

    def connect(self, address):
        if not (isinstance(address, tuple) and address[0] == "127.0.0.1"):
            outside.append(address)
            raise OSError("network refused by the test")
        return real_connect(self, address)

    real_resolve = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host != "127.0.0.1":  # the test's own client connects to the editor by number
            outside.append(host)
            raise OSError("name resolution refused by the test")
        return real_resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    _, body = browser.request("GET", "/")
    for url in ("/statique/editeur.js", "/statique/editeur.css", "/apercu?territoire=Lannion"):
        response, _ = browser.request("GET", url)
        assert response.status == 200, url
    browser.post({**form_of(body), "accroche": "court", "__action": "verifier"}, "/verifier")
    browser.post({**form_of(body), "__action": "enregistrer"})
    assert outside == []
    addresses = re.findall(r'(?:src|href|action)="([^"]*)"', body)
    assert addresses and all(a.startswith(("/", "#")) for a in addresses), addresses
    script = (EXAMPLES.parent / "src/essaimage/templates/editeur/editeur.js").read_text("utf-8")
    assert not re.search(r"https?://", script)


def test_only_the_package_s_script_and_style_are_served(editing):
    _, browser = editing
    browser.enter()
    for url in ("/statique/../../pyproject.toml", "/statique/%2e%2e/innovations/pedibus.yaml",
                "/innovations/pedibus.yaml", "/statique/editeur.html.j2"):  # fmt: skip
        response, body = browser.request("GET", url)
        assert response.status == 404 and "id: pedibus" not in body, url


def test_a_form_too_large_is_refused_unread(editing):
    from essaimage.editor.server import MAX_BODY

    server, browser = editing
    browser.enter()
    before = server.session.draft
    response, _ = browser.request(
        "POST", "/", headers={"Content-Length": str(MAX_BODY + 1),
                              "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status == 413 and server.session.draft == before
    response, _ = browser.request("POST", "/", "nom=x", headers={"Content-Type": "text/plain"})
    assert response.status == 415 and server.session.draft == before


def test_ctrl_c_stops_the_editor_without_a_traceback(examples_repo):
    import signal
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "essaimage", "editer", "innovations/pedibus.yaml",
         "--sans-navigateur", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        address = lines[2].strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?jeton=[\w-]{43}", address), lines
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Éditeur arrêté." in out


def test_saving_keeps_the_file_s_permissions(examples_repo):
    """A file a person wrote keeps its mode once the editor saves it (it was the umask's)."""
    import os
    import stat

    path = Path("innovations/pedibus.yaml")
    path.chmod(0o640)
    session = open_session(path)
    session.draft = session.draft.replace("nom: ", "nom:  ", 1)
    session.save()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
