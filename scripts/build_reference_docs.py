"""Build the reference documents that give essaimage's ODT and DOCX kits their styles:
`src/essaimage/templates/reference.odt` and `reference.docx`.

They are pandoc's own default reference documents (`pandoc --print-default-data-file`), with
these changes:

- A4 pages with 2 cm margins (pandoc's are US Letter with 1 inch margins; pandoc takes the DOCX
  page from the last `w:sectPr` of `word/document.xml`, the ODT page from the page layout of
  `styles.xml`); text in 11 pt, tables in 10 pt, and a 9 pt style for the tables too wide for
  10 pt: the column widths of `templates/tableaux.lua` count on these (17 cm of text);
- a sober sans-serif for every text (Arial, which LibreOffice shows with its metric twin
  Liberation Sans), instead of Aptos (Word) and Times New Roman (ODT), no font reserved to the
  State's brand (Marianne); the ODT title in 20 pt (LibreOffice's own Title is 28 pt);
- thin grey rules in the tables of DOCX documents, their header row in bold (pandoc writes the
  cell styles of ODT tables in each document: `render/office.py` rules them);
- ODT headings kept on one page as well as with what follows (DOCX headings already are:
  `w:keepNext`, `w:keepLines`).

Written with fixed dates in a fixed order: the same pandoc gives the same bytes.

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
            ('<w:sz w:val="24" />', '<w:sz w:val="22" />'),  # text in 11 pt, not 12
            ('<w:szCs w:val="24" />', '<w:szCs w:val="22" />'),
            (  # the paragraph styles of tables' text (templates/tableaux.lua): 10 pt, and 9 pt
                # for a table too wide for 10 pt
                "</w:styles>",
                '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Tableau">'
                '<w:name w:val="Tableau" /><w:basedOn w:val="Compact" /><w:qFormat />'
                '<w:rPr><w:sz w:val="20" /><w:szCs w:val="20" /></w:rPr></w:style>'
                '<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableauSerre">'
                '<w:name w:val="TableauSerre" /><w:basedOn w:val="Tableau" /><w:qFormat />'
                '<w:rPr><w:sz w:val="18" /><w:szCs w:val="18" /></w:rPr></w:style></w:styles>',
            ),
            (  # the header row in bold, as in ODT documents
                '<w:tblStylePr w:type="firstRow">',
                '<w:tblStylePr w:type="firstRow"><w:rPr><w:b /><w:bCs /></w:rPr>',
            ),
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
        "word/document.xml": [
            (  # A4 (in twentieths of a point), 2 cm margins, header and footer at 1.25 cm
                "</w:footnotePr>",
                '</w:footnotePr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" '
                'w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" '
                'w:gutter="0"/>',
            ),
        ],
        "word/theme/theme1.xml": [
            ('<a:latin typeface="Aptos Display"', f'<a:latin typeface="{FONT}"'),
            ('<a:latin typeface="Aptos"', f'<a:latin typeface="{FONT}"'),
        ],
    },
    "odt": {
        "styles.xml": [
            ("Times New Roman", FONT),
            ('fo:font-size="12pt"', 'fo:font-size="11pt"'),  # text in 11 pt, not 12
            ('style:font-size-asian="12pt"', 'style:font-size-asian="11pt"'),
            ('style:font-size-complex="12pt"', 'style:font-size-complex="11pt"'),
            ('fo:page-width="8.5in"', 'fo:page-width="21cm"'),
            ('fo:page-height="11in"', 'fo:page-height="29.7cm"'),
            ('fo:margin-top="1in"', 'fo:margin-top="2cm"'),
            ('fo:margin-bottom="1in"', 'fo:margin-bottom="2cm"'),
            ('fo:margin-left="1in"', 'fo:margin-left="2cm"'),
            ('fo:margin-right="1in"', 'fo:margin-right="2cm"'),
            (  # tables' text in 10 pt (the widths of templates/tableaux.lua count on it)
                'text:line-number="0" />\n    </style:style>\n'
                '    <style:style style:name="Table_20_Heading"',
                'text:line-number="0" /><style:text-properties fo:font-size="10pt" '
                'style:font-size-asian="10pt" style:font-size-complex="10pt" />\n'
                '    </style:style>\n    <style:style style:name="Table_20_Heading"',
            ),
            (  # the character style of the tables too wide for 10 pt (templates/tableaux.lua)
                '<style:style style:name="Table_20_Heading"',
                '<style:style style:name="TableauSerre" style:display-name="Tableau serré" '
                'style:family="text"><style:text-properties fo:font-size="9pt" '
                'style:font-size-asian="9pt" style:font-size-complex="9pt" /></style:style>'
                '<style:style style:name="Table_20_Heading"',
            ),
            (  # the document's title, which LibreOffice would set in 28 pt: 20 pt, bold
                '<style:style style:name="Heading_20_1"',
                '<style:style style:name="Title" style:family="paragraph" '
                'style:parent-style-name="Heading" style:next-style-name="Text_20_body" '
                'style:class="chapter"><style:paragraph-properties fo:text-align="center" />'
                '<style:text-properties fo:font-size="20pt" fo:font-weight="bold" '
                'style:font-size-asian="20pt" style:font-weight-asian="bold" '
                'style:font-size-complex="20pt" style:font-weight-complex="bold" />'
                '</style:style><style:style style:name="Heading_20_1"',
            ),
            (  # headings (and captioned figures) on one page, with what follows
                'fo:keep-with-next="always" />',
                'fo:keep-with-next="always" fo:keep-together="always" />',
            ),
        ],
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
