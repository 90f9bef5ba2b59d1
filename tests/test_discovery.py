"""Finding files: folders, globs, shards, and the repository around a folder."""

from __future__ import annotations

import json

import pytest

from essaimage.check.repository import collect_files
from essaimage.errors import UsageError
from essaimage.files.discovery import expand, locate, shard, walk
from helpers import build_file_tree, validate


def test_shards_are_disjoint_and_cover_everything(broken_repo):
    files = collect_files(["."])
    parts = [shard(files, k, 3) for k in (1, 2, 3)]
    assert sorted(f for part in parts for f in part) == sorted(files)
    assert sum(len(p) for p in parts) == len(files)
    assert shard(files, 2, 3) == parts[1]  # deterministic
    result = validate("--shard", "1/1", "-f", "json")
    codes = {c["code"] for c in json.loads(result.stdout)["constats"]}
    assert not codes & {"R101", "R102", "R103"}  # a shard cannot see across files


def test_locate_finds_the_configuration_and_stops_at_the_git_root(tmp_path):
    build_file_tree(
        tmp_path,
        {
            "essaimage.yaml": "essaimage: 1\n",  # outside the git work tree: not this repository's
            "depot/.git/": None,
            "depot/sous/essaimage.yaml": "essaimage: 1\n",
            "depot/sous/innovations/": None,
            "depot/autre/": None,
        },
    )
    inner = locate(tmp_path / "depot" / "sous" / "innovations")
    assert inner.config == tmp_path / "depot" / "sous" / "essaimage.yaml"
    assert inner.git == tmp_path / "depot"
    assert inner.report_root == tmp_path / "depot"
    assert inner.folders[-1] == tmp_path / "depot"
    other = locate(tmp_path / "depot" / "autre")
    assert other.config is None and other.git == tmp_path / "depot"


def test_outside_git_the_configuration_is_the_root(tmp_path):
    build_file_tree(tmp_path, {"essaimage.yaml": "essaimage: 1\n", "innovations/": None})
    found = locate(tmp_path / "innovations")
    assert found.git is None and found.report_root == tmp_path


def test_walk_skips_hidden_and_tool_folders(tmp_path):
    build_file_tree(
        tmp_path,
        {
            "a.yaml": "x: 1\n",
            "b.yml": "x: 1\n",
            "notes.txt": "",
            ".cache/c.yaml": "x: 1\n",
            "node_modules/d.yaml": "x: 1\n",
            "sous/e.yaml": "x: 1\n",
        },
    )
    assert [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path)] == [
        "a.yaml",
        "b.yml",
        "sous/e.yaml",
    ]


def test_a_path_that_names_nothing_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="n'existe pas"):
        expand(str(tmp_path / "absent.yaml"))
    with pytest.raises(UsageError, match="aucun fichier ne correspond"):
        expand(str(tmp_path / "*.yaml"))
