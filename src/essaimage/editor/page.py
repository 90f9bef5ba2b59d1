"""The editor's HTML: the page of a session, the summary of its findings and the live update.

The package's own templates (`templates/editeur/`), in a plain autoescaped environment: they
are trusted code, and every value of the file they show is escaped. The live update sends, for
each field, its findings as HTML made by the same macro as the page, so that a script only puts
them in place and never rebuilds a control (the field being typed in keeps its focus).

Everything shown goes through French typography (`text.typography`), as the kits do: the
findings' messages are the terminal's, with plain spaces, and the page prints them as prose.
Values and attributes are left as they are (`input` values, `textarea`, `option` values), so a
form submitted unchanged changes nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..findings import Finding, Severity
from ..format import scalars
from ..text import typography
from ..text.french import pluriel
from .fields import Node
from .session import Session, State, Tab, counts

LEVELS = {Severity.ERREUR: "Erreur", Severity.AVERTISSEMENT: "Avertissement", Severity.INFO: "Info"}
TITLES = {
    "innovation": "Fiche d'innovation",
    "territoire": "Profil de territoire",
    "plan": "Plan de montée en charge",
    "configuration": "Configuration du dépôt",
    "": "Fichier essaimage",
}
_INPUT_MODES = {"nombre": "decimal", "entier": "numeric", "lien": "url", "courriel": "email"}


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("essaimage", "templates/editeur"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(
        niveau=lambda f: LEVELS[f.severity],
        erreur=lambda found: any(f.severity is Severity.ERREUR for f in found),
        lignes=lambda value: min(20, max(4, (value or "").count("\n") + 2)),
        oui_non=_yes_no,
        choisi=_chosen,
        saisie=_input_attributes,
        loop_first=lambda node, parent: parent.children[0] is node,
        loop_last=lambda node, parent: parent.children[-1] is node,
        bilan=_tally,
        compter=counts,
    )
    env.filters["ident"] = ident
    return env


_ID_UNSAFE = re.compile("[~\t\n\f\r ]")


def ident(name: str) -> str:
    """A field's name as it goes in an `id` (and `for`, `aria-describedby`, `href="#…"`): HTML's
    spaces, which an id may not hold and which split `aria-describedby`, written `~20` (`~`
    itself `~7e`, so that two names never give one id). A table's key may hold spaces
    (« Conseiller France Services »)."""
    return _ID_UNSAFE.sub(lambda found: f"~{ord(found.group(0)):02x}", name)


def _yes_no(text: str) -> bool | None:
    """What a yes-or-no text of the file means, None when it means neither."""
    try:
        value = scalars.to_boolean(text)
    except ValueError:  # pydantic's error for a text that is neither
        return None
    return value if isinstance(value, bool) else None


def _chosen(node: Node, value: str) -> bool:
    if node.kind == "oui_non" and node.value:
        return _yes_no(node.value) is (value == "oui")
    return node.value == value


def _input_attributes(node: Node) -> str:
    attributes = ""
    if node.kind in _INPUT_MODES:
        attributes += f' inputmode="{_INPUT_MODES[node.kind]}"'
    if node.kind in ("date", "annee_ou_date"):
        attributes += ' placeholder="AAAA-MM-JJ"'
    if node.kind in ("identifiant", "lien", "courriel", "licence", "date"):
        attributes += ' spellcheck="false" autocapitalize="off"'
    return attributes


def _tally(found: dict[Severity, int]) -> str:
    parts = [
        f"{count}\u00a0{pluriel(count, LEVELS[level].lower())}"
        for level, count in found.items()
        if count
    ]
    return ", ".join(parts) + "."


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _context(session: Session, state: State, tab: Tab) -> dict[str, Any]:
    placed = {f: name for name, found in state.by_field.items() for f in found}
    kinds = {n.name: n.kind for n in _walk(state.tree)} if state.tree else {}

    def anchor(finding: Finding) -> str:
        name = placed.get(finding)
        if name is None:
            return ""
        return ("s-" if kinds.get(name) in ("groupe", "liste", "table") else "f-") + ident(name)

    def is_open(node: Node) -> bool:
        return any(n.name in state.by_field for n in _walk(node)) or any(
            n.name == tab.focus for n in _walk(node)
        )

    def count(node: Node) -> int:
        return sum(len(state.by_field.get(n.name, ())) for n in _walk(node))

    return {
        "session": session,
        "state": state,
        "tab": tab,
        "lien": anchor,
        "ouvert": is_open,
        "compte": count,
    }


def title_of(session: Session, state: State) -> str:
    """The page's title: the kind of file and, when it has one, its name."""
    name = ""
    if isinstance(state.data, dict):
        holder = state.data.get("territoire") if session.kind == "territoire" else state.data
        value = holder.get("nom") if isinstance(holder, dict) else None
        name = value if isinstance(value, str) else ""
    kind = TITLES.get(session.kind, TITLES[""])
    return f"{kind} «\u00a0{name.strip()}\u00a0»" if name.strip() else kind


def render_page(
    session: Session, name: str = "", tab: Tab | None = None, profils: list[str] | None = None
) -> str:
    """The whole page of a tab (by default a new one on the draft): the form of its text."""
    if tab is None:
        name, tab = session.tab(name)
    state = session.state_of(tab.text)
    context = _context(session, state, tab)
    context.update(
        titre=title_of(session, state),
        onglet=name,
        non_enregistre=tab.text != session.saved,
        profils=profils or [],
    )
    return typography.html(_environment().get_template("editeur.html.j2").render(context))


def live_update(session: Session, tab: Tab) -> dict[str, Any]:
    """What the page's script puts in place after a change: the summary's HTML, each field's
    findings as HTML (by field name), each section's count of findings (the badge of its
    summary, as HTML), the fields with errors, the revision, the status and whether to offer
    the conflict's choices."""
    state = session.state_of(tab.text)
    env = _environment()
    context = _context(session, state, tab)
    summary = env.get_template("resume.html.j2").render(context)
    macros = env.get_template("champs.html.j2").make_module(context)
    constats = getattr(macros, "constats")  # noqa: B009 - a macro of the template
    fields = {
        name: typography.html_fragment(str(constats(name, found)))
        for name, found in state.by_field.items()
    }
    pastille = getattr(macros, "pastille")  # noqa: B009 - a macro of the template
    sections = state.tree.children if state.tree else []
    badges = {
        node.name: typography.html_fragment(str(pastille(node)))
        for node in sections
        if node.kind in ("groupe", "liste", "table")
    }
    invalid = [
        name
        for name, found in state.by_field.items()
        if any(f.severity is Severity.ERREUR for f in found)
    ]
    return {
        "revision": session.revision,
        "resume": typography.html_fragment(summary),
        "constats": fields,
        "pastilles": badges,
        "invalides": invalid,
        "etat": typography.prose(tab.message),
        "conflit": tab.conflict,
        "texte": state.tree is None,
    }


def error_count(session: Session) -> int:
    """How many errors the draft has."""
    return counts(session.current().findings)[Severity.ERREUR]


def preview_message(reason: str, findings: list[Finding]) -> str:
    """The preview frame's page when there is no kit to show: why, and the findings that say
    it."""
    return typography.html(
        _environment()
        .get_template("apercu-absent.html.j2")
        .render(raison=reason, constats=findings)
    )
