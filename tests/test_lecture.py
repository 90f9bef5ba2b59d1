"""A kit read as a repreneur reads it (issue 24): plain words on page 1 (« la fiche de
l'innovation », not the tool's « descripteur »), the reason of each missing score criterion,
what is not costed named, every key result dated, « site » defined, the team in hours, a
glossary of the words and acronyms the kit uses."""

from __future__ import annotations

import pytest

from essaimage.errors import OutputError
from helpers import example_kits, invoke, lisible

TARGETS = ["saint-brieuc", "redon-agglomeration", "22", "region:53", "Cantal"]


@pytest.fixture(scope="module")
def kits() -> dict[tuple[str, str], str]:
    """Every example innovation's Markdown kit for a commune's profile, an EPCI's profile, a
    département with a plural name, a région without article and a département by name."""
    return {
        (innovation, target): lisible(text)
        for (innovation, target, _), text in example_kits(TARGETS, ["md"]).items()
    }


def reader_part(text: str) -> str:
    """What the reader reads: all but the closing notes for the team that keeps the file."""
    return text.split("### Sources du kit", 1)[0]


def test_no_tool_word_in_what_the_reader_reads(kits):
    said = [key for key, text in kits.items() if "descripteur" in reader_part(text).lower()]
    assert said == []
    assert all("Fiche de l'innovation : " in text for text in kits.values())  # in the sources


def test_each_missing_criterion_says_why(kits):
    row = next(
        line
        for line in kits[("pedibus", "saint-brieuc")].splitlines()
        if line.startswith("| Préparation de la fiche |")
    )
    assert "Il manque : des résultats prouvés et sourcés (les résultats ne mesurent que de " in row


def test_what_is_not_costed_is_named_not_at_least(kits):
    assert not [key for key, text in kits.items() if "au moins :" in text]
    cost = next(
        line for line in kits[("repair-cafe", "Cantal")].splitlines() if line.startswith("| Coût |")
    )
    assert cost.endswith(
        "davantage en réalité, car « Caisse à outils complète » et « Table de réparation » ne "
        "sont pas chiffrés (partie 5) |"
    )


def test_every_key_result_has_its_date(kits):
    for text in kits.values():
        results = (
            text.split("### Résultats clés", 1)[1].split("\n## ", 1)[0]
            if "### Résultats clés" in text
            else ""
        )
        for line in results.splitlines():
            if line.startswith("- "):
                assert line.endswith(")"), line
    pedibus = kits[("pedibus", "saint-brieuc")]
    assert "- **Diffusion en France** : lignes présentes dans de nombreuses communes" in pedibus
    assert "l'appui de l'ADEME et des collectivités (date non indiquée)" in pedibus


def test_site_is_defined_on_page_one_and_the_glossary_holds_the_kit_s_words(kits):
    for text in kits.values():
        page_one = text.split("## 2.", 1)[0]
        assert "Un site y est un lieu où l'innovation fonctionne" in page_one
        assert "### Glossaire" in text and "- **ETP** : équivalent temps plein." in text
    tzcld = kits[("territoires-zero-chomeur", "saint-brieuc")]
    assert "- **EBE** : entreprise à but d'emploi" in tzcld
    assert "- **CDE** : contribution au développement de l'emploi" in tzcld
    pedibus = kits[("pedibus", "saint-brieuc")]
    assert "- **ADEME** : Agence de la transition écologique." in pedibus
    assert "**EBE**" not in pedibus  # only the acronyms the kit's texts use


def test_the_team_is_said_in_hours_and_an_agent_s_share(kits):
    team = next(
        line
        for line in kits[("pedibus", "saint-brieuc")].splitlines()
        if line.startswith("| Équipe |")
    )
    # 0,24 ETP × 35 h ≈ 8 h; 3,52 ETP × 35 h ≈ 123 h
    assert team == (
        "| Équipe | 0,24 ETP salarié (environ 8 heures de travail payé par semaine, une part du "
        "temps d'un agent), 3,52 ETP bénévoles (environ 123 heures de bénévolat par semaine, à "
        "partager entre plusieurs personnes) |"
    )


def checklist(text: str) -> list[str]:
    """The items of « Avant de vous engager »."""
    part = text.split("### Avant de vous engager", 1)[1].split("\n## ", 1)[0]
    return [line[6:] for line in part.splitlines() if line.startswith("- [ ] ")]


def test_every_kit_has_a_checklist_before_committing(kits):
    for text in kits.values():
        items = checklist(text)
        assert items[0].startswith("Le portage politique est acquis")
        assert items[1].startswith("Un référent est nommé")
        assert items[2].startswith("Le budget de la première année est inscrit au vote : ")


def test_the_checklist_comes_from_what_the_kit_knows(kits):
    items = checklist(kits[("pedibus", "saint-brieuc")])
    # 16 120 € the first year, no funding plan: all of it left to the repreneur
    assert (
        "Le budget de la première année est inscrit au vote : 16 120 €, entièrement à la charge "
        "du repreneur (aucun financement prévu cette année-là, partie 5)."
    ) in items
    assert (
        "Le prérequis « Une école élémentaire d'au moins une centaine d'élèves » est rempli "
        "; le kit ne peut pas le vérifier, c'est à voir sur place."
    ) in items
    assert "L'accord du partenaire indispensable « École élémentaire » est obtenu." in items
    assert (
        "À préparer pour l'étape 3 (« Équiper, assurer, organiser le planning ») : "
        "« attestation d'assurance »."
    ) in items
    assert any(item.startswith("Les familles sont informées des données") for item in items)
    france = checklist(kits[("france-services", "saint-brieuc")])
    assert any("« convention France Services signée »" in item for item in france)
    assert not any("données collectées sur les enfants" in item for item in france)


def test_the_resources_the_kit_cites_are_copied_beside_it_and_linked(examples_repo):
    """« la charte de ligne fournie suffit » — it was only named, with its path in the
    repository; now the kit, the plan's kits and the site carry it."""
    charter = (
        examples_repo / "innovations" / "ressources" / "charte-ligne-pedibus.md"
    ).read_bytes()
    result = invoke("kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-t", "22", "-o", "k")
    assert result.exit_code == 0, result.output
    copy = examples_repo / "k" / "pedibus" / "ressources" / "charte-ligne-pedibus.md"
    assert copy.read_bytes() == charter
    md = lisible((examples_repo / "k" / "pedibus" / "saint-brieuc.md").read_text("utf-8"))
    assert (
        "- [Charte d'une ligne de Pédibus](<ressources/charte-ligne-pedibus.md>) (modèle de "
        "document), licence CC-BY-SA-4.0 ; fichier copié avec ce kit, dans "
        "`ressources/charte-ligne-pedibus.md`"
    ) in md
    html = (examples_repo / "k" / "pedibus" / "saint-brieuc.html").read_text("utf-8")
    assert '<a href="ressources/charte-ligne-pedibus.md">' in html
    again = invoke("kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-o", "k")
    assert again.exit_code == 0, again.output  # its own copy, overwritten
    assert (
        invoke("plan", "plans/pedibus-bretagne.yaml", "--kits", "-f", "md", "-o", "p").exit_code
        == 0
    )
    assert (examples_repo / "p" / "pedibus-bretagne" / "kits" / "pedibus" / "ressources").is_dir()
    assert invoke("site", "-o", "public").exit_code == 0
    assert (
        examples_repo / "public" / "kits" / "pedibus" / "ressources" / "charte-ligne-pedibus.md"
    ).read_bytes() == charter


def test_a_resource_that_became_a_link_out_of_the_repository_is_not_copied(examples_repo, tmp_path):
    """Checked when validated, the file is read again when copied: a link put there since
    (or a folder of the repository that leads out) is refused, and nothing is written."""
    secret = tmp_path / "secret.txt"
    secret.write_text("confidentiel", encoding="utf-8")
    from essaimage.check.pipeline import check_file
    from essaimage.kit.prepare import prepare
    from essaimage.kit.target import resolve_target
    from essaimage.render.engine import render_all, write_kit

    descriptor = check_file(examples_repo / "innovations" / "pedibus.yaml")
    kit = prepare(descriptor.model, descriptor, resolve_target("saint-brieuc", []))
    charter = examples_repo / "innovations" / "ressources" / "charte-ligne-pedibus.md"
    charter.unlink()
    charter.symlink_to(secret)
    with pytest.raises(OutputError, match="ne peut pas être copiée à côté du kit"):
        write_kit(kit, examples_repo / "k", render_all(kit, ["md"]))
    assert not (examples_repo / "k" / "pedibus").exists()


def test_the_original_promoter_is_named_with_its_site_and_a_contact_without_means_says_so(kits):
    """The original promoters had no way to be reached: their site was never shown."""
    contacts = kits[("pedibus", "saint-brieuc")].split("### Contacts", 1)[1].split("###", 1)[0]
    assert (
        "- Porteur d'origine : [Association transports et environnement (ATE)]"
        "(<https://www.pedibus.ch/>)"
    ) in contacts
    assert "(ATE) — la fiche ne donne ni courriel ni téléphone" in contacts
    france = kits[("france-services", "saint-brieuc")]
    assert (
        "- Porteur d'origine : État, Agence nationale de la cohésion des territoires (ANCT)"
        in france
    )


def test_an_agent_made_available_and_volunteers_are_said_as_such():
    """« 0,24 ETP salarié » did not say it is a share of an agent's time; volunteers were ETP."""
    from essaimage.render.phrases import _hours_per_week

    assert _hours_per_week("mise-a-disposition", 0.5) == (
        "environ 18 heures par semaine d'agents d'une autre structure, qui les met à disposition "
        "sans coût pour le projet"
    )  # 0,5 × 35 = 17,5 h, rounded half up as every figure of the kit: 18
    assert _hours_per_week("benevole", 0.1) == (
        "environ 4 heures de bénévolat par semaine, à partager entre plusieurs personnes"
    )
    assert _hours_per_week("salarie", 0.24).endswith("une part du temps d'un agent")
    assert _hours_per_week("salarie", 2) == ""  # two full-time posts: the ETP say it
