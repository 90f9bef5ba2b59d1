"""The files of a computed plan: the plan document (Markdown and HTML), the sites as CSV and
JSON, and (on request) every target's kit, all in `DIR/<plan-id>/`.

The CSV is what French spreadsheets open directly: `;` between cells, a decimal comma, UTF-8
with a byte order mark; a text that a spreadsheet would run as a formula starts with `'`
(`spreadsheet.text_cell`). Nothing is replaced that essaimage did not write (manifest
`.essaimage-kits`, as for kits). Nothing here prints.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..errors import OutputError
from ..files import manifest
from ..files.confinement import inside_folder
from ..files.manifest import WrittenFiles
from ..files.output import OutputFolder
from ..plan.compute import PlanCalcule, SitePlan
from ..text.spreadsheet import text_cell
from . import template_data
from .engine import (
    DOCUMENT_FORMATS,
    document,
    environment,
    provided_copies,
    render_all,
    render_template,
)

THREE_YEARS = 3


def _amount(value: float) -> str:
    """`32733,33`: two decimals, a decimal comma, no thousands separator (for spreadsheets)."""
    return f"{value:.2f}".replace(".", ",")


def site_record(site: SitePlan) -> dict[str, object]:
    """One site as the CSV and JSON give it."""
    kit = site.kit
    years = range(site.decalage, site.decalage + THREE_YEARS)
    return {
        "territoire": site.cible.nom,
        "code": site.cible.code_insee or "",
        "type": site.cible.type or "",
        "origine": site.origine,
        "sites": site.sites,
        "vague": site.vague,
        "debut": site.debut.isoformat(),
        "population": kit.taille.habitants,
        "beneficiaires": kit.taille.beneficiaires,
        "cout_annee_1": round(kit.budget.total_annee_1, 2),
        "cout_3_ans": round(kit.budget.total_3_ans, 2),
        "finance_3_ans": round(sum(sum(site.paiements(y).values()) for y in years), 2),
        "reste_a_charge_3_ans": round(sum(site.reste(y) for y in years), 2),
        "couts_incomplets": kit.budget.incomplet,
        "prerequis_non_remplis": site.prerequis_non_remplis,
    }


CSV_COLUMNS = (
    "territoire", "code", "type", "origine", "sites", "vague", "debut", "population",
    "beneficiaires", "cout_annee_1", "cout_3_ans", "finance_3_ans", "reste_a_charge_3_ans",
    "couts_incomplets", "prerequis_non_remplis",
)  # fmt: skip


def sites_csv(computed: PlanCalcule) -> str:
    """The sites for spreadsheets (texts never read as formulas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for site in computed.sites:
        record = site_record(site)
        cells = []
        for column in CSV_COLUMNS:
            value = record[column]
            if isinstance(value, float):
                cells.append(_amount(value))
            elif isinstance(value, bool):
                cells.append("oui" if value else "non")
            elif isinstance(value, list):
                cells.append(text_cell(" ; ".join(value)))
            elif isinstance(value, str):
                cells.append(text_cell(value))  # never a formula: a territory named « =… »
            else:
                cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return "\ufeff" + buffer.getvalue()


def plan_json(computed: PlanCalcule) -> str:
    """The plan's figures as JSON: sites, waves, years."""
    data = {
        "plan": computed.plan.id,
        "nom": computed.plan.nom,
        "innovation": computed.innovation.id,
        "sites": [site_record(s) for s in computed.sites],
        "vagues": [
            {
                "numero": v.numero,
                "debut": v.debut.isoformat(),
                "sites": v.sites,
                "cibles": list(v.cibles),
            }
            for v in computed.vagues
        ],  # fmt: skip
        "annees": [
            {
                "numero": a.numero,
                "periode": a.periode,
                "cout_sites": round(a.cout_sites, 2),
                "accompagnement": round(a.accompagnement, 2),
                "financements": {k: round(v, 2) for k, v in a.financements.items()},
                "reste_a_charge_territoires": round(a.reste_territoires, 2),
                "sites_demarres": a.sites_actifs,
            }
            for a in computed.annees
        ],
        "notes": computed.notes,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_plan(
    computed: PlanCalcule, fmt: str, kit_links: dict[str, str] | None = None
) -> str | bytes:
    """The plan document: the text of Markdown or HTML, the bytes of PDF, ODT or DOCX (from the
    HTML); `kit_links` maps a target's slug to its kit."""
    if fmt in DOCUMENT_FORMATS:
        return document(fmt, lambda layout: plan_text(computed, "html", kit_links, layout))
    return plan_text(computed, fmt, kit_links)


def plan_text(
    computed: PlanCalcule, fmt: str, kit_links: dict[str, str] | None, document: str = ""
) -> str:
    """The plan document's text in Markdown or HTML; `document` lays the HTML out for a `pdf`
    or a word processor (`office`)."""
    context = template_data.plan_context(computed, kit_links or {}, document)
    return render_template(environment(fmt), f"plan.{fmt}.j2", False, **context)


def write_plan(
    computed: PlanCalcule,
    out_dir: Path,
    formats: list[str],
    with_kits: bool,
    templates: Path | None = None,
) -> tuple[list[Path], list[str]]:
    """Write the plan's files (and its targets' kits, with the repository's own `templates`
    as `kit` uses them) under `out_dir/<plan-id>/`: the paths written, and the files of that
    folder that essaimage did not write (relative to it).
    OutputError before writing when a file there was not written by essaimage, or the folder
    is a link leading out of the repository."""
    inside_folder(out_dir, computed.plan.id)  # a safe name, before anything is computed
    try:
        return _write_plan(computed, out_dir, formats, with_kits, templates)
    except OSError as exc:
        raise OutputError(
            f"écriture impossible dans « {out_dir.as_posix()} » : {exc.strerror or exc}"
        ) from None


def _write_plan(
    computed: PlanCalcule,
    out_dir: Path,
    formats: list[str],
    with_kits: bool,
    templates: Path | None,
) -> tuple[list[Path], list[str]]:
    with OutputFolder(out_dir) as top, top.subfolder(computed.plan.id) as folder:
        owned = WrittenFiles(folder, manifest.KITS)
        texts: dict[str, str | bytes] = {}
        links: dict[str, str] = {}
        if with_kits:
            kit_formats = ["md", "html"] + [f for f in DOCUMENT_FORMATS if f in formats]
            for site in computed.sites:
                kit = site.kit
                relative = f"kits/{kit.innovation.id}/{kit.cible.slug}"
                for fmt, text in render_all(kit, kit_formats, templates).items():
                    texts[f"{relative}.{fmt}"] = text
                done = {name.removeprefix("kits/") for name in texts}
                for copy, data in provided_copies(kit, folder.path / "kits", done).items():
                    texts[f"kits/{copy}"] = data
                links[kit.cible.slug] = relative
        for fmt in formats:
            if fmt == "csv":
                texts["sites.csv"] = sites_csv(computed)
                texts["sites.json"] = plan_json(computed)
            else:
                texts[f"plan.{fmt}"] = render_plan(computed, fmt, links)
        for relative in texts:
            inside_folder(folder.path, relative)
            owned.claim(relative, "le plan")
        written = []
        for relative, text in texts.items():
            folder.write(relative, text)
            owned.record(relative, text)
            written.append(folder.shown(relative))
        owned.save()
        return written, owned.foreign()
