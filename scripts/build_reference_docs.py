"""Build the reference documents that give essaimage's ODT and DOCX kits their styles:
`src/essaimage/templates/reference.odt` and `reference.docx`.

They are pandoc's own default reference documents (`pandoc --print-default-data-file`), with
two changes: a sober sans-serif for every text (Arial, which LibreOffice shows with its metric
twin Liberation Sans), instead of Aptos (Word) and Times New Roman (ODT), no font reserved to the
State's brand (Marianne); thin grey rules in the tables of DOCX documents (pandoc's ODT tables
carry their own style). Written with fixed dates in a fixed order: the same pandoc gives the
same bytes.

Run: python scripts/build_reference_docs.py  (needs pandoc: pip install pypandoc-binary)
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from essaimage.render.office import pandoc_path

OUT = Path(__file__).resolve().parent.parent / "src" / "essaimage" / "templates"
FONT = "Arial"
CHANGES = {
    "docx": {
        "word/styles.xml": [
            (  # thin grey rules between the rows and columns of every table
                '<w:tblInd w:w="0" w:type="dxa" />',
                '<w:tblInd w:w="0" w:type="dxa" /><w:tblBorders>'
                + "".join(
                    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
                    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
                )
                + "</w:tblBorders>",
            ),
        ],
        "word/theme/theme1.xml": [
            ('<a:latin typeface="Aptos Display"', f'<a:latin typeface="{FONT}"'),
            ('<a:latin typeface="Aptos"', f'<a:latin typeface="{FONT}"'),
        ],
    },
    "odt": {
        "styles.xml": [("Times New Roman", FONT)],
    },
}


def default_reference(fmt: str) -> bytes:
    """Pandoc's default reference document for this format."""
    done = subprocess.run(
        [pandoc_path(), "--print-default-data-file", f"reference.{fmt}"],
        capture_output=True,
        check=True,
    )
    return done.stdout


def rebuilt(data: bytes, changes: dict[str, list[tuple[str, str]]]) -> bytes:
    """The archive with its members changed, at a fixed date, `mimetype` first and stored."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        names.sort(key=lambda name: name != "mimetype")
        for name in names:
            content = source.read(name)
            for old, new in changes.get(name, []):
                text = content.decode("utf-8")
                if old not in text:
                    raise SystemExit(f"{name} : « {old} » introuvable (pandoc a changé ?)")
                content = text.replace(old, new).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def main() -> None:
    """Write both reference documents."""
    for fmt, changes in CHANGES.items():
        path = OUT / f"reference.{fmt}"
        path.write_bytes(rebuilt(default_reference(fmt), changes))
        print(f"écrit : {path}")


if __name__ == "__main__":
    main()
