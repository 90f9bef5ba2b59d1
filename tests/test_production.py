"""Making kits in a repository: which (innovation, territory) pairs, kits without a descriptor,
custom templates, profiles in the configured folder."""

from __future__ import annotations

from essaimage.check.pipeline import check_file
from essaimage.commands.kits import pairs
from essaimage.kit.target import from_official, from_profile_file
from essaimage.territories.cog import reference
from helpers import BASE, build_file_tree, invoke, lisible


def test_kit_without_descriptor_uses_the_profile_projects(examples_repo, tmp_path):
    result = invoke("kit", "--territoire", "saint-brieuc", "-o", str(tmp_path / "k"), "-f", "md")
    assert result.exit_code == 0, result.output
    written = sorted(
        p.relative_to(tmp_path / "k").as_posix()
        for p in (tmp_path / "k").rglob("*.md")
        if p.parent.name != "ressources"  # the files the kits cite, copied beside them
    )
    assert written == ["pedibus/saint-brieuc.md", "repair-cafe/saint-brieuc.md"]


def test_kit_without_descriptor_for_an_official_territory_gives_the_whole_catalogue(
    examples_repo, tmp_path
):
    result = invoke("kit", "--territoire", "29", "-o", str(tmp_path / "k"), "-f", "md")
    assert result.exit_code == 0
    kits = [p for p in (tmp_path / "k").rglob("*.md") if p.parent.name != "ressources"]
    assert len(kits) == 5  # one per example innovation


def test_kit_without_descriptor_outside_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("kit", "--territoire", "29").exit_code == 2


def test_custom_templates_override_builtin_ones_by_name(examples_repo, tmp_path):
    (examples_repo / "gabarits").mkdir()
    (examples_repo / "gabarits" / "kit.md.j2").write_text(
        "# Kit maison : {{ i.nom }} pour {{ c.nom }}\n", encoding="utf-8"
    )
    (examples_repo / "essaimage.yaml").write_text(
        "essaimage: 1\nexclure: [ci]\ngabarits: gabarits\n", encoding="utf-8"
    )
    result = invoke(
        "kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-o", str(tmp_path / "k")
    )
    assert result.exit_code == 0
    assert (
        lisible((tmp_path / "k" / "pedibus" / "saint-brieuc.md").read_text(encoding="utf-8"))
        == "# Kit maison : Pédibus, le ramassage scolaire à pied pour Saint-Brieuc\n"
    )
    assert "<!DOCTYPE html>" in (tmp_path / "k" / "pedibus" / "saint-brieuc.html").read_text(
        encoding="utf-8"
    )


def test_a_plan_s_kits_use_the_repository_s_templates_as_kit_does(examples_repo):
    """Issue 23: `plan --kits` rendered its kits without the repository's `gabarits`."""
    (examples_repo / "gabarits").mkdir()
    (examples_repo / "gabarits" / "kit.md.j2").write_text(
        "# Kit maison : {{ i.nom }} pour {{ c.nom }}\n", encoding="utf-8"
    )
    (examples_repo / "essaimage.yaml").write_text(
        "essaimage: 1\nexclure: [ci]\ngabarits: gabarits\n", encoding="utf-8"
    )
    result = invoke("plan", "plans/pedibus-bretagne.yaml", "--kits", "-f", "md", "-o", "sortie")
    assert result.exit_code == 0, result.output
    kit = examples_repo / "sortie" / "pedibus-bretagne" / "kits" / "pedibus" / "saint-brieuc.md"
    assert lisible(kit.read_text(encoding="utf-8")) == (
        "# Kit maison : Pédibus, le ramassage scolaire à pied pour Saint-Brieuc\n"
    )


# --- site ---------------------------------------------------------------------------------------


def test_kit_finds_profiles_in_the_configured_folder_and_applies_rule_levels_by_path(
    examples_repo, tmp_path
):
    (examples_repo / "territoires").rename(examples_repo / "profils")
    (examples_repo / "essaimage.yaml").write_text(
        "essaimage: 1\nexclure: [ci]\nterritoires: profils\n"
        "regles_par_chemin:\n  - chemins: [innovations/pedibus.yaml]\n    regles: {T102: ignorer}\n",
        encoding="utf-8",
    )
    result = invoke(
        "kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-o", str(tmp_path / "k")
    )
    assert result.exit_code == 0, result.output
    assert "T102" not in result.stdout
    assert (tmp_path / "k" / "pedibus" / "saint-brieuc.md").exists()


def test_pairs_for_each_way_of_choosing(tmp_path):
    build_file_tree(
        tmp_path,
        {
            "a.yaml": BASE,
            "b.yaml": BASE.replace("id: atelier-velo", "id: atelier-b"),
            "b-copie.yaml": BASE.replace("id: atelier-velo", "id: atelier-b"),
            "prevoit-b.yaml": "essaimage: 1\nterritoire: {nom: Un}\nprojets: {atelier-b: {}}\n",
            "prevoit-autre.yaml": "essaimage: 1\nterritoire: {nom: Deux}\nprojets: {autre: {}}\n",
        },
    )
    innovations = [check_file(tmp_path / n) for n in ("a.yaml", "b.yaml", "b-copie.yaml")]
    cibles = [
        from_profile_file(tmp_path / "prevoit-b.yaml"),
        from_profile_file(tmp_path / "prevoit-autre.yaml"),
        from_official(reference().find("44109")),
    ]

    def chosen(selection):
        return [(c.path.name, cible.slug) for c, cible in pairs(innovations, cibles, selection)]

    everything = [("a.yaml", "prevoit-b"), ("b.yaml", "prevoit-b")]
    everything += [("a.yaml", "prevoit-autre"), ("b.yaml", "prevoit-autre")]
    everything += [("a.yaml", "nantes-44109"), ("b.yaml", "nantes-44109")]
    assert chosen("toutes") == everything  # the first descriptor with an id wins
    assert chosen("prevues") == [("b.yaml", "prevoit-b")]
    assert chosen("prevues-sinon-toutes") == [("b.yaml", "prevoit-b"), *everything[2:]]
    assert pairs(innovations, cibles + cibles[:1], "prevues") == pairs(
        innovations, cibles, "prevues"
    )  # each pair once


def test_a_kit_run_says_when_a_planned_project_names_no_innovation(tmp_path, monkeypatch):
    """`kit -t brest` used to skip an unknown project silently; validate says R102 (issue 12)."""
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\n",
            "innovations/atelier.yaml": BASE,
            "territoires/brest.yaml": (
                "essaimage: 1\nterritoire: {nom: Brest, type: commune}\n"
                "projets:\n  atelier-velos: {beneficiaires: 3}\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    result = invoke("kit", "-t", "brest", "-o", "kits")
    assert result.exit_code == 1
    assert (
        "territoires/brest.yaml:4:3: erreur[R102] le profil prévoit « atelier-velos », qui n'est "
        "l'identifiant d'aucune innovation du dépôt ; vouliez-vous dire « atelier-velo » ?"
    ) in result.stdout


def test_one_territory_kits_are_made_one_descriptor_at_a_time_with_the_same_result(
    tmp_path, monkeypatch
):
    """Issue 13: `kit --territoire X` for a whole repository checks a descriptor, makes its kit
    and lets it go (memory does not grow with the catalogue); what is written and said is what
    choosing every pair first gives: an invalid descriptor makes no kit, the first of an id does."""
    import essaimage.commands.kits as production

    tree = {".git/": None, "essaimage.yaml": "essaimage: 1\n"}
    tree["innovations/a-premiere.yaml"] = BASE
    tree["innovations/b-cassee.yaml"] = BASE.replace("id: atelier-velo", "id: cassee").replace(
        "      etp: 0,5", "      etp: -1"
    )
    tree["innovations/c-doublon.yaml"] = BASE.replace("nom: Atelier vélo solidaire", "nom: Autre")
    tree["innovations/d-autre.yaml"] = BASE.replace("id: atelier-velo", "id: autre-atelier")
    build_file_tree(tmp_path, tree)
    monkeypatch.chdir(tmp_path)
    streamed = []
    original = production._stream_kits
    monkeypatch.setattr(production, "_stream_kits", lambda *a: streamed.append(1) or original(*a))
    one_by_one = invoke("kit", "-t", "22278", "-o", "un", "--sans-contexte")
    assert streamed == [1]
    monkeypatch.setattr(production, "_one_kit_each", lambda *a: False)
    all_first = invoke("kit", "-t", "22278", "-o", "tous", "--sans-contexte")
    assert one_by_one.exit_code == all_first.exit_code == 1  # the broken descriptor
    assert one_by_one.stdout.replace("un/", "tous/") == all_first.stdout
    made = sorted(
        p.relative_to(tmp_path / "un").as_posix() for p in (tmp_path / "un").rglob("*.md")
    )
    assert made == ["atelier-velo/saint-brieuc-22278.md", "autre-atelier/saint-brieuc-22278.md"]
    for kit in (tmp_path / "un").rglob("*.*"):
        assert (
            kit.read_bytes() == (tmp_path / "tous" / kit.relative_to(tmp_path / "un")).read_bytes()
        )
