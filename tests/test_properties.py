"""Property: any descriptor and profile that validate make a kit, in both formats, and a site,
without an internal error — whatever the texts, numbers and dates (Hypothesis, bounded and
reproducible)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis est dans les extras de test")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from essaimage.check.pipeline import check_file  # noqa: E402
from essaimage.commands.site import build  # noqa: E402
from essaimage.errors import InvalidProfileError  # noqa: E402
from essaimage.kit.prepare import prepare  # noqa: E402
from essaimage.kit.target import from_profile_file  # noqa: E402
from essaimage.render.engine import render_all  # noqa: E402
from helpers import BASE  # noqa: E402

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
markdown = st.lists(
    st.sampled_from(["# T", "- a", "1. b", "> c", "`d`", "*e*", "<b>f</b>", "![g](https://h.fr/i)",
                     "[j](javascript:k)", "```", "    code", "---", "&amp;", "\\*", "| x |"]),
    min_size=1, max_size=8,
).map("\n".join) | texts  # fmt: skip
# Values that validate, up to the bounds (the values beyond are tested in test_safety.py).
numbers = st.one_of(
    st.integers(1, 10**15 - 1).map(str),
    st.decimals("0.001", "999999999999", places=3).map(lambda d: str(d).replace(".", ",")),
    st.sampled_from(["1", "0,001", "999 999 999 999 999", " 10 000 "]),
)
# Amounts to the cent: three decimals after 1 to 3 digits (`12,500`) are refused as thousands
# misread (S114, tested in test_diagnostics.py).
amounts = st.one_of(
    st.integers(1, 10**15 - 1).map(str),
    st.decimals("0.01", "999999999999", places=2).map(lambda d: str(d).replace(".", ",")),
    st.sampled_from(["1", "0,001", "1234,567", "999 999 999 999 999", " 10 000 "]),
)
integers = st.one_of(
    st.integers(1, 10**15 - 1).map(str), st.sampled_from(["1", "999 999 999 999 999"])
)
full_dates = st.dates(dt.date(1000, 1, 1), dt.date(2999, 12, 31)).map(str)
durations = st.one_of(st.integers(1, 1200).map(str), st.sampled_from(["0,1", "1200"]))
dates = st.one_of(
    st.dates(dt.date(1000, 1, 1), dt.date(2999, 12, 31)).map(str),
    st.integers(1000, 2999).map(str),
)
bases = st.sampled_from(
    ["site", "1 habitant", "0,001 habitant", "10 000 habitants", "8 bénéficiaires", "2 habitants"]
)


def q(value: str) -> str:
    """A YAML double-quoted scalar: what YAML may not hold raw is escaped its way."""
    out = []
    for c in value:
        code = ord(c)
        printable = c in "\t" or 0x20 <= code <= 0x7E or code == 0x85 or 0xA0 <= code <= 0xD7FF
        printable = printable or 0xE000 <= code <= 0xFFFD or code >= 0x10000
        if c in '"\\':
            out.append("\\" + c)
        elif printable:
            out.append(c)
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    nom=texts, probleme=markdown, montant=amounts, etp=numbers, par=bases, duree=durations,
    date=dates, population=integers, beneficiaires=integers, debut=full_dates, choix=texts,
)  # fmt: skip
def test_whatever_validates_makes_a_kit(
    nom, probleme, montant, etp, par, duree, date, population, beneficiaires, debut, choix
):
    descriptor = (
        BASE.replace("nom: Atelier vélo solidaire", f"nom: {q('Atelier ' + nom)}")
        .replace(
            "probleme: Beaucoup de vélos dorment dans les caves faute de savoir les réparer.",
            f"probleme: {q(probleme)}",
        )
        .replace("      montant: 3 000", f"      montant: {q(montant)}")
        .replace("      etp: 0,5\n", f"      etp: {q(etp)}\n      par: {q(par)}\n", 1)
        .replace(
            "    duree_mois: 2\n  - titre: Ouvrir", f"    duree_mois: {q(duree)}\n  - titre: Ouvrir"
        )
        .replace("    date: 2025", f"    date: {q(date)}")
    )
    profile = (
        f"essaimage: 1\nterritoire: {{nom: {q(nom)}, population: {q(population)}}}\n"
        f"projets:\n  atelier-velo:\n    beneficiaires: {q(beneficiaires)}\n"
        f"    debut: {q(debut)}\n    choix: {{horaires: {q(choix)}}}\n"
    )
    (FOLDER / "d.yaml").write_text(descriptor, encoding="utf-8")
    (FOLDER / "p.yaml").write_text(profile, encoding="utf-8")
    checked = check_file(FOLDER / "d.yaml")
    if not checked.ok or checked.model is None:
        assert "X900" not in {f.code for f in checked.findings}
        return
    try:
        cible = from_profile_file(FOLDER / "p.yaml")
    except InvalidProfileError as exc:
        assert "X900" not in {f.code for f in exc.findings}
        return
    kit = prepare(checked.innovation, checked, cible)
    texts_out = render_all(kit, ["md", "html"])
    assert texts_out["md"] and texts_out["html"]
    built = build([checked, check_file(FOLDER / "p.yaml")], FOLDER / "public")
    assert built.pages == 12  # index, innovation page, territory page, kit in both formats, 7 data
    RENDERED.append(1)


RENDERED: list[int] = []


def test_the_property_is_not_vacuous():
    """Most generated pairs validate: the property above is tested on kits, not on refusals."""
    if not RENDERED:
        test_whatever_validates_makes_a_kit()
    assert len(RENDERED) >= 100


FOLDER = Path(tempfile.mkdtemp(prefix="essaimage-proprietes-"))
