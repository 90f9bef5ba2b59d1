"""Text cells of the CSV files essaimage writes (a plan's `sites.csv`, the open data tables),
made so that a spreadsheet shows them as text and never runs them as a formula.

Excel and LibreOffice read a cell that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK
(…)`, `=cmd|' /C calc'!A0`, `@SUM(…)`), and some do so after a tab, a line break or spaces. Following
OWASP's advice on CSV injection, such a text cell gets a leading apostrophe `'`, which spreadsheets
take as « this is text ». A text that starts with an apostrophe gets one more, so the rule can
be undone exactly: a cell that starts with `'` had one added; removing it gives the text back.
Only text cells are concerned: numbers are written as numbers (a negative amount stays `-12,5`).
"""

from __future__ import annotations

# What a spreadsheet may read as the start of a formula (OWASP: = + - @, tab, carriage return),
# and the apostrophe itself, so that the rule is reversible.
FORMULA_STARTS = frozenset("=+-@\t\r'")


def text_cell(text: str) -> str:
    """A text as a CSV cell no spreadsheet reads as a formula: `'` added before a text whose
    first character, or first after spaces and line breaks, is `= + - @ '`, a tab or a CR."""
    if not text:
        return text
    first = text[0]
    if first in FORMULA_STARTS:
        return "'" + text
    if first.isspace():
        rest = text.lstrip()
        if rest[:1] in FORMULA_STARTS:
            return "'" + text
    return text
