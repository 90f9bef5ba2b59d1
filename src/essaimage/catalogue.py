"""Text views of the rule catalogue: the `essaimage regles` listing, one rule explained, and the
project's reference page `docs/regles.md` (generated from the same definitions)."""

from __future__ import annotations

import textwrap

from .rules import CRITERES, RULES, Rule

MOMENTS = {"descripteur": "descripteur", "kit": "kit"}


def criterion_of(code: str) -> str | None:
    """The readiness criterion a rule counts for, if any."""
    return next((label for label, codes in CRITERES if code in codes), None)


def listing() -> list[str]:
    """One line per rule: code, default severity, where it runs, title."""
    lines = [f"{'Code':<6}{'Niveau':<15}{'Vérifiée sur':<14}Titre"]
    for code, rule in sorted(RULES.items()):
        lines.append(f"{code:<6}{rule.severity.value:<15}{MOMENTS[rule.moment]:<14}{rule.titre}")
    lines.append("")
    lines.append("Détail d'une règle : essaimage regles CODE (par exemple essaimage regles D106).")
    return lines


def _indent(text: str, prefix: str = "  ", width: int = 88) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=prefix, subsequent_indent=prefix)


def _indent_block(text: str, prefix: str) -> list[str]:
    return [prefix + line if line else "" for line in text.splitlines()]


def explain(rule: Rule) -> list[str]:
    """Everything about one rule, for the terminal."""
    where = "le descripteur" if rule.moment == "descripteur" else "le kit d'un territoire"
    lines = [
        f"{rule.code} — {rule.titre}",
        f"Niveau par défaut : {rule.severity.value} (vérifiée sur {where})",
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
        *_indent(rule.exemple, "    "),
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
    for code, rule in sorted(RULES.items()):
        out.append(
            f"| [{code}](#{code.lower()}) | {rule.severity.value} | {rule.moment} | {rule.titre} |"
        )
    for code, rule in sorted(RULES.items()):
        out += [
            "",
            f"### {code}",
            "",
            f"**{rule.titre[0].upper()}{rule.titre[1:]}** — niveau par défaut : {rule.severity.value}.",
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
            f"Comment corriger : {rule.correction}",
            "",
            "```yaml",
            rule.exemple,
            "```",
        ]
    return "\n".join(out) + "\n"
