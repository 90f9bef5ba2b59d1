"""French typography applied to every document essaimage produces (kits, plans, site pages).

The rules are those of the Imprimerie nationale's lexique, as French publishers apply them:
- a narrow no-break space (U+202F) before « ; ! ? », a no-break space (U+00A0) before « : »,
  inside « guillemets », before « % » and « € », and after « n° »;
- the typographic apostrophe (’) between letters: « l’Ain », « aujourd’hui »;
- in HTML, « 1er » and « 1re » with their ending in superscript.

The same pass runs over the templates' words and the descriptors' values, since both reach the
reader. Code (Markdown code spans and fences, HTML `code`, `pre`, `style`, `script`), link
addresses and Markdown table delimiter rows are left as they are. Everything is done in one
left-to-right walk over the characters: no regular expression runs on a user's text.

`problemes()` is the other side: what a proofreader would mark in a produced text, used by the
tests on every example kit, plan and site page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from html import unescape

NBSP = "\u00a0"
THIN = "\u202f"
_SPACES = (" ", NBSP, THIN)
_THIN_BEFORE = frozenset(";!?")
_NBSP_BEFORE = frozenset(":%€")
_GLUED_OK = frozenset("%€")  # « 100% » gets its space; « 14:30 », « https: » do not


# One character at a time (a « 1 » only before « e » or « r », a space only after a figure or
# « 1er »): nothing to backtrack.
_AFTER_FIGURE = "|(?<=[0-9]) |(?<=1er) |(?<=1re) "
_TRIGGERS = re.compile("['’:;!?«»%€°]|1(?=[er])" + _AFTER_FIGURE)
_HTML_WORK = re.compile("['’:;!?«»%€°&]|1(?=[er])" + _AFTER_FIGURE)  # worth a pass


@functools.lru_cache(maxsize=4096)
def prose(text: str, html: bool = False) -> str:
    """A run of prose (no markup inside) with French spaces and apostrophes.

    Remembered for the last 4 096 texts: a run makes many documents whose lines repeat (the
    templates' words, a territory's names, one innovation's texts for many territories).

    With `html`, « 1er » is written `1<sup>er</sup>`. The text is walked from one sign that may
    need work to the next, so long texts without them cost a scan.
    """
    first = _TRIGGERS.search(text)
    if first is None:  # most lines: nothing to do
        return text
    out: list[str] = []  # chunks; the last character written is out[-1][-1]
    n = len(text)
    done = 0
    for match in _TRIGGERS.finditer(text, first.start()):
        i = match.start()
        if i < done:
            continue
        if i > done:
            out.append(text[done:i])
        done = i + 1
        char = text[i]
        before = out[-1][-1] if out and out[-1] else ""
        after = text[i + 1] if i + 1 < n else ""
        if char == " ":  # after a figure or « 1er »
            out.append(_space_after_figure(text, i))
        elif char in "'’":
            out.append("’" if before.isalpha() and after.isalpha() else char)
        elif char in _THIN_BEFORE or char in _NBSP_BEFORE:
            space = THIN if char in _THIN_BEFORE else NBSP
            if before == " ":
                out[-1] = out[-1][:-1] + space
            elif before == "\\" and out[-1][-2:-1] == " ":  # Markdown « \! »
                out[-1] = out[-1][:-2] + space + "\\"
            elif before and before not in _SPACES and _wants_space(char, before, after):
                out.append(space)
            out.append(char)
            if char == ":" and after == " ":
                lowered = _sentence_start_after_colon(text, i + 2)
                if lowered:
                    out.append(" " + lowered)
                    done = i + 2 + len(lowered)
        elif char == "«":
            out.append(char + ("" if after == NBSP else NBSP))
            if after == " ":
                done += 1
        elif char == "»":
            if before == " ":
                out[-1] = out[-1][:-1] + NBSP
            elif before != NBSP:
                out.append(NBSP)
            out.append(char)
        elif char == "°" and before in ("n", "N") and after == " ":
            out.append("°" + NBSP)  # « n° 3 »
            done += 1
        elif (
            html
            and char == "1"
            and not before.isalnum()
            and text.startswith(("er", "re"), i + 1)
            and not text[i + 3 : i + 4].isalnum()
        ):
            out.append(f"1<sup>{text[i + 1 : i + 3]}</sup>")
            done = i + 3
        else:
            out.append(char)
    out.append(text[done:])
    return "".join(out)


# Words that only begin a sentence or a phrase: after a colon, in running text, they take no
# capital (« Qui décide : le conseil municipal »). A name that begins with one keeps it when its
# next word has a capital too (« Le Mans », « La Rochelle »).
_OPENING_WORDS = frozenset(
    [
        "Le",
        "La",
        "Les",
        "L",
        "Un",
        "Une",
        "Des",
        "Du",
        "De",
        "D",
        "Ce",
        "Cet",
        "Cette",
        "Ces",
        "Chaque",
        "Aucun",
        "Aucune",
        "Il",
        "Elle",
        "Ils",
        "Elles",
        "On",
        "Tout",
        "Tous",
        "Toute",
        "Toutes",
        "Pas",
        "Plus",
        "Au",
        "Aux",
        "En",
        "Pour",
        "Par",
        "Avec",
        "Sans",
        "Si",
    ]
)


def _sentence_start_after_colon(text: str, j: int) -> str:
    """The first word at `j`, lowered, when it is one that only begins a sentence and the text
    goes on in lower case; else empty (the word stays as written)."""
    end = j
    while end < len(text) and end - j < 8 and text[end].isalpha():
        end += 1
    word = text[j:end]
    if word not in _OPENING_WORDS:
        return ""
    follow = text[end : end + 2]
    elided = word in ("L", "D") and follow[:1] in ("'", "’") and follow[1:2].islower()
    spaced = follow[:1] == " " and follow[1:2].islower()
    return word.lower() if elided or spaced else ""


def _space_after_figure(text: str, i: int) -> str:
    """The space at `i`, after a figure or « 1er »: narrow no-break between the groups of a
    number (« 10 000 »), no-break before the word or sign it counts (« 4 sites », « 1er mars »,
    « 20 € »), else as it is."""
    group = text[i + 1 : i + 4]
    if (
        text[i - 1].isdigit()
        and len(group) == 3
        and group.isdigit()
        and not text[i + 4 : i + 5].isdigit()
    ):
        return THIN
    after = text[i + 1 : i + 2]
    return NBSP if after.isalpha() or after in ("€", "%") else " "


def _wants_space(char: str, before: str, after: str) -> bool:
    """Whether a sign glued to the previous character should get its space.

    Only where it ends a phrase (« Note: ») or follows a figure (« 100% »), so that addresses
    (« https:// »), times (« 14:30 ») and queries (« ?page=2 ») are left alone.
    """
    if char in _GLUED_OK:
        return before.isdigit()
    if not (before.isalnum() or before in ")»"):
        return False
    return after in ("", " ", "\n", NBSP, THIN) or (char != ":" and after in "*_")


# --- Markdown ----------------------------------------------------------------------------------


def markdown(text: str) -> str:
    """A Markdown document with French typography in its prose (see the module's doc)."""
    lines = text.split("\n")
    for index in _prose_lines(lines):
        lines[index] = _markdown_line(lines[index])
    return "\n".join(lines)


def _prose_lines(lines: list[str]) -> Iterator[int]:
    """The indexes of the lines that hold prose: not in a fenced code block, not a table's
    delimiter row."""
    fence = ""
    for index, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if fence:
            fence = "" if stripped.startswith(fence) else fence
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif not _is_table_delimiter(stripped):
            yield index


def markdown_document(text: str) -> str:
    """A produced Markdown document with French typography in its prose (`markdown`) and laid
    out as linters and renderers expect: one blank line between blocks of different kinds
    (headings, lists, tables, quotes, paragraphs, code), never two, and one final newline.
    Templates can then be written for legibility, not for spacing. One walk over the lines."""
    out: list[str] = []
    previous = ""  # the kind of the last non-blank line
    blank = False
    fence = ""
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if fence:
            out.append(line)
            fence = "" if stripped.startswith(fence) else fence
            previous = "code"
            continue
        if not stripped:
            blank = bool(out)
            continue
        opens_fence = stripped.startswith(("```", "~~~"))
        if not opens_fence and not _is_table_delimiter(stripped):
            line = _markdown_line(line)  # prose: its typography, before its kind is read
            stripped = line.lstrip(" ")
        kind = _block_kind(stripped, line, previous)
        if opens_fence:
            fence = stripped[:3]
        if out and (blank or kind != previous or kind in ("titre", "code")):
            out.append("")
        out.append(line)
        previous, blank = kind, False
    return "\n".join(out) + "\n"


def _block_kind(stripped: str, line: str, previous: str) -> str:
    if stripped.startswith(("```", "~~~")):
        return "code"
    if stripped.startswith("#") and stripped.lstrip("#").startswith(" "):
        return "titre"
    if stripped.startswith("|"):
        return "table"
    if stripped.startswith(">"):
        return "citation"
    marker = stripped.split(" ", 1)[0]
    if marker in ("-", "*", "+") or (marker[:-1].isdigit() and marker[-1:] in ".)"):
        return "liste"
    if previous == "liste" and line.startswith("  "):
        return "liste"  # the continuation of an item
    return "paragraphe"


def _is_table_delimiter(line: str) -> bool:
    return line.startswith("|") and set(line) <= set("|-: ") and "-" in line


_MD_MARKS = re.compile(r"[\\`\]<]")


def _markdown_line(line: str) -> str:
    """Prose of one line, code spans and link addresses kept as they are."""
    if not _MD_MARKS.search(line):
        return prose(line)
    out: list[str] = []
    start = i = 0
    n = len(line)
    while i < n:
        found = _MD_MARKS.search(line, i)
        if found is None:
            break
        i = found.start()
        char = line[i]
        if char == "\\":
            i += 2
            continue
        if char == "`":
            run = 1
            while i + run < n and line[i + run] == "`":
                run += 1
            close = line.find("`" * run, i + run)
            if close != -1:
                out.append(prose(line[start:i]))
                out.append(line[i : close + run])
                start = i = close + run
                continue
            i += run
            continue
        if char == "]" and line.startswith("(", i + 1):
            close = line.find(")", i + 2)
            if close != -1:
                out.append(prose(line[start : i + 2]))
                out.append(line[i + 2 : close])
                start = i = close
                continue
        if char == "<" and line.startswith(("<http://", "<https://", "<mailto:"), i):
            close = line.find(">", i)
            if close != -1:
                out.append(prose(line[start:i]))
                out.append(line[i : close + 1])
                start = i = close + 1
                continue
        i += 1
    out.append(prose(line[start:]))
    return "".join(out)


# --- HTML --------------------------------------------------------------------------------------

_RAW = ("code", "pre", "style", "script", "textarea", "kbd", "samp")


_TAG = re.compile(r"(<[^<>]*>)")  # stops at the next « < »: linear
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_RAW_OPEN = re.compile("<(" + "|".join(_RAW) + r")[\s>]")


def html(text: str) -> str:
    """An HTML document we wrote (well formed, attributes escaped) with French typography in its
    character data; code, styles and scripts left as they are, « 1er » only in the body."""
    body = text.find("<body")
    if body == -1:
        return _html_region(text, in_body=False)
    return _html_region(text[:body], in_body=False) + _html_region(text[body:], in_body=True)


def html_fragment(text: str) -> str:
    """Part of a document's body (as `html` would do it within the whole document)."""
    return _html_region(text, in_body=True)


def _html_region(text: str, in_body: bool) -> str:
    """Prose between the raw elements (`code`, `pre`, `style`…), which are copied whole."""
    out = []
    position = 0
    while True:
        raw = _RAW_OPEN.search(text, position)
        out.append(_html_text(text[position : raw.start() if raw else len(text)], in_body))
        if raw is None:
            return "".join(out)
        close = text.find(f"</{raw.group(1)}", raw.end())
        end = len(text) if close == -1 else text.find(">", close) + 1 or len(text)
        out.append(text[raw.start() : end])
        position = end


# A character reference (`&gt;`, `&#160;`), whose « ; » is not punctuation: each is set aside as
# one character of Unicode's private use plane 15 while the prose is worked (« a &amp; b » would
# otherwise become « a &amp ; b »), then put back.
_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_ASIDE = 0xF0000
_ASIDE_USED = re.compile("[\U000f0000-\U000ffffd]")


def _html_text(text: str, in_body: bool) -> str:
    parts = _TAG.split(text)
    for index in range(0, len(parts), 2):
        part = parts[index]
        if part and _HTML_WORK.search(part):
            part = part.replace("&#39;", "'").replace("&#x27;", "'")
            parts[index] = _prose_around_references(part, in_body)
    return "".join(parts)


def _prose_around_references(text: str, in_body: bool) -> str:
    """`prose` on HTML character data, its character references kept whole."""
    if "&" not in text or _ASIDE_USED.search(text):
        return prose(text, in_body)
    references: list[str] = []

    def aside(found: re.Match[str]) -> str:
        references.append(found.group(0))
        return chr(_ASIDE + len(references) - 1)

    worked = prose(_REFERENCE.sub(aside, text), in_body)
    if not references:
        return worked
    return _ASIDE_USED.sub(lambda found: references[ord(found.group(0)) - _ASIDE], worked)


def _tag_name(tag: str) -> str:
    found = _TAG_NAME.match(tag)
    return found.group(1).lower() if found else ""


def document(text: str, name: str) -> str:
    """The typography pass a produced file gets, by its template's name (`….html.j2`, `….md.j2`)."""
    if ".html" in name:
        return html(text)
    if ".md" in name:
        return markdown_document(text)
    return text


# --- what a proofreader would mark -------------------------------------------------------------

_S = "[ \u00a0\u202f]"  # any space
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# Each is linear: fixed strings or character classes, no nested repetition.
_PROOFREADER = (
    (re.compile(r" [:;!?»%€]"), "espace ordinaire avant un signe qui veut une espace insécable"),
    (re.compile(r"« "), "espace ordinaire après « « »"),
    (re.compile(r"\u00a0[;!?]"), "espace insécable large avant « ; ! ? » (fine attendue)"),
    (re.compile(r"[^ \u00a0\u202f\\][;!?](?:[ \u00a0]|$)"), "signe collé au mot"),
    (re.compile(r"[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]"), "apostrophe droite"),
    (re.compile(r"\b[Dd]e" + _S + r"[AEIOUÂÊÎÔÛÉÈ][a-zéè]"), "« de » devant une voyelle"),
    (re.compile(r"\b[Dd]e" + _S + r"(?:avril|août|octobre)\b"), "« de » devant un mois à voyelle"),
    (re.compile(r"\b(?:[Dd]e|[Àà])" + _S + r"L(?:e|es)" + _S), "« de Le » ou « à Le »"),
    (re.compile(r"(?<![.])[.][.](?![.])|,,|;;|::|[:;,]" + _S + r"?[.:;,]"), "ponctuation doublée"),
    (re.compile(r"\)" + _S + r"?\(|\)\)"), "parenthèses empilées"),
    (re.compile(r":(?![*_])[^.:!?|\n]*\u00a0:"), "deux-points en cascade"),
    (re.compile(r"[0-9] [0-9]{3}(?![0-9])"), "espace sécable dans un nombre"),
    (re.compile(r"[0-9] [A-Za-zÀ-ÿ€%]|1(?:er|re) [a-zé]"), "espace sécable après un chiffre"),
    (
        re.compile(r"\u00a0: (?:Le|La|Les|Un|Une|Des|Du|Ce|Cette|Ces|Chaque) [a-zé]"),
        "majuscule après un deux-points",
    ),
    (re.compile("(?:" + _MONTHS + ")-(?:" + _MONTHS + ")"), "mois reliés par un trait d'union"),
    (
        re.compile(
            "(?:"
            + _MONTHS
            + ")"
            + _S
            + "([0-9]{4})"
            + _S
            + "à"
            + _S
            + "(?:"
            + _MONTHS
            + ")"
            + _S
            + r"\1"
        ),
        "année répétée dans un intervalle de mois",
    ),
    (re.compile(r"^\|? ?—(?: \|)|\| — \||^—$"), "case vide « — »"),
)


def problemes(text: str, kind: str) -> list[str]:
    """What a proofreader would mark in a produced document (`kind` is `md` or `html`): each as
    « problem : excerpt ». Empty for a document in good French typography."""
    segments = _html_prose(text) if kind == "html" else _markdown_prose(text)
    found = []
    for segment in segments:
        for pattern, label in _PROOFREADER:
            for match in pattern.finditer(segment):
                start = max(0, match.start() - 30)
                found.append(f"{label} : …{segment[start : match.end() + 30]}…")
    found.extend(_empty_headings(text, kind))
    return found


def _markdown_prose(text: str) -> list[str]:
    segments = []
    lines = text.split("\n")
    for index in _prose_lines(lines):
        line = lines[index]
        prose_only = " ".join(line.split("`")[::2])  # outside code spans
        prose_only = re.sub(r"\]\((?:<[^<>]*>|[^()\s]*)\)", "]", prose_only)  # link addresses
        segments.append(prose_only.replace("\\", ""))
    return segments


def _html_prose(text: str) -> list[str]:
    segments = []
    raw = 0
    for index, part in enumerate(_TAG.split(text)):
        if index % 2:
            name = _tag_name(part)
            if name in _RAW and not part.endswith("/>"):
                raw += -1 if part.startswith("</") else 1
        elif not raw:
            segments.append(unescape(part))  # the text a reader sees (« &gt; » is « > »)
    return segments


def _empty_headings(text: str, kind: str) -> list[str]:
    """Headings with nothing under them before the next heading of the same or a higher level."""
    if kind == "html":
        headings = list(re.finditer(r"<h([1-6])\b[^>]*>(.*?)</h\1>", text, re.S))
        return [
            f"titre sans contenu : {heading.group(2)}"
            for heading, following in zip(headings, [*headings[1:], None], strict=False)
            if not heading.group(2).strip()
            or (
                following is not None
                and not text[heading.end() : following.start()].strip()
                and int(following.group(1)) <= int(heading.group(1))
            )
        ]
    found = []
    previous: tuple[int, str] | None = None
    for line in text.split("\n"):
        if not line.strip():
            continue
        level = len(line) - len(line.lstrip("#"))
        if 1 <= level <= 6 and line[level : level + 1] == " ":
            title = line[level:].strip()
            if not title or (previous and level <= previous[0]):
                found.append(f"titre sans contenu : {(previous or (level, title))[1]}")
            previous = (level, title)
        else:
            previous = None
    return found
