"""The editor's HTTP server: on the loopback only, for the one browser that got the token.

The address printed by `essaimage editer` carries a one-time random token; the first request
with it gets an HttpOnly, SameSite=Strict cookie holding another secret, and every request after
must bring that cookie (403 otherwise). A `Host` other than `127.0.0.1:PORT` or `localhost:PORT`
is refused (DNS rebinding), and so is a POST whose `Origin` is another site (CSRF). Every answer
says `Content-Security-Policy: default-src 'self'` (the kit preview, a sandboxed frame, gets a
stricter one that still allows the kit's own style). Nothing is fetched from the network; the
only file written is the one being edited (`session.Session.save`).
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from ..check.loader import MAX_BYTES
from ..errors import EssaimageError
from ..files.paths import display_path
from ..findings import internal_error
from ..text import typography
from ..text.french import pluriel
from . import fields, page
from .session import Conflict, Session, Tab

COOKIE = "essaimage_editeur"
MAX_BODY = 4 * MAX_BYTES  # a form holds the file's texts, escaped
MAX_FIELDS = 20_000
SOCKET_TIMEOUT = 60  # seconds a connection may stay silent
PAGE_POLICY = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
# The preview is a kit: its own <style>, no script, an opaque origin (sandbox), no request out.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'; sandbox"
)
STATIC = {
    "/statique/editeur.css": ("editeur.css", "text/css; charset=utf-8"),
    "/statique/editeur.js": ("editeur.js", "text/javascript; charset=utf-8"),
}


@dataclass
class Access:
    """The token of the printed address (usable once) and the cookie's secret."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    token_used: bool = False

    def exchange(self, token: str) -> bool:
        """Whether `token` is the address's and was not used yet (it is used from now on)."""
        if self.token_used or not hmac.compare_digest(token.encode(), self.token.encode()):
            return False
        self.token_used = True
        return True

    def allows(self, cookie_header: str | None) -> bool:
        """Whether the request's cookies hold the secret."""
        for part in (cookie_header or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and hmac.compare_digest(value.encode(), self.secret.encode()):
                return True
        return False


class EditorServer(ThreadingHTTPServer):
    """The server of one session; `port` is known once bound."""

    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, session: Session, port: int = 0, access: Access | None = None) -> None:
        self.session = session
        self.access = access or Access()
        self.profiles: Callable[[], list[str]] = lambda: []
        super().__init__(("127.0.0.1", port), EditorHandler)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.server_address[1])

    @property
    def address(self) -> str:
        """The address to open, with the one-time token."""
        return f"http://127.0.0.1:{self.port}/?jeton={self.access.token}"

    def allowed_hosts(self) -> set[str]:
        """The `Host` headers a request may bring."""
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def allowed_origins(self) -> set[str]:
        """The `Origin` headers a POST may bring."""
        return {f"http://{host}" for host in self.allowed_hosts()}


class EditorHandler(BaseHTTPRequestHandler):
    """One request: checked (host, origin, cookie), then answered in French."""

    server: EditorServer
    protocol_version = "HTTP/1.0"  # one request per connection: no idle connection holds a thread
    timeout = SOCKET_TIMEOUT
    server_version = "essaimage-editeur"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Requests are not logged: the terminal shows the address and the outcome only."""

    # The answers

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        policy: str = PAGE_POLICY,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        # not "no-referrer": under it a browser's form POST says `Origin: null`, which
        # `_same_origin` refuses; "same-origin" sends nothing to another site all the same
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("X-Frame-Options", "SAMEORIGIN" if policy is PREVIEW_POLICY else "DENY")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, message: str) -> None:
        body = (
            '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            "<title>Accès refusé – éditeur essaimage</title>\n</head>\n<body>\n<main>\n"
            f"<h1>Accès refusé</h1>\n<p>{message}</p>\n</main>\n</body>\n</html>\n"
        )
        self._send(status, typography.html(body).encode("utf-8"))

    def _redirect(self, location: str, extra: dict[str, str] | None = None) -> None:
        self._send(HTTPStatus.SEE_OTHER, b"", extra={"Location": location, **(extra or {})})

    # The checks every request passes

    def _checked(self) -> bool:
        """Host, then the token or cookie; refuses (and returns False) otherwise."""
        if self.headers.get("Host", "") not in self.server.allowed_hosts():
            self._refuse(
                HTTPStatus.FORBIDDEN,
                "Cette adresse n'est pas celle de l'éditeur\u00a0: ouvrez "
                f"http://127.0.0.1:{self.server.port}/ comme essaimage editer l'a affiché.",
            )
            return False
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, max_num_fields=10)
        token = query.get("jeton", [""])[0]
        if self.command == "GET" and url.path == "/" and token:
            if self.server.access.exchange(token):
                cookie = f"{COOKIE}={self.server.access.secret}; HttpOnly; SameSite=Strict; Path=/"
                self._redirect("/", {"Set-Cookie": cookie})
                return False
            if self.server.access.allows(self.headers.get("Cookie")):
                self._redirect("/")
                return False
        if not self.server.access.allows(self.headers.get("Cookie")):
            self._refuse(
                HTTPStatus.FORBIDDEN,
                "L'éditeur ne s'ouvre que par l'adresse qu'essaimage editer a affichée, une "
                "seule fois et dans un seul navigateur. Relancez essaimage editer pour en "
                "obtenir une nouvelle.",
            )
            return False
        return True

    def _same_origin(self) -> bool:
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site")
        if (origin is not None and origin not in self.server.allowed_origins()) or (
            site is not None and site not in ("same-origin", "none")
        ):
            self._refuse(
                HTTPStatus.FORBIDDEN,
                "Une page d'un autre site a tenté d'envoyer ce formulaire\u00a0: refusé.",
            )
            return False
        return True

    # GET

    def do_HEAD(self) -> None:  # noqa: N802 - the base's name
        """As GET, without the body."""
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - the base's name
        """The page, the preview, the static files."""
        if not self._checked():
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path in STATIC:
            name, content_type = STATIC[url.path]
            body = resources.files("essaimage").joinpath(f"templates/editeur/{name}").read_bytes()
            self._send(HTTPStatus.OK, body, content_type)
        elif url.path == "/":
            self._page()
        elif url.path == "/apercu":
            query = urllib.parse.parse_qs(url.query, max_num_fields=10)
            self._preview(query.get("territoire", [""])[0][:200], query.get("onglet", [""])[0])
        else:
            self._refuse(HTTPStatus.NOT_FOUND, "Cette page n'existe pas dans l'éditeur.")

    def _page(self) -> None:
        """A page load: a new tab on the draft."""
        session = self.server.session
        profiles = self.server.profiles()
        with session.lock:
            html = page.render_page(session, session.open_tab(), profils=profiles)
        self._send(HTTPStatus.OK, html.encode("utf-8"))

    def _preview(self, territoire: str, name: str) -> None:
        """The kit of the tab's text (the draft for an unknown tab) for the territory."""
        from ..commands.kits import preview

        session = self.server.session
        with session.lock:
            tab = session.tabs.get(name)
            if tab is not None:
                tab.territoire = territoire
            path, text = session.path, tab.text if tab is not None else session.draft
        try:
            shown = preview(path, text, territoire)
        except EssaimageError as exc:
            html = page.preview_message(exc.message, [])
        except Exception as exc:  # noqa: BLE001 - said in the frame, never a crash
            html = page.preview_message(
                "L'aperçu n'a pas pu se faire.", [internal_error(display_path(path), exc)]
            )
        else:
            html = shown.html or page.preview_message(shown.reason, shown.findings)
        self._send(HTTPStatus.OK, html.encode("utf-8"), policy=PREVIEW_POLICY)

    # POST

    def do_POST(self) -> None:  # noqa: N802 - the base's name
        """A change of the form (checked, `/verifier` for the script), a save, a reload."""
        if not self._checked() or not self._same_origin():
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path not in ("/", "/verifier"):
            self._refuse(HTTPStatus.NOT_FOUND, "Cette page n'existe pas dans l'éditeur.")
            return
        form = self._form()
        if form is None:
            return
        action = form.pop("__action", "verifier")
        session = self.server.session
        profiles = self.server.profiles() if url.path == "/" else []
        with session.lock:
            name, tab = session.tab(form.pop("__onglet", ""))
            self._apply(session, tab, form, action)
            if url.path == "/verifier":
                live = page.live_update(session, tab)
                body = json.dumps(live, ensure_ascii=False).encode("utf-8")
                self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
                return
            html = page.render_page(session, name, tab, profiles)
        self._send(HTTPStatus.OK, html.encode("utf-8"))

    def _form(self) -> dict[str, str] | None:
        """The form's fields (the last value of a repeated name), or None once refused."""
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._refuse(HTTPStatus.LENGTH_REQUIRED, "Requête sans longueur.")
            return None
        if length < 0 or length > MAX_BODY:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Formulaire trop grand.")
            return None
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Formulaire d'un type inattendu.")
            return None
        raw = self.rfile.read(length)
        try:
            pairs = urllib.parse.parse_qsl(
                raw.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS
            )
        except (UnicodeDecodeError, ValueError):
            self._refuse(HTTPStatus.BAD_REQUEST, "Formulaire illisible.")
            return None
        return dict(pairs)

    def _apply(self, session: Session, tab: Tab, form: dict[str, str], action: str) -> None:
        """The action of a submit button, on the tab's text (the session's lock held).

        The form is applied to the text its page was made from. When that text is still the
        draft, the result is the draft; when another tab changed the draft since, the result is
        this tab's own version, and only « Enregistrer quand même » makes it the draft (and
        writes it): the page offers that choice, or « Recharger le fichier du disque ».
        """
        structural = action.partition(":")[0] in fields.VERBS
        if action == "recharger":
            try:
                session.reload()
            except EssaimageError as exc:
                tab.message = f"Rechargement impossible\u00a0: {exc.message}"
                return
            tab.text, tab.conflict, tab.focus = session.draft, False, ""
            tab.message = (
                "Fichier relu depuis le disque\u202f; les modifications non enregistrées sont "
                "abandonnées."
            )
            return
        stale = tab.text != session.draft
        text, tab.focus = session.edited(tab.text, form, action if structural else "")
        tab.message = session.message
        if stale and text != session.draft and action != "ecraser":
            if text != tab.text:
                session.revision += 1  # the preview of this tab's version is made again
            tab.text, tab.conflict = text, True
            tab.message = (
                "Ce fichier a été modifié dans un autre onglet de l'éditeur depuis que cette page "
                "est ouverte\u00a0: rien n'est écrit et l'autre version reste le brouillon. "
                "Choisissez «\u00a0Enregistrer quand même\u00a0» pour la remplacer par celle de "
                "cette page, ou «\u00a0Recharger le fichier du disque\u00a0» pour abandonner vos "
                "modifications." + (f" {tab.message}" if tab.message else "")
            )
            return
        session.set_draft(text)
        tab.text = session.draft
        if action in ("enregistrer", "ecraser"):
            self._save(session, tab, overwrite=action == "ecraser")

    def _save(self, session: Session, tab: Tab, overwrite: bool) -> None:
        """Write the draft; the outcome on the tab's status line."""
        try:
            session.save(overwrite=overwrite)
        except Conflict:
            tab.conflict = True
            tab.message = (
                f"{session.shown} a changé sur le disque depuis son ouverture\u00a0: rien "
                "n'est écrit. Choisissez «\u00a0Enregistrer quand même\u00a0» pour le "
                "remplacer par votre version, ou «\u00a0Recharger le fichier du "
                "disque\u00a0» pour abandonner vos modifications."
            )
        except EssaimageError as exc:
            tab.message = f"Enregistrement impossible\u00a0: {exc.message}"
        except OSError as exc:
            tab.message = f"Enregistrement impossible\u00a0: {exc.strerror or exc}"
        else:
            tab.conflict = False
            errors = page.error_count(session)
            tab.message = f"Enregistré dans {session.shown}" + (
                f" (brouillon\u00a0: {errors}\u00a0{pluriel(errors, 'erreur')} à corriger)."
                if errors
                else "."
            )


def serve(server: EditorServer, ready: Callable[[str], None] | None = None) -> None:
    """Answer requests until interrupted (Ctrl-C), then close the socket."""
    if ready is not None:
        ready(server.address)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


def start_in_thread(server: EditorServer) -> threading.Thread:
    """The server answering in a background thread (for tests); `server.shutdown()` stops it."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    return thread
