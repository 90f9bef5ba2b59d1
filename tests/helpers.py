"""Helpers shared by the tests: the reference descriptor, file trees, running the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner, Result

from essaimage.check.pipeline import FileCheck, check_files
from essaimage.check.repository import collect_files
from essaimage.cli import app
from essaimage.findings import CheckResult

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

BASE = (FIXTURES / "regles" / "base.yaml").read_text(encoding="utf-8")
"""A descriptor on which no deployability rule fires (readiness 10/10)."""
NO_LICENCE = BASE.replace("\nlicence: CC-BY-SA-4.0\n", "\n", 1)
"""The same without licence: one warning (D803)."""

runner = CliRunner()


def invoke(*args: str) -> Result:
    """The command line, in-process, as a user types it (exceptions are not hidden)."""
    return runner.invoke(app, list(args), catch_exceptions=False)


def validate(*args: str) -> Result:
    """`essaimage validate ARGS…`, in-process."""
    return invoke("validate", *args)


def check_paths(arguments: list[str]) -> tuple[CheckResult, list[FileCheck]]:
    """Check the files that paths, folders or globs name, as `essaimage validate` does."""
    return check_files(collect_files(arguments))


def build_file_tree(root: Path, tree: dict[str, str | None]) -> Path:
    """Write files under `root` from {relative path: text}; a path ending with / (text None) is a
    folder. Like copier's test helper: a repository for a test in a few lines."""
    for relative, text in tree.items():
        path = root / relative
        if relative.endswith("/") or text is None:
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """The real check-jsonschema on `files` (skips when the test extras are not installed)."""
    executable = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    if not Path(executable).exists() and shutil.which("check-jsonschema") is None:
        pytest.skip("check-jsonschema est dans les extras de test : pip install -e '.[test]'")
    return subprocess.run(
        [executable, "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True
    )


def used_fields(
    model_cls: type[BaseModel], data: object, path: tuple[str | int, ...] = ()
) -> dict[tuple[str, str], list[tuple[tuple[str | int, ...], object]]]:
    """Every (model, field) a file's data uses, with each place and value, following the models."""
    used: dict[tuple[str, str], list[tuple[tuple[str | int, ...], object]]] = {}
    if not isinstance(data, dict):
        return used
    for name, value in data.items():
        info = model_cls.model_fields.get(name)
        if info is None:
            continue
        here = (*path, name)
        used.setdefault((model_cls.__name__, name), []).append((here, value))
        for sub in _models_in(info.annotation):
            if isinstance(value, list):
                children = [((*here, i), v) for i, v in enumerate(value)]
            elif isinstance(value, dict) and not set(value) & set(sub.model_fields):
                children = [((*here, k), v) for k, v in value.items()]  # a mapping of sub-models
            else:
                children = [(here, value)]
            # a mapping of lists of sub-models (`choix` by sites): one level more
            children = [
                pair
                for child_path, child in children
                for pair in (
                    [((*child_path, i), v) for i, v in enumerate(child)]
                    if isinstance(child, list)
                    else [(child_path, child)]
                )
            ]
            for child_path, child in children:
                for key, places in used_fields(sub, child, child_path).items():
                    used.setdefault(key, []).extend(places)
    return used


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def lisible(text: str) -> str:
    """A produced text with its typography undone (no-break spaces as spaces, ’ as '), for tests
    about what a text says rather than how it is set."""
    for typographic, plain in (("\u00a0", " "), ("\u202f", " "), ("’", "'"), ("&#39;", "'")):
        text = text.replace(typographic, plain)
    return text.replace("<sup>er</sup>", "er").replace("<sup>re</sup>", "re")


def example_kits(targets: list[str], formats: list[str]) -> dict[tuple[str, str, str], str]:
    """Every example innovation's kit for each target (a profile of examples/territoires by its
    stem, else anything `kit --territoire` understands), in each format, as rendered."""
    from essaimage.check.pipeline import check_file
    from essaimage.kit.prepare import prepare
    from essaimage.kit.target import resolve_target
    from essaimage.render.engine import render_all

    kits = {}
    for path in sorted((EXAMPLES / "innovations").glob("*.yaml")):
        descriptor = check_file(path)
        for target in targets:
            profile = EXAMPLES / "territoires" / f"{target}.yaml"
            cible = resolve_target(str(profile) if profile.exists() else target, [])
            texts = render_all(prepare(descriptor.model, descriptor, cible), formats)
            for fmt, text in texts.items():
                assert isinstance(text, str)
                kits[(path.stem, target, fmt)] = text
    return kits
