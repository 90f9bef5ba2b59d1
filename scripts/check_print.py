"""Check that the synthèse of each HTML kit fits the first printed A4 page.

Not part of the test suite: it needs Chromium (`/usr/bin/chromium`, Debian package `chromium`)
and pypdf (`pip install pypdf`), which a fresh CI machine does not have. Run it after changing the
synthèse or the print style sheet:

    essaimage kit examples/innovations/*.yaml -t saint-brieuc -t redon-agglomeration \
        -t 01001 -t 13055 -t 01 -t region:53 -o /tmp/kits -f html
    python scripts/check_print.py /tmp/kits

Each kit is printed to PDF by headless Chromium (A4, the kit's own @page rules); the first page
must hold the whole synthèse (its last heading and rows) and part 2 must start on page 2.
Exit code: the number of kits whose synthèse does not fit.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

LAST_ROW = "Préparation du descripteur"
NEXT_PART = "2. Est-ce pour mon territoire"


def first_pages(html: Path, folder: Path) -> tuple[str, str, int]:
    """The text of the first two printed pages (spaces normalised) and the page count."""
    pdf = folder / f"{html.parent.name}-{html.stem}.pdf"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", html.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pages = [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]
    return pages[0], pages[1] if len(pages) > 1 else "", len(pages)


def fits(first: str, second: str) -> bool:
    """The synthèse is whole on page 1, and nothing of it spills over to page 2."""
    spilled = any(
        heading in second and heading not in first
        for heading in ("Le cœur en bref", "Résultats clés", LAST_ROW)
    )
    return LAST_ROW in first and NEXT_PART not in first and not spilled


def main(folder: str) -> int:
    """Print every kit of the folder and report those whose synthèse overflows."""
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for html in sorted(Path(folder).glob("*/*.html")):
            first, second, count = first_pages(html, Path(tmp))
            ok = fits(first, second)
            failures += not ok
            print(f"{'ok  ' if ok else 'TROP LONG'} {html.parent.name}/{html.name} ({count} pages)")
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "kits"))
