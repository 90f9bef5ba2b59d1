"""Diagnostics that do not mislead (issue 22, point 3): a mistake inside a « text or mapping »
value is said at its own line and path, as the same mistake elsewhere."""

from __future__ import annotations

import shutil
import types
import typing
from typing import Any, Union

import pytest
from pydantic import BaseModel

from essaimage.check import diagnostics
from essaimage.check.loader import load_bytes
from essaimage.check.pipeline import check_file
from essaimage.format import models
from helpers import BASE, EXAMPLES, invoke

# --- mistakes inside a marge's option ----------------------------------------------------------

OPTION = """\
    options:
      - soirs
      - option: samedis
        ajoute:
{means}"""

# The same means, at the root of the descriptor's `moyens` and inside an option's `ajoute`.
MISTAKES = {
    "clé mal écrite": "humains:\n  - role: Bénévole\n    etp: 0,1\n    statu: benevole\n",
    "montant avec €": "financiers:\n  - poste: Loyer\n    montant: 12 000 €\n    nature: fonctionnement\n",
    "nature manquante": "financiers:\n  - poste: Loyer\n    montant: 300\n",
    "nombre en toutes lettres": "materiels:\n  - element: Pompe\n    quantite: deux\n",
}


def _indented(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.splitlines())


def _findings(text: str, tmp_path, name: str = "d.yaml"):
    """The errors of a file (the deployability rules' warnings left aside)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [f for f in check_file(path).findings if f.severity.value == "erreur"]


@pytest.mark.parametrize("means", MISTAKES.values(), ids=MISTAKES.keys())
def test_a_mistake_inside_an_option_reads_as_the_same_mistake_outside(means, tmp_path):
    # outside: the means of the mode dégradé, of the same model as an option's `ajoute`
    degraded = "    humains:\n      - role: Animateur\n        etp: 0,2\n"
    outside = BASE.replace(degraded, _indented(means, 4), 1)
    inside = BASE.replace(
        "    options: [soirs, samedis]\n", OPTION.format(means=_indented(means, 10)), 1
    )
    [out] = _findings(outside, tmp_path, "dehors.yaml")
    [got] = _findings(inside, tmp_path, "dedans.yaml")
    prefix = "marges[0].options[1].ajoute."
    assert got.path.startswith(prefix), got
    assert (got.code, got.column - 6, got.hint) == (out.code, out.column, out.hint)
    assert got.path == out.path.replace("mode_degrade.moyens.", prefix)
    assert got.message == out.message.replace("« mode_degrade.moyens.", f"« {prefix}")
    assert "doit être un texte" not in got.message
    line = inside.splitlines()[got.line - 1]
    assert line.strip().split(":")[0] in means  # at the mistake's own line


def test_an_unknown_key_of_an_option_gets_its_suggestion_and_its_path(tmp_path):
    text = BASE.replace(
        "    options: [soirs, samedis]\n",
        "    options:\n      - option: soirs\n        descriptio: Après 18 heures.\n",
        1,
    )
    [finding] = _findings(text, tmp_path)
    assert (finding.code, finding.column) == ("S102", 9)
    assert finding.path == "marges[0].options[0].descriptio"
    assert finding.message.endswith("vouliez-vous dire « description » ?")
    assert text.splitlines()[finding.line - 1].strip().startswith("descriptio:")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "      - [soirs, samedis]\n",
            "« marges[0].options[0] » doit être un texte ou une table de clés (« clé: valeur » "
            "sur les lignes suivantes), pas une liste",
        ),
        ("      -\n", "« marges[0].options[0] » est vide : un texte est attendu"),
    ],
    ids=["liste", "vide"],
)
def test_a_value_that_fits_no_branch_is_one_finding_naming_them(value, expected, tmp_path):
    text = BASE.replace("    options: [soirs, samedis]\n", "    options:\n" + value, 1)
    [finding] = _findings(text, tmp_path)
    assert (finding.code, finding.message) == ("S104", expected)


def test_a_number_written_as_a_mapping_is_expected_as_a_number_not_an_integer(tmp_path):
    [finding] = _findings(BASE.replace("      etp: 0,5", "      etp: {a: 1}", 1), tmp_path)
    assert finding.message == "« moyens.humains[0].etp » doit être un nombre, pas une table de clés"


def test_the_union_tags_leave_the_path():
    loc = ("marges", 0, "options", 0, "OptionMarge", "ajoute", "humains", 0, "statu")
    clean, crossed = diagnostics.untagged(loc, models.Innovation)
    assert clean == ("marges", 0, "options", 0, "ajoute", "humains", 0, "statu")
    assert crossed == ((("marges", 0, "options", 0), "table", True),)
    clean, crossed = diagnostics.untagged(
        ("marges", 0, "options", 0, "constrained-str"), models.Innovation
    )
    assert (clean, crossed) == (
        ("marges", 0, "options", 0),
        ((("marges", 0, "options", 0), "valeur", True),),
    )
    # a key of a mapping that happens to look like a tag is a key
    loc = ("projets", "p", "couts_par_role", "int")
    assert diagnostics.untagged(loc, models.Profil) == (loc, ())


# --- every « text or mapping » union of the models --------------------------------------------


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _bare(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _structural(annotation: Any) -> bool:
    annotation = _bare(annotation)
    return _is_model(annotation) or typing.get_origin(annotation) in (list, dict)


def _text_or_structure(annotation: Any) -> Any:
    """The structural member of a union of a text and a mapping or a list, else None."""
    annotation = _bare(annotation)
    if typing.get_origin(annotation) not in (Union, types.UnionType):
        return None
    members = [a for a in typing.get_args(annotation) if a is not type(None)]
    texts = [m for m in members if _bare(m) is str]
    structures = [m for m in members if _structural(m)]
    return structures[0] if texts and structures else None


def _wrong_inside(annotation: Any) -> Any:
    """A value of the structural shape with an unknown key in its first mapping."""
    annotation = _bare(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        return [_wrong_inside(typing.get_args(annotation)[0])]
    if origin is dict:
        return {"cle": _wrong_inside(typing.get_args(annotation)[1])}
    structure = _text_or_structure(annotation)
    if structure is not None:
        return _wrong_inside(structure)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _wrong_inside(members[0])
    assert _is_model(annotation), annotation
    return {"cle_inconnue": "x"}


def _unions() -> list[tuple[type[BaseModel], str]]:
    """(model, field) for every field whose type holds a union of a text and a structure."""
    found: list[tuple[type[BaseModel], str]] = []
    seen: set[type[BaseModel]] = set()

    def holds_union(annotation: Any) -> bool:
        annotation = _bare(annotation)
        if _text_or_structure(annotation) is not None:
            return True
        if _is_model(annotation):
            return False
        return any(holds_union(arg) for arg in typing.get_args(annotation))

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            if holds_union(info.annotation):
                found.append((model, name))

            def models_in(annotation: Any) -> None:
                if _is_model(annotation):
                    visit(annotation)
                for arg in typing.get_args(annotation):
                    models_in(arg)

            models_in(info.annotation)

    for root in (models.Innovation, models.Profil, models.FichierPlan, models.Configuration):
        visit(root)
    return found


UNIONS = _unions()


def test_the_unions_are_found():
    assert (models.Marge, "options") in UNIONS


@pytest.mark.parametrize(("model", "name"), UNIONS, ids=[f"{m.__name__}.{n}" for m, n in UNIONS])
def test_a_mistake_inside_the_mapping_branch_is_the_mappings_own(model, name):
    import yaml

    value = _wrong_inside(model.model_fields[name].annotation)
    text = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False)
    doc = load_bytes(text.encode(), "f.yaml").document
    assert doc is not None
    _, findings = diagnostics.validate_document(doc, "f.yaml", model)
    unknown = [f for f in findings if f.code == "S102"]
    assert [f.message.split(" dans ")[0] for f in unknown] == ["clé inconnue « cle_inconnue »"]
    [line] = [n for n, row in enumerate(text.splitlines(), 1) if "cle_inconnue" in row]
    assert unknown[0].line == line
    assert unknown[0].path.startswith(name) and "Marge" not in unknown[0].path
    assert not any("doit être un texte" in f.message for f in findings), findings


# --- thousands written with a point: `30.000` is not thirty thousand ---------------------------


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("30.000", "« 30.000 » se lit 30 ; pour trente mille, écrivez 30000 ou 30 000"),
        ("12,500", "« 12,500 » se lit 12,5 ; pour douze mille cinq cents, écrivez 12500 ou 12 500"),
        ("1.000", "« 1.000 » se lit 1 ; pour mille, écrivez 1000 ou 1 000"),
        (
            "1.500.000",
            "« 1.500.000 » n'est pas un nombre (le point ne sépare pas les milliers) ; pour un "
            "million cinq cent mille, écrivez 1500000 ou 1 500 000",
        ),
        (
            "2,080,000",
            "« 2,080,000 » n'est pas un nombre (la virgule ne sépare pas les milliers) ; pour deux "
            "millions quatre-vingt mille, écrivez 2080000 ou 2 080 000",
        ),
    ],
)
def test_thousands_with_a_point_say_how_they_read_and_how_to_write_them(written, message, tmp_path):
    text = BASE.replace("      montant: 3 000", f"      montant: {written}", 1)
    [finding] = _findings(text, tmp_path)
    assert (finding.code, finding.path) == ("S114", "moyens.financiers[0].montant")
    assert finding.message == f"« moyens.financiers[0].montant » : {message}"
    assert "espace (30 000)" in (finding.hint or "")
    assert text.splitlines()[finding.line - 1].endswith(f"montant: {written}")


# Where `30.000` is refused: every amount, count and population; the values written there are
# read as they always were.
THOUSANDS = {
    "moyens.financiers[0].montant": ("      montant: 3 000", "      montant: {}"),
    "moyens.cout_etp_annuel": ("  cout_etp_annuel: 40 000", "  cout_etp_annuel: {}"),
    "moyens.humains[0].cout_annuel": (
        "      etp: 0,5\n",
        "      etp: 0,5\n      cout_annuel: {}\n",
    ),
    "moyens.humains[0].par": ("      etp: 0,5\n", "      etp: 0,5\n      par: {} habitants\n"),
    "moyens.materiels[0].quantite": (
        "\nmoyens:\n",
        "\nmoyens:\n  materiels:\n    - element: Pompe\n      quantite: {}\n",
    ),
    "origine.territoire.population": ("{nom: Grenoble}", "{{nom: Grenoble, population: {}}}"),
    "dimensionnement.habitants_par_site": (
        "coeur:\n",
        "dimensionnement:\n  habitants_par_site: {}\ncoeur:\n",
    ),
    "financements[0].montant": (
        "coeur:\n",
        "financements:\n  - financeur: Ville\n    montant: {}\ncoeur:\n",
    ),
    "financements[0].plafond": (
        "coeur:\n",
        "financements:\n  - financeur: Ville\n    part: 50\n    plafond: {}\ncoeur:\n",
    ),
    "financements[0].echeancier[0].montant": (
        "coeur:\n",
        "financements:\n  - financeur: Ville\n    echeancier:\n      - annee: 2027\n"
        "        montant: {}\ncoeur:\n",
    ),
    "projets.atelier-velo.sites": (None, "    sites: {}\n"),
    "projets.atelier-velo.beneficiaires": (None, "    beneficiaires: {}\n"),
    "projets.atelier-velo.cout_etp_annuel": (None, "    cout_etp_annuel: {}\n"),
    "projets.atelier-velo.couts_par_role.Animateur": (
        None,
        "    couts_par_role:\n      Animateur: {}\n",
    ),
    "projets.atelier-velo.perimetre.population": (None, "    perimetre:\n      population: {}\n"),
}
PROFILE = "essaimage: 1\nterritoire:\n  nom: Quimper\n  type: commune\nprojets:\n  atelier-velo:\n"


def _with(old: str | None, new: str) -> str:
    """A profile with `new` in its project (`old` None), else the descriptor with `new` there."""
    if old is None:
        return PROFILE + new
    assert old in BASE
    return BASE.replace(old, new, 1)


@pytest.mark.parametrize("path", THOUSANDS)
def test_thousands_with_a_point_are_refused_in_every_amount_and_count(path, tmp_path):
    old, new = THOUSANDS[path]
    [finding] = _findings(_with(old, new.format("30.000")), tmp_path)
    assert (finding.code, finding.path) == ("S114", path)
    assert "« 30.000 » se lit 30 ; pour trente mille, écrivez 30000 ou 30 000" in finding.message
    assert _findings(_with(old, new.format("30 000")), tmp_path) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("      etp: 0,5", "      etp: 0.500"),  # half a post
        ("      etp: 0,5", "      etp: 1.250"),
        ("  delai_lancement_mois: 4", "  delai_lancement_mois: 1.500"),
        ("\nmoyens:\n", "\nmoyens:\n  materiels:\n    - element: Pompe\n      quantite: 0.250\n"),
        ("coeur:\n", "financements:\n  - financeur: Ville\n    part: 33.333\ncoeur:\n"),
        ("      montant: 3 000", "      montant: 1234.567"),  # four digits first: no thousands
    ],
    ids=["etp", "etp-1.250", "mois", "fraction", "part", "quatre-chiffres"],
)
def test_three_decimals_stay_decimals_where_they_are_no_thousands(old, new, tmp_path):
    assert _findings(BASE.replace(old, new, 1), tmp_path) == []


def test_an_amount_with_its_unit_is_told_to_drop_it(tmp_path):
    text = BASE.replace("      montant: 3 000", "      montant: 3 000 €", 1)
    [finding] = _findings(text, tmp_path)
    assert finding.code == "S104"
    assert (
        finding.hint == "Écrivez le nombre seul, sans l'unité : 3 000 (les montants sont en euros)."
    )


# --- one list of codes, one severity: `kit` and `plan` refuse what `validate` calls an error ---


@pytest.fixture
def examples_repo(tmp_path, monkeypatch):
    """The examples as a repository, Saint-Brieuc's Pédibus choosing for a marge it has not."""
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    for folder in ("innovations", "territoires", "plans"):
        shutil.copytree(EXAMPLES / folder, tmp_path / folder)
    profile = tmp_path / "territoires" / "saint-brieuc.yaml"
    text = profile.read_text(encoding="utf-8")
    marked = "      frequence: matins et soirs\n"
    assert marked in text
    profile.write_text(text.replace(marked, marked + "      horaire: 8 h 20\n", 1), "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _r103(output: str) -> list[str]:
    return [line for line in output.splitlines() if "[R103]" in line]


def test_kit_refuses_a_choice_for_an_unknown_marge_as_validate_does(examples_repo):
    checked = invoke("validate", "--sans-contexte")
    [said] = _r103(checked.stdout)
    assert said.startswith("territoires/saint-brieuc.yaml:19:7: erreur[R103] « horaire » ")
    assert "« horaire » n'est pas une marge de l'innovation « pedibus » (marges : frequence" in said
    assert checked.exit_code == 1
    made = invoke(
        "kit", "innovations/pedibus.yaml", "innovations/repair-cafe.yaml",
        "--territoire", "territoires/saint-brieuc.yaml", "-f", "md", "--sans-contexte",
    )  # fmt: skip
    assert _r103(made.stdout) == [said]  # the same line, the same severity
    assert made.exit_code == 1
    assert not (examples_repo / "kits" / "pedibus").exists()  # no kit for the pair in error
    assert (examples_repo / "kits" / "repair-cafe" / "saint-brieuc.md").is_file()  # the others
    assert "avertissement" not in said and "K301" not in made.stdout


def test_kit_alone_makes_no_kit_and_says_so(examples_repo):
    made = invoke(
        "kit", "innovations/pedibus.yaml", "--territoire", "saint-brieuc", "-f", "md",
        "--sans-contexte",
    )  # fmt: skip
    assert made.exit_code == 1
    assert len(_r103(made.stdout)) == 1
    assert "Aucun kit produit : corrigez d'abord ces erreurs." in made.output
    assert not (examples_repo / "kits").exists() or not list((examples_repo / "kits").rglob("*.md"))


def test_plan_refuses_a_profile_target_whose_choice_names_no_marge(examples_repo):
    result = invoke("plan", "plans/pedibus-bretagne.yaml", "-f", "csv", "--sans-contexte")
    assert result.exit_code == 1
    [said] = _r103(result.stdout)
    assert said.startswith("territoires/saint-brieuc.yaml:19:7: erreur[R103]")
    assert "Aucun plan produit" in result.output
    assert not (examples_repo / "plans-calcules").exists()


def test_a_means_line_the_innovation_has_not_refuses_the_kit_too(examples_repo):
    profile = examples_repo / "territoires" / "saint-brieuc.yaml"
    text = profile.read_text(encoding="utf-8").replace("      horaire: 8 h 20\n", "", 1)
    profile.write_text(
        text.replace("    sites: 4\n", "    sites: 4\n    deja_en_place: [Cantine]\n", 1), "utf-8"
    )
    checked = invoke("validate", "--sans-contexte")
    [said] = [line for line in checked.stdout.splitlines() if "[R107]" in line]
    made = invoke(
        "kit", "innovations/pedibus.yaml", "--territoire", "saint-brieuc", "-f", "md",
        "--sans-contexte",
    )  # fmt: skip
    assert [line for line in made.stdout.splitlines() if "[R107]" in line] == [said]
    assert made.exit_code == 1 and "Aucun kit produit" in made.output


def test_no_code_is_a_warning_in_kit_and_an_error_in_validate():
    from essaimage.check import catalogue

    assert "K301" not in catalogue.codes()
    assert catalogue.codes()["R103"].niveau.value == "erreur"


# --- a list that YAML cut at its commas: the hint names the quotes -----------------------------

MEANS = """\
moyens:
  humains:
    - role: Animateur
      etp: 0,5
  financiers:
    - poste: Loyer, charges comprises
      montant: 300
      nature: fonctionnement
    - poste: Outils
      montant: 300
      nature: investissement
"""


def _retiring(retire: str, tmp_path):
    """The C208 findings of a descriptor whose option retires `retire`."""
    text = BASE.replace(
        "    options: [soirs, samedis]\n",
        f"    options:\n      - soirs\n      - option: samedis\n        retire: {retire}\n",
        1,
    )
    start, end = text.index("\nmoyens:\n") + 1, text.index("acteurs_publics:")
    text = text[:start] + MEANS + text[end:]
    found = _findings(text, tmp_path)
    assert {f.code for f in found} <= {"C208"}, found
    return found


def test_pieces_that_join_into_a_known_name_get_the_quotes_for_certain(tmp_path):
    found = _retiring("[Animateur, Loyer, charges comprises]", tmp_path)
    assert [f.path[-9:] for f in found] == ["retire[1]", "retire[2]"]
    for finding in found:
        assert finding.hint == (
            "YAML a coupé « Loyer, charges comprises » à la virgule ; mettez-le entre "
            'guillemets : [Animateur, "Loyer, charges comprises"].'
        )


def test_a_piece_starting_with_a_small_letter_gets_the_quotes_as_a_likely_cut(tmp_path):
    [finding] = _retiring("[Outils, pompes et clés]", tmp_path)
    assert finding.hint == (
        "Entre crochets, la virgule sépare les éléments ; si « Outils, pompes et clés » est un "
        'seul nom, mettez-le entre guillemets : ["Outils, pompes et clés"]. Sinon, écrivez le '
        "« role », le « poste » ou l'« element » tel qu'il figure dans « moyens »."
    )


@pytest.mark.parametrize(
    "retire",
    ["[Outils, Pompes]", '["Loyer", charges comprises]', "\n          - Loyer\n          - Pompes"],
    ids=["deux-noms", "guillemets", "liste-en-lignes"],
)
def test_no_quotes_where_nothing_says_yaml_cut_a_name(retire, tmp_path):
    found = _retiring(retire, tmp_path)
    assert found and all("guillemets" not in (f.hint or "") for f in found)


def test_a_profile_means_line_cut_at_its_comma_gets_the_quotes(tmp_path):
    from helpers import check_paths

    descriptor = BASE.replace(
        "  delai_lancement_mois: 4\n",
        "  materiels:\n    - element: Salle, tables et chaises\n  delai_lancement_mois: 4\n",
        1,
    )
    (tmp_path / "d.yaml").write_text(descriptor, encoding="utf-8")
    profile = PROFILE + "    deja_en_place: [Salle, tables et chaises]\n"
    (tmp_path / "p.yaml").write_text(profile, encoding="utf-8")
    result, _ = check_paths([str(tmp_path / "d.yaml"), str(tmp_path / "p.yaml")])
    found = [f for f in result.findings if f.code == "R107"]
    assert len(found) == 2
    assert all(
        f.hint and f.hint.startswith("YAML a coupé « Salle, tables et chaises »") for f in found
    )


def test_a_bracketed_list_where_a_text_is_expected_gets_the_quotes(tmp_path):
    text = BASE.replace("nom: Atelier vélo solidaire\n", "nom: [Atelier vélo, solidaire]\n", 1)
    [finding] = _findings(text, tmp_path)
    assert finding.message == "« nom » doit être un texte, pas une liste"
    assert finding.hint == (
        "Entre crochets, YAML lit une liste, coupée à chaque virgule ; pour un seul texte, "
        'mettez-le entre guillemets : "Atelier vélo, solidaire".'
    )


def test_a_choice_written_between_brackets_gets_the_quotes(tmp_path):
    found = _findings(PROFILE + "    choix:\n      horaires: [soirs, samedis]\n", tmp_path)
    assert [f.path for f in found] == [
        "projets.atelier-velo.choix.horaires[0]",
        "projets.atelier-velo.choix.horaires[1]",
    ]
    assert all(f.hint and f.hint.endswith('guillemets : "soirs, samedis".') for f in found)


@pytest.mark.parametrize(
    "project",
    [
        "    perimetre:\n      communes: [35238, rennes]\n",  # codes: a comma is never in one
        "    choix:\n      horaires: soirs\n    sites: [2, trois]\n",
    ],
    ids=["codes", "nombre"],
)
def test_lists_of_codes_or_numbers_never_get_the_quotes(project, tmp_path):
    found = _findings(PROFILE + project, tmp_path)
    assert found and all("guillemets" not in (f.hint or "") for f in found)


def test_a_list_of_listed_values_never_gets_the_quotes(tmp_path):
    text = (
        BASE
        + "prerequis:\n  - description: Une ville\n    types_territoire: [commune, petite ville]\n"
    )
    [finding] = _findings(text, tmp_path)
    assert finding.code == "S103" and "guillemets" not in (finding.hint or "")


def test_a_bug_in_the_union_reading_is_said_and_hides_no_error(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("boum")

    monkeypatch.setattr(diagnostics, "_branch_errors", broken)
    text = BASE.replace("\nlicence: CC-BY-SA-4.0\n", "\nlicence: CC-BY-SA-4.0\ninconnue: 1\n", 1)
    found = _findings(text, tmp_path)
    assert {f.code for f in found} == {"X900", "S102"}
    assert "RuntimeError : boum" in next(f.message for f in found if f.code == "X900")


def test_kit_refuses_a_descriptor_whose_rule_raised_to_an_error_fires(tmp_path, monkeypatch):
    """`regles: {D803: erreur}` makes validate fail: the kit is not written either."""
    monkeypatch.chdir(tmp_path)
    text = BASE.replace("\nlicence: CC-BY-SA-4.0\n", "\nregles: {D803: erreur}\n", 1)
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    checked = invoke("validate", "d.yaml", "--sans-contexte")
    [said] = [line for line in checked.stdout.splitlines() if "[D803]" in line]
    assert checked.exit_code == 1 and "erreur[D803]" in said
    made = invoke("kit", "d.yaml", "--territoire", "44109", "-f", "md", "--sans-contexte")
    assert [line for line in made.stdout.splitlines() if "[D803]" in line] == [said]
    assert made.exit_code == 1 and "Aucun kit produit" in made.output
    assert not (tmp_path / "kits").exists()
