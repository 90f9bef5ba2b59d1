"""The shape of the package: no import cycle (also through imports inside functions), every
module importable on its own, and the core free of the command-line libraries."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "essaimage"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(name: str, type_checking: bool = False) -> set[str]:
    """The package's modules that `name` imports when it runs, anywhere in its code.

    Imports under `if TYPE_CHECKING:` are left out (they never run) unless `type_checking`.
    """
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child) and not type_checking:
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                if not base.startswith("essaimage"):
                    continue
                for alias in child.names:
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if candidate in MODULES else base)
            elif isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("essaimage"))
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    # a module always runs its package's __init__ first: importing the package is not a cycle
    return {m for m in found if m in MODULES and not name.startswith(m + ".")}


GRAPH = {name: runtime_imports(name) for name in MODULES}
TYPE_GRAPH = {name: runtime_imports(name, type_checking=True) for name in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_graph_is_read():
    assert "essaimage.check.pipeline" in GRAPH["essaimage.cli"] or any(
        "essaimage.check.pipeline" in GRAPH[m] for m in MODULES if m.startswith("essaimage.cli")
    )
    assert "essaimage.check.loader" in GRAPH["essaimage.check.pipeline"]


def test_no_import_cycle_even_inside_functions():
    assert find_cycle(GRAPH) is None, " → ".join(find_cycle(GRAPH) or [])


def test_no_import_cycle_at_type_level_either():
    """Issue 23: the rules reached the models under TYPE_CHECKING, the models the rules."""
    assert find_cycle(TYPE_GRAPH) is None, " → ".join(find_cycle(TYPE_GRAPH) or [])


def lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's contracts of pyproject.toml, on the package found under `source`."""
    program = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(program) if program.exists() else "lint-imports", "--config", str(ROOT / "pyproject.toml")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(source)},
    )  # fmt: skip


def test_the_layers_contract_is_kept():
    """Each folder imports only the folders below it (pyproject.toml, docs/architecture.md)."""
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 kept, 0 broken" in result.stdout


def test_the_layers_contract_breaks_on_an_upward_import(tmp_path):
    """The contract is read and enforced: the format importing the checks breaks it, as
    `models` importing `catalogue` did before issue 23; so does a folder no layer names."""
    copy = tmp_path / "src" / "essaimage"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    vocabulary = copy / "format" / "vocabulary.py"
    vocabulary.write_text(
        vocabulary.read_text("utf-8") + "\nfrom ..check import catalogue  # noqa\n", "utf-8"
    )
    result = lint_imports(tmp_path / "src")
    assert result.returncode == 1
    assert "essaimage.format is not allowed to import essaimage.check" in result.stdout
    vocabulary.write_text(vocabulary.read_text("utf-8").replace("from ..check", "# "), "utf-8")
    (copy / "atelier").mkdir()
    (copy / "atelier" / "__init__.py").write_text('"""A room no layer names."""\n', "utf-8")
    result = lint_imports(tmp_path / "src")
    assert result.returncode == 1 and "essaimage.atelier" in result.stdout, result.stdout


def test_only_the_command_line_imports_typer_and_rich():
    for name, path in MODULES.items():
        if name.startswith("essaimage.cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and not node.level
        }
        assert not imported & {"typer", "rich", "click"}, name


def test_every_module_imports_on_its_own():
    """Each module in a fresh set of essaimage modules: an import-order dependency shows here."""
    script = (
        "import importlib, sys\n"
        f"for name in {sorted(MODULES)!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'essaimage' or m.startswith('essaimage.')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_public_api_resolves_and_stays_light():
    script = (
        "import sys, essaimage\n"
        "assert sorted(essaimage.__all__) == sorted(['__version__', *essaimage._API])\n"
        "assert 'pydantic' not in sys.modules and 'essaimage.check.pipeline' not in sys.modules\n"
        "for name in essaimage.__all__:\n"
        "    assert getattr(essaimage, name) is not None, name\n"
        "print(len(essaimage.__all__))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout) >= 20


HEAVY = (
    "typer.rich_utils", "rich.markdown", "markdown_it", "jinja2", "xml.sax", "urllib.request",
    "http.client", "ssl", "license_expression", "pathspec",
)  # fmt: skip


def modules_after(*arguments: str) -> set[str]:
    """The modules a real `essaimage ARGUMENTS…` run has imported when it ends."""
    code = (
        "import sys\n"
        f"sys.argv = ['essaimage', {', '.join(repr(a) for a in arguments)}]\n"
        "from essaimage.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(sys.modules)\n"
        "import json\n"
        "print(json.dumps(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    import json

    return set(json.loads(result.stdout.splitlines()[-1]))


def test_start_up_imports_nothing_heavy():
    """`--version` and the check of one file (what a pre-commit hook runs) import neither Rich's
    help, nor the kit's machinery, nor the SPDX list, nor XML and network modules (issue 13)."""
    version = modules_after("--version")
    assert not [m for m in HEAVY if m in version]
    assert "pydantic" not in version and "yaml" not in version
    assert not {"pydantic_core", "essaimage.format.scalars", "essaimage.findings", "json"} & version
    one_file = modules_after("validate", "examples/innovations/pedibus.yaml")
    assert not [m for m in HEAVY if m in one_file]


def test_document_libraries_load_only_for_their_formats(tmp_path):
    """The core install stays light: a Markdown and HTML kit loads neither WeasyPrint (PDF) nor
    the readers of the tests; pandoc is a program, not imported (issue 14)."""
    loaded = modules_after(
        "kit", "examples/innovations/pedibus.yaml", "-t", "saint-brieuc",
        "-f", "md,html", "-o", str(tmp_path),
    )  # fmt: skip
    assert "essaimage.render.engine" in loaded  # the kit was made
    heavy = {"weasyprint", "pypandoc", "frictionless", "docx", "odf", "pikepdf"}
    assert not heavy & loaded


def test_the_format_loads_neither_the_checks_nor_the_rules():
    """Issue 23: importing the models loaded the catalogue and every rule module (18 modules, a
    cycle at type level) only to check the keys of `regles`; they are checked after the models."""
    script = (
        "import sys, essaimage.format.models\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('essaimage.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = result.stdout.split()
    assert "essaimage.format.models" in loaded
    assert [
        m
        for m in loaded
        if not m.startswith(("essaimage.format", "essaimage.text", "essaimage.version"))
    ] == []


def test_docs_architecture_gives_each_room_its_line_in_the_contract_s_order():
    """Issue 23: each folder (and the modules at the bottom) has one line in docs/architecture.md
    saying what it holds and may import, in the order of the layers contract."""
    import re

    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = doc.split("## Rooms and layers", 1)[1].split("\n## ", 1)[0]
    rows = [
        m.group(1).rstrip("/").removesuffix(".py")
        for m in re.finditer(r"^\| `([^`]+)` \|", table, re.M)
    ]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = pyproject.split('type = "layers"', 1)[1].split("\nlayers = [", 1)[1].split("]", 1)[0]
    layers = [name.strip() for line in re.findall(r'"([^"]+)"', block) for name in line.split("|")]
    assert rows == layers
    rooms = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    rooms |= {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert set(rows) == rooms
