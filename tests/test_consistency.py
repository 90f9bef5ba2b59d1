"""Checks between the files of a repository (R101, R102, R103): pure functions of what the
pipeline read."""

from __future__ import annotations

import json

from essaimage.consistency import check_across
from essaimage.pipeline import check_file
from helpers import validate


def test_cross_file_findings_name_the_first_file(broken_repo):
    data = json.loads(validate("-f", "json").stdout)
    by_code = {c["code"]: c for c in data["constats"]}
    assert "innovations/atelier.yaml (ligne 4)" in by_code["R101"]["message"]
    assert by_code["R101"]["fichier"] == "innovations/copie.yaml"
    assert "vouliez-vous dire « atelier-velo » ?" in by_code["R102"]["message"]
    assert (by_code["R103"]["ligne"], "horaires") == (
        6,
        "horaires" if "horaires" in by_code["R103"]["message"] else "",
    )


def test_checks_between_files_only_use_what_they_are_given(tmp_path):
    """A project may name an innovation of the repository that the run did not check: the
    pipeline passes its id; the check itself reads nothing."""
    profile = tmp_path / "bourg.yaml"
    profile.write_text(
        "essaimage: 1\nterritoire: {nom: Bourg}\nprojets:\n  ailleurs: {}\n  inconnue: {}\n",
        encoding="utf-8",
    )
    checked = check_file(profile)
    assert checked.ok
    findings = check_across([checked], {profile: {"ailleurs"}})
    assert [(f.code, f.line, f.message.split(",")[0]) for f in findings] == [
        ("R102", 5, "le profil prévoit « inconnue »")
    ]
    assert check_across([checked], {}) == []  # nothing to compare with: nothing is said
