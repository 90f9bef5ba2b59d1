"""Check that the synthèse of each HTML kit fits the first printed A4 page.

Not part of the test suite: it needs Chromium (`/usr/bin/chromium`, Debian package `chromium`)
and pypdf (`pip install pypdf`), which a fresh CI machine does not have. Run it after changing the
synthèse or the print style sheet:

    essaimage kit examples/innovations/*.yaml -t saint-brieuc -t redon-agglomeration \
        -t 01001 -t 13055 -t 01 -t region:53 -o /tmp/kits -f html
    python scripts/check_print.py /tmp/kits

Each kit is printed to PDF by headless Chromium (A4, the kit's own @page rules); the first page
must hold the whole synthèse (its last heading and rows) and part 2 must start on page 2; no
heading of the kit (h2, h3, h4) may sit in the last lines of a page, away from what it titles.
Exit code: the number of kits with a problem.
"""

from __future__ import annotations

import html as html_module
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

LAST_ROW = "Préparation du descripteur"
NEXT_PART = "2. Est-ce pour votre territoire"
FOOT_LINES = 2  # a heading among the last lines of a page is stranded there


def printed_pages(html: Path, folder: Path) -> list[list[str]]:
    """The lines of each printed page, spaces normalised."""
    pdf = folder / f"{html.parent.name}-{html.stem}.pdf"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", html.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return [
        [
            " ".join(line.split())
            for line in (page.extract_text() or "").splitlines()
            if line.strip()
        ]
        for page in PdfReader(pdf).pages
    ]


def headings(html: Path) -> set[str]:
    """The text of the kit's h2, h3 and h4, as printed."""
    source = html.read_text(encoding="utf-8")
    found = re.findall(r"<h[234][^>]*>(.*?)</h[234]>", source, re.S)
    return {" ".join(html_module.unescape(re.sub(r"<[^>]+>", "", h)).split()) for h in found}


def stranded(pages: list[list[str]], titles: set[str]) -> list[str]:
    """Headings printed in the last lines of a page while their section goes on overleaf (the
    next page does not open on a heading)."""
    return [
        f"« {line} » en bas de la page {number}"
        for number, (lines, following) in enumerate(zip(pages, pages[1:], strict=False), 1)
        for line in lines[-FOOT_LINES:]
        if line in titles and following and following[0] not in titles
    ]


def fits(first: str, second: str) -> bool:
    """The synthèse is whole on page 1, and nothing of it spills over to page 2."""
    spilled = any(
        heading in second and heading not in first
        for heading in ("Le cœur en bref", "Résultats clés", LAST_ROW)
    )
    return LAST_ROW in first and NEXT_PART not in first and not spilled


def main(folder: str) -> int:
    """Print every kit of the folder and report those whose synthèse overflows or whose
    headings are stranded at a page foot."""
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for html in sorted(Path(folder).glob("*/*.html")):
            pages = printed_pages(html, Path(tmp))
            text = [" ".join(lines) for lines in pages] + [""]
            problems = [] if fits(text[0], text[1]) else ["la synthèse déborde de la page 1"]
            problems += stranded(pages, headings(html))
            failures += bool(problems)
            state = "ok  " if not problems else "PROBLÈME"
            print(f"{state} {html.parent.name}/{html.name} ({len(pages)} pages)")
            for problem in problems:
                print(f"     {problem}")
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "kits"))
