"""The complete catalogue of finding codes, and the text views of the rules: the `essaimage regles`
listing, one rule explained, and the reference page `docs/regles.md` (generated from the same
definitions).

`codes.py` registers the codes of reading, format, consistency and kits; the `rules` package
registers the rules with their checks. Whoever needs every code (reports, the editor schema, the
command line) asks this module, which imports both.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..text.words import suggest
from . import rules as _rules  # registers every rule in the code registry
from .codes import REGISTRY, Code
from .rules import CRITERES, Rule, criterion_of


def codes() -> dict[str, Code]:
    """Every code, in code order."""
    return dict(sorted(REGISTRY.items()))


def rules() -> dict[str, Rule]:
    """Every deployability rule (descriptor and kit), in code order."""
    return {rule.code: rule for rule in _rules.rules()}


def json_schema(kind: str = "tout") -> dict[str, Any]:
    """The format's JSON schema (`format.json_schema.build`) with the registry's rule codes as
    the keys `regles` accepts: what `essaimage schema` prints and `essaimage init` writes."""
    from ..format.json_schema import build  # only the commands that write a schema need it

    return build(list(rules()), kind)


def rule_code_problem(value: str) -> str | None:
    """Why `value` is not a rule code (with a suggestion), or None when it is one."""
    known = rules()
    if value in known:
        return None
    close = suggest(value, known, cutoff=0.5)
    message = f"« {value} » n'est pas un code de règle connu"
    if close:
        message += f" ; vouliez-vous dire « {close} » ?"
    return message + " (la liste : essaimage regles)"


def listing() -> list[str]:
    """One line per rule: code, default level, where it runs, title."""
    lines = [f"{'Code':<6}{'Niveau':<15}{'Vérifiée sur':<14}Titre"]
    for code, rule in rules().items():
        lines.append(f"{code:<6}{rule.niveau.value:<15}{rule.moment:<14}{rule.titre}")
    lines.append("")
    lines.append("Détail d'une règle : essaimage regles CODE (par exemple essaimage regles D106).")
    return lines


def _indent(text: str, prefix: str = "  ", width: int = 88) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=prefix, subsequent_indent=prefix)


def explain(rule: Rule) -> list[str]:
    """Everything about one rule, for the terminal."""
    where = {
        "descripteur": "le descripteur",
        "kit": "le kit d'un territoire",
        "reprises": "le descripteur, avec les retours d'essaimage du dépôt",
    }[rule.moment]
    lines = [
        f"{rule.code} — {rule.titre}",
        f"Niveau par défaut : {rule.niveau.value} (vérifiée sur {where})",
    ]
    criterion = criterion_of(rule.code)
    if criterion:
        lines.append(f"Critère de l'indice de déployabilité : {criterion}")
    lines += ["", "Pourquoi", *_indent(rule.pourquoi), "", "Sources"]
    lines += [f"  - {source}" for source in rule.sources]
    lines += [
        "",
        "Comment corriger",
        *_indent(rule.correction),
        "",
        "Exemple",
        *(f"    {line}" for line in rule.exemple.splitlines()),  # YAML: lines kept as written
    ]
    lines += [
        "",
        "Changer son niveau (erreur, avertissement, info ou ignorer)",
        f"  Dans le descripteur, ou pour tout le dépôt dans essaimage.yaml : regles: {{{rule.code}: info}}",
    ]
    return lines


def reference_markdown() -> str:
    """The reference page of the rules, generated from their definitions."""
    out = [
        "# Règles de déployabilité",
        "",
        "<!-- Page générée par `essaimage regles --markdown` à partir des définitions des règles ;",
        "     ne pas la modifier à la main. -->",
        "",
        "Un descripteur peut être bien formé et rester difficile à reprendre : ces règles disent ce",
        "qui manque pour qu'une innovation soit transférable. Les règles D… sont vérifiées par",
        "`essaimage validate` sur chaque descripteur sans erreur de format ; les règles T… par",
        "`essaimage kit`, pour un territoire donné, et sont aussi signalées dans le kit.",
        "",
        "## Changer le niveau d'une règle",
        "",
        "Chaque règle a un niveau par défaut (erreur, avertissement ou info). On peut le changer, ou",
        "ignorer la règle, avec une clé `regles` :",
        "",
        "- pour tout le dépôt, dans `essaimage.yaml` à la racine du dépôt ;",
        "- pour un descripteur, à la racine du descripteur (ce réglage l'emporte sur celui du dépôt).",
        "",
        "```yaml",
        "regles:",
        "  D104: ignorer",
        "  D301: erreur",
        "```",
        "",
        "Un code inconnu est une erreur. `--strict` fait échouer `validate` sur les avertissements.",
        "",
        "## Indice de déployabilité",
        "",
        "`essaimage validate` donne pour chaque descripteur un indice sur 10, repris dans la synthèse",
        "du kit. Un critère est atteint quand aucune de ses règles ne se déclenche (quel que soit le",
        "niveau choisi pour ces règles) :",
        "",
        "| Critère | Règles |",
        "|---|---|",
    ]
    for label, codes in CRITERES:
        out.append(f"| {label[0].upper()}{label[1:]} | {', '.join(codes)} |")
    out += ["", "## Catalogue", "", "| Code | Niveau | Vérifiée sur | Titre |", "|---|---|---|---|"]
    for code, rule in rules().items():
        out.append(
            f"| [{code}](#{code.lower()}) | {rule.niveau.value} | {rule.moment} | {rule.titre} |"
        )
    for code, rule in rules().items():
        out += [
            "",
            f"### {code}",
            "",
            f"**{rule.titre[0].upper()}{rule.titre[1:]}** — niveau par défaut : {rule.niveau.value}.",
        ]
        criterion = criterion_of(code)
        if criterion:
            out.append(f"Critère de l'indice : {criterion}.")
        out += [
            "",
            rule.pourquoi,
            "",
            "Sources : " + " ; ".join(rule.sources) + ".",
            "",
            f"**Comment corriger.** {rule.correction}",
            "",
            "```yaml",
            rule.exemple,
            "```",
        ]
    return "\n".join(out) + "\n"
