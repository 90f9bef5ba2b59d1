"""One editing session: the file, its text on disk when opened or last saved, and the draft.

The draft is a text: each change of the form is written into it by `yaml_edit` (only the values
that changed), then checked by the same pipeline as `essaimage validate -` with the file's name,
so the editor never has a checker of its own. A file whose YAML cannot be read is edited as
text until it can be. Saving writes the draft atomically; a file changed on disk since it was
opened or saved is not overwritten unless the user says so.

Tabs. The same session may be open in several pages (browser tabs). Each page load is a `Tab`
with its own name, carried by its form: the text its form was made from, its status line, its
conflict prompt, its focus and its preview's territory. A form is applied to its tab's text; when
that text is no longer the draft (another tab changed the draft since), the result stays the
tab's own version and the tab is asked what to do, so that an older page never overwrites what
another tab wrote.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..check.loader import MAX_BYTES, Document, load_bytes
from ..check.pipeline import check_files
from ..errors import OutputError, UsageError
from ..files.confinement import Unreadable, allowed_roots, is_inside, read_regular_file
from ..files.output import atomic_write, sha256
from ..files.paths import display_path
from ..findings import Finding, Severity, internal_error
from . import fields
from .yaml_edit import updated_text

TEXT_FIELD = "__texte"  # the text area of a file whose YAML cannot be read
MAX_TABS = 100  # pages remembered; the oldest is forgotten (its form then applies to the draft)
MAX_STATES = 8  # states kept of texts that are not the draft (tabs' own versions)


class Conflict(Exception):
    """The file changed on disk since the editor read or wrote it."""


@dataclass
class State:
    """What the page shows: the draft's data (None when its YAML cannot be read), its tree of
    fields, its findings and the name of the field to focus."""

    data: Any
    tree: fields.Node | None
    model: type[BaseModel] | None
    findings: list[Finding]
    by_field: dict[str, list[Finding]]
    unplaced: list[Finding]


@dataclass
class Tab:
    """One page open on the session: the text its form shows (the draft, unless another tab
    changed the draft since), and what its page says."""

    text: str
    message: str = ""  # the last action's outcome, for the page's status line
    conflict: bool = False  # whether the page offers « Enregistrer quand même » and « Recharger »
    focus: str = ""  # the field to focus after an action
    territoire: str = ""  # the preview's territory


@dataclass
class Session:
    """The file being edited and its draft; every method holds the session's lock."""

    path: Path  # absolute
    shown: str
    kind: str  # "innovation", "territoire", "plan" or "configuration"
    disk_digest: str | None  # SHA-256 of the bytes on disk when last read or written; None: new
    draft: str
    saved: str | None  # the text on disk when last read or written
    revision: int = 0  # counts the changes of the draft and of the tabs' own versions
    message: str = ""  # the last update's outcome
    state: State | None = None
    tabs: OrderedDict[str, Tab] = field(default_factory=OrderedDict, repr=False)
    states: OrderedDict[str, State] = field(default_factory=OrderedDict, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def unsaved(self) -> bool:
        """Whether the draft differs from the file on disk."""
        return self.draft != self.saved

    def current(self) -> State:
        """The draft's state, computed once per change."""
        if self.state is None:
            self.state = _state_of(self.path, self.draft)
        return self.state

    def state_of(self, text: str) -> State:
        """The state of the draft, or of another text (a tab's own version)."""
        if text == self.draft:
            return self.current()
        state = self.states.pop(text, None) or _state_of(self.path, text)
        self._keep(text, state)
        return state

    def _keep(self, text: str, state: State) -> None:
        self.states[text] = state
        while len(self.states) > MAX_STATES:
            self.states.popitem(last=False)

    def open_tab(self) -> str:
        """A new page on the draft; its name, for its form."""
        name = secrets.token_urlsafe(12)
        self.tabs[name] = Tab(self.draft)
        while len(self.tabs) > MAX_TABS:
            self.tabs.popitem(last=False)
        return name

    def tab(self, name: str) -> tuple[str, Tab]:
        """The page of this name, or a new one on the draft (a form without a name, or of a page
        forgotten): its name and the tab."""
        if name not in self.tabs:
            name = self.open_tab()
        self.tabs.move_to_end(name)
        return name, self.tabs[name]

    def update(self, form: dict[str, str], action: str = "") -> str:
        """Write the form's values (and an add, remove or move `action`) into the draft; the
        name of the field to focus."""
        text, focus = self.edited(self.draft, form, action)
        if text != self.draft:
            self.set_draft(text)
        return focus

    def edited(self, text: str, form: dict[str, str], action: str = "") -> tuple[str, str]:
        """`text` with the form's values (and an add, remove or move `action`) written into it,
        and the name of the field to focus; `message` says what could not be done."""
        state = self.state_of(text)
        self.message = ""
        if state.tree is None or state.model is None:
            if TEXT_FIELD in form:
                return form[TEXT_FIELD].replace("\r\n", "\n"), ""
            return text, ""
        focus = ""
        try:  # an action applies the form's values first
            new, focus = (
                fields.apply_action(state.data, state.model, action, form)
                if action
                else (fields.data_from_form(state.data, state.model, form), "")
            )
        except fields.ActionRefused as refused:
            self.message = str(refused)
            new = fields.data_from_form(state.data, state.model, form)
        if new == state.data:
            return text, focus
        try:
            return updated_text(text, state.data, new), focus
        except ValueError:  # e.g. a value shared through a YAML anchor (`&a` … `*a`)
            self.message = (
                "Cette modification ne peut pas être écrite sans changer d'autres parties "
                "du fichier (une valeur partagée par une ancre YAML, par exemple)\u00a0: le "
                "brouillon reste tel qu'il était. Faites-la dans un éditeur de texte."
            )
            return text, ""

    def save(self, overwrite: bool = False) -> None:
        """Write the draft to the file. Conflict when the file changed on disk since it was
        read or written (unless `overwrite`); OutputError when it cannot be written."""
        on_disk = _digest_on_disk(self.path)
        if on_disk != self.disk_digest and not overwrite:
            raise Conflict
        atomic_write(self.path, self.draft)
        self.saved, self.disk_digest = self.draft, sha256(self.draft)

    def reload(self) -> None:
        """Drop the draft and read the file again from disk."""
        text, digest = read_file(self.path)
        self.saved, self.disk_digest = text, digest
        self.set_draft(text if text is not None else self.draft)

    def set_draft(self, text: str) -> None:
        """Make `text` the draft."""
        if text == self.draft:
            return
        if self.state is not None:  # kept: a tab may still show the old draft
            self._keep(self.draft, self.state)
        self.draft = text
        self.revision += 1
        self.state = self.states.pop(text, None)


_OUT_OF_THE_REPOSITORY = (
    "« {shown} » est un lien vers un fichier hors du dépôt : essaimage ne lit ni ne modifie que "
    "les fichiers du dépôt"
)


def open_session(path: Path, new_kind: str | None = None, skeleton: str = "") -> Session:
    """A session on `path`: the file as it is on disk, or for `new_kind` the skeleton text
    (the file must not exist yet). UsageError for a file outside the repository, unreadable, a
    folder, or existing when a new one is asked for."""
    path = Path(path).absolute()
    shown = display_path(path)
    if not is_inside(path, allowed_roots(path)):
        raise UsageError(_OUT_OF_THE_REPOSITORY.format(shown=shown))
    if new_kind is not None:
        if path.exists() or path.is_symlink():
            raise UsageError(
                f"« {shown} » existe déjà : ouvrez-le avec « essaimage editer {shown} »"
            )
        return Session(path, shown, new_kind, None, skeleton, None)
    if not path.exists():
        raise UsageError(
            f"« {shown} » n'existe pas",
            "Pour créer un fichier : essaimage editer --nouveau innovation (ou territoire, plan).",
        )
    text, digest = read_file(path)
    if text is None:
        raise UsageError(f"« {shown} » n'est pas lisible")
    session = Session(path, shown, "", digest, text, text)
    session.kind = kind_of(session.current().model)
    return session


def read_file(path: Path) -> tuple[str | None, str | None]:
    """The file's text (undecodable bytes replaced) and the SHA-256 of its bytes; (None, None)
    when it does not exist. UsageError when it cannot be read, or when it is now (links
    resolved at each reading) a link to a file out of the repository."""
    if (path.exists() or path.is_symlink()) and not is_inside(path, allowed_roots(path)):
        raise UsageError(_OUT_OF_THE_REPOSITORY.format(shown=display_path(path)))
    try:
        raw = read_regular_file(path, MAX_BYTES)
    except Unreadable as exc:
        if not path.exists():
            return None, None
        raise UsageError(f"« {display_path(path)} » : {exc}") from None
    return raw.decode("utf-8", errors="replace"), sha256(raw)


def _digest_on_disk(path: Path) -> str | None:
    try:
        return read_file(path)[1]
    except UsageError as exc:
        raise OutputError(str(exc)) from None


KINDS_OF_MODEL = {
    "Innovation": "innovation",
    "Profil": "territoire",
    "FichierPlan": "plan",
    "FichierRetour": "retour",
}


def kind_of(model: type[BaseModel] | None) -> str:
    """The kind of file a model describes ("configuration" for essaimage.yaml, "" unknown)."""
    if model is None:
        return ""
    return KINDS_OF_MODEL.get(model.__name__, "configuration")


def _state_of(path: Path, text: str) -> State:
    """The draft read by essaimage, its fields, and the pipeline's findings placed on them."""
    findings, document = check_draft(path, text)
    data = document.data if document is not None else None
    if not isinstance(data, dict):
        return State(data, None, None, findings, {}, list(findings))
    model = fields.model_for(data, path)
    tree = fields.form_tree(data, model)
    by_field: dict[str, list[Finding]] = {}
    unplaced = []
    shown = display_path(path)
    for finding in findings:
        name = fields.field_for_finding(tree, finding.path) if finding.file == shown else None
        if name:
            by_field.setdefault(name, []).append(finding)
        else:
            unplaced.append(finding)
    return State(data, tree, model, findings, by_field, unplaced)


def check_draft(path: Path, text: str) -> tuple[list[Finding], Document | None]:
    """The findings `essaimage validate - --nom-fichier FILE` gives for this text, sorted, and
    the text as the pipeline read it (None when its YAML cannot be read)."""
    try:
        result, checked = check_files([path], contents={path: text.encode("utf-8")})
    except Exception as exc:  # noqa: BLE001 - an internal error is a finding, never a crash
        return [internal_error(display_path(path), exc)], _document_of(text, path)
    return result.sorted_findings(), checked[0].document


def _document_of(text: str, path: Path) -> Document | None:
    return load_bytes(text.encode("utf-8"), display_path(path)).document


def counts(findings: list[Finding]) -> dict[Severity, int]:
    """How many findings of each level."""
    found = dict.fromkeys(Severity, 0)
    for finding in findings:
        found[finding.severity] += 1
    return found
