"""The catalogue of `essaimage catalogue` as CSV, JSON and Markdown: pure functions of a
`Catalogue` (the terminal's table is drawn by the command line).

- CSV: what a French spreadsheet opens directly: `;` between cells, a decimal comma, UTF-8 with
  a byte order mark; a text a spreadsheet would run as a formula starts with `'`
  (`text.spreadsheet.text_cell`), as a plan's `sites.csv`.
- JSON: a list of objects, one per innovation, in the ranking's order (docs/formats.md gives
  its schema, `docs/catalogue.schema.json`).
- Markdown: a report, in French typography (`text.typography.markdown_document`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from ..format.vocabulary import MATURITES, SECTEURS
from ..kit.reprises import Reprise
from ..kit.target import Cible
from ..text.french import euros, nombre, pluriel
from ..text.spreadsheet import text_cell
from ..text.typography import markdown_document
from .catalogue import Catalogue, Entree, ordinal


def closest(reprise: Reprise | None) -> dict[str, object] | None:
    """The closest take-over as JSON gives it, or None."""
    if reprise is None:
        return None
    return {
        "territoire": reprise.territoire,
        "type": reprise.type,
        "population": reprise.population,
        "porteur": reprise.porteur,
        "sites": reprise.sites,
        "depuis": reprise.depuis,
        "statut": reprise.statut,
    }


def record(entree: Entree, catalogue: Catalogue) -> dict[str, object]:
    """One innovation as the JSON gives it."""
    territorial = catalogue.cible is not None
    return {
        "rang": entree.rang,
        "raison_du_rang": entree.raison,
        "id": entree.id,
        "nom": entree.nom,
        "accroche": entree.accroche,
        "fichier": entree.fichier,
        "secteurs": entree.secteurs,
        "maturite": entree.maturite,
        "indice": entree.indice,
        "niveau_preuve": entree.niveau_preuve,
        "resultats_sources": entree.resultats_sources,
        "territoire": catalogue.cible.libelle if catalogue.cible is not None else None,
        "groupe": entree.groupe,
        "prerequis": [
            {
                "description": p.description,
                "verdict": p.verdict,
                "statut": p.statut,
                "raison": p.raison,
            }
            for p in entree.prerequis
        ],
        "sites": entree.sites,
        "beneficiaires": entree.beneficiaires,
        "habitants": entree.habitants,
        "cout_pour": "territoire" if territorial else "site type",
        "cout_annee_1": entree.cout_annee_1,
        "cout_3_ans": entree.cout_3_ans,
        "couts_incomplets": entree.couts_incomplets,
        "reste_a_charge": (
            {"annee_1": entree.reste_annee_1, "3_ans": entree.reste_3_ans} if territorial else None
        ),
        "financements": [
            {"financeur": f.financeur, "nature": f.nature, "montant_3_ans": f.montant_3_ans}
            for f in entree.financements
        ],
        "origine_financement": entree.origine_financement,
        "reprises": entree.reprises,
        "reprise_la_plus_proche": closest(entree.reprise_proche),
        "points_attention": entree.points_attention,
    }


def as_json(catalogue: Catalogue) -> str:
    """The catalogue as a JSON list, one object per innovation, ranked."""
    data = [record(entree, catalogue) for entree in catalogue.entrees]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _amount(value: float | None) -> str:
    """`32733,33`: two decimals at most, a decimal comma, no thousands separator."""
    if value is None:
        return ""
    text = f"{value:.2f}".replace(".", ",")
    return text.removesuffix(",00")


def _counts(entree: Entree, statut: str) -> str:
    return " ; ".join(p.description for p in entree.prerequis if p.statut == statut)


def closest_words(reprise: Reprise | None) -> str:
    """« Mauléon (commune, 8 573 habitants) », or nothing."""
    if reprise is None:
        return ""
    details = [d for d in (reprise.type,) if d]
    if reprise.population is not None:
        details.append(f"{nombre(reprise.population)} {pluriel(reprise.population, 'habitant')}")
    return reprise.territoire + (f" ({', '.join(details)})" if details else "")


def title_for(cible: Cible) -> str:
    """« Innovations pour les Côtes-d'Armor (22) »: the name with its article, then what the
    label adds to it (code, département)."""
    label = cible.libelle
    rest = label[len(cible.nom) :].strip() if label.startswith(cible.nom) else f"({label})"
    return f"Innovations {cible.nom_propre.pour}" + (f" {rest}" if rest else "")


def _funding_words(entree: Entree) -> str:
    return " ; ".join(
        f.financeur + (f", {euros(f.montant_3_ans)} sur 3 ans" if f.montant_3_ans else "")
        for f in entree.financements
    )


CSV_COLUMNS: tuple[tuple[str, Callable[[Entree], object]], ...] = (
    ("rang", lambda e: e.rang),
    ("id", lambda e: e.id),
    ("nom", lambda e: e.nom),
    ("raison_du_rang", lambda e: e.raison),
    ("secteurs", lambda e: " ; ".join(SECTEURS.get(s, s) for s in e.secteurs)),
    ("maturite", lambda e: MATURITES.get(e.maturite, "") if e.maturite else ""),
    ("indice", lambda e: e.indice),
    ("niveau_preuve", lambda e: e.niveau_preuve),
    ("prerequis_remplis", lambda e: _counts(e, "rempli")),
    ("prerequis_a_verifier", lambda e: _counts(e, "a-verifier")),
    ("prerequis_non_remplis", lambda e: _counts(e, "non-rempli")),
    ("sites", lambda e: e.sites),
    ("beneficiaires", lambda e: e.beneficiaires),
    ("cout_annee_1", lambda e: e.cout_annee_1),
    ("cout_3_ans", lambda e: e.cout_3_ans),
    ("couts_incomplets", lambda e: e.couts_incomplets),
    ("reste_a_charge_annee_1", lambda e: e.reste_annee_1),
    ("reste_a_charge_3_ans", lambda e: e.reste_3_ans),
    ("financements", _funding_words),
    ("reprises", lambda e: e.reprises),
    ("reprise_la_plus_proche", lambda e: closest_words(e.reprise_proche)),
)


def as_csv(catalogue: Catalogue) -> str:
    """The catalogue for spreadsheets: one row per innovation, ranked (texts never read as
    formulas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([name for name, _ in CSV_COLUMNS])
    for entree in catalogue.entrees:
        cells = []
        for _, value_of in CSV_COLUMNS:
            value = value_of(entree)
            if isinstance(value, bool):
                cells.append("oui" if value else "non")
            elif isinstance(value, float):
                cells.append(_amount(value))
            elif isinstance(value, str):
                cells.append(text_cell(value))
            else:
                cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return "\ufeff" + buffer.getvalue()


_MD_SPECIAL = frozenset("\\`*_[]<>|#")


def _md(text: str) -> str:
    """A value written as plain text in Markdown: its punctuation escaped, on one line."""
    flat = " ".join(text.split())
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in flat)


RANKING_RULE = (
    "Le classement met d'abord les innovations dont tous les prérequis sont remplis, puis "
    "celles qui en ont à vérifier localement, puis celles dont un prérequis n'est pas rempli ; "
    "dans chaque groupe, les plus de résultats sourcés d'abord, puis les plus de reprises, puis "
    "le coût de la première année le plus bas."
)
RULE_WITHOUT_TERRITORY = (
    "Sans territoire, le classement met d'abord les innovations qui ont le plus de résultats "
    "sourcés, puis le plus de reprises, puis le coût de la première année d'un site type le "
    "plus bas. Avec --territoire, chacune est calculée pour ce territoire comme son kit."
)


def prerequisites_short(entree: Entree) -> str:
    """« 2 remplis, 1 à vérifier »: the verdicts of an entry, counted."""
    if not entree.prerequis:
        return "aucun"
    counts = []
    for statut, words in (
        ("rempli", ("rempli", "remplis")),
        ("a-verifier", ("à vérifier", "à vérifier")),
        ("non-rempli", ("non rempli", "non remplis")),
    ):
        count = sum(1 for p in entree.prerequis if p.statut == statut)
        if count:
            counts.append(f"{nombre(count)} {pluriel(count, *words)}")
    return ", ".join(counts)


def as_markdown(catalogue: Catalogue) -> str:
    """The catalogue as a Markdown report: the ranking in a table, then each innovation."""
    territorial = catalogue.cible is not None
    title = (
        f"# {_md(title_for(catalogue.cible))}"
        if catalogue.cible is not None
        else "# Catalogue des innovations"
    )
    lines = [title, "", RANKING_RULE if territorial else RULE_WITHOUT_TERRITORY, ""]
    if catalogue.filtres.actifs:
        lines += [_filters_sentence(catalogue), ""]
    if not catalogue.entrees:
        lines += [nothing_to_list(catalogue), ""]
    else:
        if territorial:
            lines += [
                "| Rang | Innovation | Prérequis | Coût la première année | Reste à charge la "
                "première année | Reprises |",
                "|---|---|---|--:|--:|--:|",
            ]
            for e in catalogue.entrees:
                lines.append(
                    f"| {ordinal(e.rang)} | {_md(e.nom)} | {prerequisites_short(e)} | "
                    f"{euros(e.cout_annee_1)} | {euros(e.reste_annee_1 or 0)} | "
                    f"{nombre(e.reprises)} |"
                )
        else:
            lines += [
                "| Rang | Innovation | Maturité | Indice | Coût d'un site type la première "
                "année | Reprises |",
                "|---|---|---|--:|--:|--:|",
            ]
            for e in catalogue.entrees:
                maturite = MATURITES.get(e.maturite, "") if e.maturite else "non précisée"
                indice = f"{e.indice}/10" if e.indice is not None else "non calculé"
                lines.append(
                    f"| {ordinal(e.rang)} | {_md(e.nom)} | {maturite} | {indice} | "
                    f"{euros(e.cout_annee_1)} | {nombre(e.reprises)} |"
                )
        lines.append("")
        for e in catalogue.entrees:
            lines += _entry_section(e, territorial)
    if catalogue.ecartes:
        lines += ["## Innovations non classées", ""]
        lines += [f"- {_md(ecarte.phrase)}." for ecarte in catalogue.ecartes]
        lines.append("")
    return markdown_document("\n".join(lines))


def _entry_section(e: Entree, territorial: bool) -> list[str]:
    lines = [f"## {ordinal(e.rang)} — {_md(e.nom)}", "", f"{_md(e.accroche)}", ""]
    lines.append(f"- **Place** — {_md(e.raison)}.")
    secteurs = ", ".join(SECTEURS.get(s, s) for s in e.secteurs) or "non précisés"
    lines.append(f"- **Secteurs** — {secteurs}.")
    if e.maturite:
        lines.append(f"- **Maturité** — {MATURITES.get(e.maturite, e.maturite).lower()}.")
    if e.indice is not None:
        lines.append(f"- **Indice de déployabilité** — {e.indice}/10.")
    lines.append(f"- **Niveau de preuve** — {_md(e.niveau_preuve)}.")
    if territorial:
        size = [f"{nombre(e.sites or 0)} {pluriel(e.sites or 0, 'site')}"]
        if e.beneficiaires:
            size.append(f"{nombre(e.beneficiaires)} {pluriel(e.beneficiaires, 'bénéficiaire')}")
        lines.append(f"- **Projet** — {', '.join(size)}.")
        lines.append(f"- **Coût** — {_md(e.cout_phrase or '')}.")
        lines.append(f"- **Reste à charge** — {_md(e.reste_phrase or '')}.")
        if e.financements:
            lines.append(f"- **Financements trouvés** — {_md(_funding_words(e))}.")
    else:
        lines.append(
            f"- **Coût d'un site type** — {euros(e.cout_annee_1)} la première année, "
            f"{euros(e.cout_3_ans)} sur 3 ans" + (" (incomplet)." if e.couts_incomplets else ".")
        )
    count = f"{nombre(e.reprises)} {pluriel(e.reprises, 'reprise')}" if e.reprises else "aucune"
    if e.reprise_proche is not None:
        which = "la seule" if e.reprises == 1 else "la plus proche"
        count += f", {which} {_md(closest_words(e.reprise_proche))}"
    lines.append(f"- **Reprises** — {count}.")
    lines.append("")
    if e.points_attention:
        lines += ["Ce que le kit signale pour ce territoire :", ""]
        lines += [f"- {_sentence(_md(text))}" for text in e.points_attention]
        lines.append("")
    if e.prerequis:
        lines += ["Les prérequis, un par un :" if territorial else "Les prérequis :", ""]
        for p in e.prerequis:
            if p.verdict is None:
                lines.append(f"- {_md(p.description)}")
            else:
                lines.append(
                    f"- {_sentence(_md(p.description))} **{p.verdict.capitalize()}** — {_sentence(_md(p.raison or ''))}"
                )
        lines.append("")
    return lines


def _sentence(text: str) -> str:
    """A text ended by a full stop, unless it already ends with a punctuation mark."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?…" else text + "."


def _filters_sentence(catalogue: Catalogue) -> str:
    parts = []
    if catalogue.filtres.secteurs:
        parts.append("secteurs " + ", ".join(SECTEURS[s] for s in catalogue.filtres.secteurs))
    if catalogue.filtres.budget_max is not None:
        parts.append(f"coût de la première année d'au plus {euros(catalogue.filtres.budget_max)}")
    left = catalogue.filtrees
    return (
        f"Filtres : {' ; '.join(parts)} ({nombre(left)} "
        f"{pluriel(left, 'innovation écartée', 'innovations écartées')} par ces filtres)."
    )


def nothing_to_list(catalogue: Catalogue) -> str:
    """« Aucune innovation … », said plainly: why the list is empty."""
    if catalogue.filtrees:
        return (
            "Aucune innovation ne correspond à ces filtres "
            f"({nombre(catalogue.filtrees)} "
            f"{pluriel(catalogue.filtrees, 'innovation écartée', 'innovations écartées')})."
        )
    if catalogue.ecartes:
        return "Aucune innovation à classer : tous les descripteurs ont des erreurs."
    return "Aucune innovation dans ce dépôt."


FORMATS: dict[str, Callable[[Catalogue], str] | None] = {
    "text": None,  # the terminal's table, drawn by the command line
    "csv": as_csv,
    "json": as_json,
    "md": as_markdown,
}
"""The formats of `essaimage catalogue --format`, in the order of its help."""


__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "as_csv",
    "as_json",
    "as_markdown",
    "closest",
    "nothing_to_list",
    "prerequisites_short",
    "record",
]
