"""A repository's templates can only produce text from data (issue 21): they see plain frozen data,
run in an allow-list sandbox, read no file but their own, and stop within a time budget per
command and a memory ceiling, with their errors at their line. Each attack below worked on an
earlier version."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from types import MappingProxyType

import pytest

from conftest import EXAMPLES, ROOT
from essaimage.check.pipeline import check_file
from essaimage.check.repository import repository_at, repository_files
from essaimage.commands import site
from essaimage.kit.prepare import prepare
from essaimage.kit.target import resolve_target
from essaimage.plan.compute import compute
from essaimage.render import engine as render
from essaimage.render import plan_files as plan_output
from essaimage.render import template_data
from helpers import BASE, build_file_tree, invoke, lisible, validate

pytestmark = pytest.mark.skipif(os.name != "posix", reason="liens symboliques, limites POSIX")

PROFILE = "essaimage: 1\nterritoire: {nom: Bourg, type: commune}\nprojets: {atelier-velo: {}}\n"
TOKEN = "ghs_jeton-de-checkout-0123456789"
VALIDES = ROOT / "tests" / "fixtures" / "valides"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A small valid repository (current folder) whose git folder holds a token, as
    actions/checkout leaves it, and, beside it, someone else's file."""
    root = tmp_path / "depot"
    build_file_tree(
        root,
        {
            ".git/config": f'[http]\n\textraheader = "AUTHORIZATION: basic {TOKEN}"\n',
            "essaimage.yaml": "essaimage: 1\ngabarits: gabarits\n",
            "gabarits/": None,
            "innovations/atelier.yaml": BASE,
            "territoires/bourg.yaml": PROFILE,
        },
    )
    build_file_tree(tmp_path / "victime", {"important.txt": "à garder\n"})
    monkeypatch.chdir(root)
    return root


def template(repo: Path, text: str, name: str = "kit.md.j2") -> None:
    (repo / "gabarits" / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / "gabarits" / name).write_text(text, encoding="utf-8")


def kit(out: Path, *options: str):
    return invoke("kit", "-t", "bourg", "-f", "md", "-o", str(out), "--sans-contexte", *options)


def everything_written(folder: Path) -> str:
    if not folder.exists():
        return ""
    return "".join(p.read_text("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


# --- no file read or written through the data ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{ c.fichier.parent.parent.parent.joinpath('victime/important.txt').read_text() }}\n",
        "{{ c.fichier.parent.parent.parent.joinpath('victime/important.txt').open().read() }}\n",
        "{{ kit.cible.fichier.parent.parent.parent.joinpath('victime', 'important.txt')"
        ".read_bytes() }}\n",
    ],
)
def test_a_path_of_the_data_reads_nothing(repo, tmp_path, text):
    """`c.fichier` was a pathlib.Path: `/proc/self/environ` put the CI's secrets in a kit."""
    template(repo, text)
    result = kit(tmp_path / "kits")
    assert result.exit_code == 1
    assert "gabarits/kit.md.j2:1:1: erreur[K302]" in result.stdout
    assert "à garder" not in result.stdout + everything_written(tmp_path / "kits")


def test_a_path_of_the_data_writes_nothing(repo, tmp_path):
    """A `.pth` written into site-packages ran code at the next start of Python."""
    template(
        repo, "{{ c.fichier.parent.joinpath('essaimage-pirate.pth').write_text('import os') }}"
    )
    result = kit(tmp_path / "kits")
    assert "erreur[K302]" in result.stdout
    assert not (repo / "territoires" / "essaimage-pirate.pth").exists()


def test_the_site_pages_read_nothing_through_the_descriptor_either(repo, tmp_path):
    """`fiches[].descripteur` was the checked file, with its `path`."""
    template(
        repo,
        "{{ f.descripteur.path.parent.parent.parent.joinpath('victime/important.txt')"
        ".read_text() }}",
        "site_innovation.html.j2",
    )
    result = invoke("site")
    assert result.exit_code != 0
    assert "site_innovation.html.j2" in result.stdout + result.stderr
    assert "à garder" not in everything_written(repo / "public")


def test_no_method_of_a_model_runs(repo, tmp_path):
    """Pydantic's deprecated `parse_raw(…, proto='pickle')` ran `id` as uid 0."""
    marker = tmp_path / "pirate"
    payload = f"cbuiltins\\nopen\\n(S'{marker}'\\nS'w'\\ntR."
    template(repo, f'{{{{ i.parse_raw("{payload}", proto="pickle", allow_pickle=true) }}}}\n')
    result = kit(tmp_path / "kits")
    assert not marker.exists()  # the pickle opened it for writing
    assert "gabarits/kit.md.j2:1:1: erreur[K302]" in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        "{{ i.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ i|attr('__class__') }}",
        "{{ '{0.__class__}'.format(i) }}",
        "{{ c.nom.format_map(kit) }}",
        "{{ kit.budget.annees|map(attribute='__class__')|first }}",
        "{{ lipsum.__globals__ }}",
        "{{ i.model_dump() }}",
        "{{ kit.sources.copy() }}",
        "{{ (1).bit_length() }}",
    ],
)
def test_the_classic_escapes_are_refused(repo, tmp_path, text):
    template(repo, "ligne\n" + text + "\n")
    result = kit(tmp_path / "kits")
    assert result.exit_code == 1
    assert "gabarits/kit.md.j2:2:1: erreur[K302]" in result.stdout
    assert "X900" not in result.stdout


# --- git's folder, hidden files and output folders -----------------------------------------


@pytest.mark.parametrize(
    ("setting", "files"),
    [
        (".", {"kit.md.j2": "{% include '.git/config' %}"}),
        ("./", {"kit.md.j2": "{% include '.git/config' %}"}),
        (".git", {".git/kit.md.j2": "{% include 'config' %}"}),
        (".git/", {".git/kit.md.j2": "{% include 'config' %}"}),
    ],
)
def test_git_s_folder_is_never_the_templates_folder(repo, tmp_path, setting, files):
    """actions/checkout stores its token in .git/config: `gabarits: "."` copied it into kits."""
    (repo / "essaimage.yaml").write_text(f'essaimage: 1\ngabarits: "{setting}"\n', encoding="utf-8")
    build_file_tree(repo, files)
    checked = validate("essaimage.yaml", "--sans-contexte")
    assert "essaimage.yaml:2:11: erreur[S113]" in checked.stdout
    kit(tmp_path / "kits")
    assert TOKEN not in everything_written(tmp_path / "kits")


@pytest.mark.parametrize("name", [".git/config", ".env", "partiels/.cache/secret", "./.env"])
def test_a_hidden_template_is_never_read(repo, tmp_path, name):
    build_file_tree(
        repo / "gabarits", {".env": f"JETON={TOKEN}\n", "partiels/.cache/secret": TOKEN}
    )
    (repo / "gabarits" / ".git").symlink_to(repo / ".git", target_is_directory=True)
    template(repo, f"ligne\n{{% include '{name}' %}}\n")
    result = kit(tmp_path / "kits")
    assert "gabarits/kit.md.j2:2:1: erreur[K302]" in result.stdout
    assert TOKEN not in result.stdout + everything_written(tmp_path / "kits")


@pytest.mark.parametrize(("target", "why"), [(".", "racine du dépôt"), (".git", "dossier de git")])
def test_a_link_to_the_root_or_to_git_is_not_a_templates_folder(repo, tmp_path, target, why):
    (repo / "lien").symlink_to(repo / target, target_is_directory=True)
    (repo / "essaimage.yaml").write_text("essaimage: 1\ngabarits: lien\n", encoding="utf-8")
    (repo / "kit.md.j2").write_text("{% include '.git/config' %}", encoding="utf-8")
    (repo / ".git" / "kit.md.j2").write_text("{% include 'config' %}", encoding="utf-8")
    result = kit(tmp_path / "kits")
    assert result.exit_code == 2 and why in result.stderr
    assert TOKEN not in everything_written(tmp_path / "kits")


@pytest.mark.parametrize("configuration", ["gabarits: public", "gabarits: public/gabarits",
                                           "site: www/site\ngabarits: www", "gabarits: donnees"])  # fmt: skip
def test_an_output_folder_is_not_a_templates_folder(repo, configuration):
    (repo / "essaimage.yaml").write_text(f"essaimage: 1\n{configuration}\n", encoding="utf-8")
    result = validate("essaimage.yaml", "--sans-contexte")
    assert "erreur[S113]" in result.stdout and "où essaimage écrit" in result.stdout


@pytest.mark.parametrize("sortie", ["gabarits", "gabarits/kits", "."])
def test_kits_are_not_written_in_or_around_the_templates(repo, sortie):
    template(repo, "Kit maison {{ i.nom }}\n")
    result = kit(repo / sortie)
    assert result.exit_code == 2 and "se recouvrent" in result.stderr
    assert sorted(p.name for p in (repo / "gabarits").iterdir()) == ["kit.md.j2"]


def test_the_site_is_not_built_in_the_templates_folder(repo):
    template(repo, "<p>{{ i.nom }}</p>", "site_innovation.html.j2")
    result = invoke("site", "--sortie", "gabarits")
    assert result.exit_code == 2 and "se recouvrent" in result.stderr
    assert sorted(p.name for p in (repo / "gabarits").iterdir()) == ["site_innovation.html.j2"]


# --- errors at the template's line ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{% for x in range(10**9) %}{% endfor %}", "une boucle ou un nombre trop grands"),
        ("{{ i|euros }}", "le gabarit ne peut pas être produit"),
        ("{{ kit.budget.annees[99] }}", "une variable ou un attribut inconnu"),
        ("{% include 'absent.j2' %}", "gabarit « absent.j2 » introuvable"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "trop long ou trop gourmand"),
    ],
)
def test_a_template_error_is_a_k302_at_its_line(repo, tmp_path, text, reason):
    """`range(10**9)` was an internal error (X900) of the descriptor."""
    template(repo, "ligne 1\n" + text + "\n")
    result = kit(tmp_path / "kits")
    assert result.exit_code == 1
    assert f"gabarits/kit.md.j2:2:1: erreur[K302] {reason}" in result.stdout
    assert "X900" not in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        '{% set x = "x"|center(10**8) %}{{ x|length }}',
        '{% set x = "x"|indent(10**8, true) %}{{ x|length }}',
        '{% set x = ("x\\n" * 100000)|indent(1000) %}{{ x|length }}',
        '{% set x = ("x" * 1000000)|replace("x", "y" * 40) %}{{ x|length }}',
        '{% set x = ("x " * 100000)|wordwrap(1, wrapstring="w" * 1000) %}{{ x|length }}',
        '{% set x = range(100000)|join("x" * 1000) %}{{ x|length }}',
        "{% set x = [1]|batch(10**8, 0)|list %}{{ x|length }}",
        "{% set x = [1]|slice(10**8)|list %}{{ x|length }}",
        '{% set x = "%0100000000d" % 1 %}{{ x|length }}',
        '{% set x = "{:>100000000}".format(1) %}{{ x|length }}',
        '{% set ns = namespace(s="x" * 1000000) %}{% for _ in range(6) %}'
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        '{% set ns = namespace(s="x" * 1000000) %}{% for _ in range(6) %}'
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
        "{{ 1.5|nombre(10**8) }}",
    ],
)
def test_texts_a_template_builds_are_bounded(repo, tmp_path, text):
    """Each of these made 100 Mio or more in memory, out of sight of the output's limit."""
    template(repo, "ligne 1\n" + text + "\n")
    started = time.perf_counter()
    result = kit(tmp_path / "kits")
    assert time.perf_counter() - started < 10
    assert "gabarits/kit.md.j2:2:1: erreur[K302]" in result.stdout, result.stdout
    assert "X900" not in result.stdout


@pytest.mark.parametrize(
    "text", ["{% set x = lipsum(10**5) %}{{ x|length }}", '{{ "%s"|format(1) }}']
)
def test_lipsum_and_format_are_gone(repo, tmp_path, text):
    template(repo, text)
    assert "gabarits/kit.md.j2:1:1: erreur[K302]" in kit(tmp_path / "kits").stdout


# --- memory and time ------------------------------------------------------------------------

TWO_GIB = """{% set ns = namespace(l=[], s="x" * 1000000) %}
{% for _ in range(5) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}
{% for n in range(64) %}{% set ns.l = ns.l + [ns.s ~ n] %}{% endfor %}
{{ ns.l|length }} textes de 32 Mo
"""

MEASURED = """
import runpy, sys
sys.argv = ["essaimage", *sys.argv[1:]]
try:
    runpy.run_module("essaimage", run_name="__main__")
except SystemExit as exc:
    code = exc.code
with open("/proc/self/status", encoding="ascii") as status:
    print(*[line for line in status if line.startswith("VmHWM:")], file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="plafond de mémoire : Linux")
def test_a_template_that_takes_two_gib_is_stopped_at_its_line(repo, tmp_path):
    """One expression took 1,5 to 2,2 Gio; now the rendering stops with a K302 at the line
    where memory ran out, and the process stays under its data plus 512 Mio."""
    template(repo, TWO_GIB)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "kit", "-t", "bourg", "-f", "md", "-o",
         str(tmp_path / "kits"), "--sans-contexte"],
        capture_output=True, text=True, timeout=120, cwd=repo,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    # the peak resident memory of this process since it started (ru_maxrss would count the
    # test process it was forked from)
    peak = int(done.stderr.rsplit("VmHWM:", 1)[1].split()[0]) * 1024
    assert "gabarits/kit.md.j2:3:1: erreur[K302] trop gourmand en mémoire" in done.stdout
    assert done.returncode == 1 and elapsed < 30
    assert peak < 800 * 1024 * 1024, peak


def test_the_time_budget_is_for_the_whole_command(repo, tmp_path, monkeypatch):
    """Each of 4 descriptors held a job 30 s per format: now all the renderings of one command
    share RUN_SECONDS, after which each fails at once; the next command starts anew."""
    monkeypatch.setattr(render, "RUN_SECONDS", 1.0)
    monkeypatch.setattr(render, "TEMPLATE_SECONDS", 0.6)
    for n in range(2, 5):
        text = BASE.replace("id: atelier-velo", f"id: atelier-velo-{n}")
        (repo / "innovations" / f"atelier-{n}.yaml").write_text(text, encoding="utf-8")
    template(
        repo, "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    )
    for _ in range(2):
        started = time.perf_counter()
        result = invoke("kit", "-t", "35", "-f", "md,html", "-o", str(tmp_path / "k"),
                        "--sans-contexte")  # fmt: skip
        assert time.perf_counter() - started < 3
        lines = [line for line in result.stdout.splitlines() if "erreur[K302]" in line]
        assert len(lines) == 4  # one per kit: the first format that fails
        # the first kit stopped after its 0,6 s, the second when the 1 s were spent (a new
        # command has them all again), the others at once
        assert sum("trop long ou trop gourmand à produire" in line for line in lines) == 1
        assert sum("temps épuisé" in line for line in lines) == 3
        assert all(line.startswith("gabarits/kit.md.j2:1:1: ") for line in lines)


# --- what a template sees -------------------------------------------------------------------

JINJA_GLOBALS = {"range", "dict", "cycler", "joiner", "namespace"}  # Jinja's own, documented


def walk(value, where: str, seen: list[str]) -> None:
    """Every value reachable from `value` is plain data (the types of template_data)."""
    seen.append(where)
    kind = type(value)
    assert kind in template_data.PLAIN_TYPES, f"{where} : {kind.__name__}"
    if kind in (template_data.Record, MappingProxyType):
        for key, item in value.items():
            assert type(key) is str, f"{where} : clé {type(key).__name__}"
            walk(item, f"{where}.{key}", seen)
    elif kind is tuple:
        for index, item in enumerate(value):
            walk(item, f"{where}[{index}]", seen)


@pytest.fixture
def contexts(monkeypatch):
    """What every template of a kit, the site and a plan is rendered with (names and globals)."""
    seen: list[tuple[str, object, dict]] = []
    original = render.render_template

    def recording(env, name, custom, **context):
        seen.append((name, env, context))
        return original(env, name, custom, **context)

    for module in (render, site, plan_output):
        monkeypatch.setattr(module, "render_template", recording)
    return seen


def test_templates_see_only_plain_data(contexts):
    """The test the issue asks for: everything reachable from the context of a kit, of each
    site page and of a plan is a frozen mapping, a tuple, a text, a number, a boolean, None or
    a date; the globals too, but for Jinja's own functions."""
    descriptor = check_file(VALIDES / "complet.yaml")
    cible = resolve_target(str(VALIDES / "profil-complet.yaml"), [])
    render.render_all(prepare(descriptor.model, descriptor, cible), ["md", "html"])
    repo = repository_at(EXAMPLES)
    site._render_pages([check_file(p) for p in repository_files(repo)], None, None)
    plan_file = check_file(VALIDES / "plan-complet.yaml")
    computed = compute(plan_file.model.plan, descriptor, VALIDES)
    for fmt in ("md", "html"):
        plan_output.render_plan(computed, fmt)
    names = {name for name, _, _ in contexts}
    assert {"kit.md.j2", "kit.html.j2", "site_index.html.j2", "site_innovation.html.j2",
            "plan.md.j2", "plan.html.j2"} <= names  # fmt: skip
    seen: list[str] = []
    for name, env, context in contexts:
        for key, value in context.items():
            walk(value, f"{name}:{key}", seen)
        for key, value in env.globals.items():
            if key not in JINJA_GLOBALS:
                walk(value, f"{name}:{key}", seen)
        assert "lipsum" not in env.globals
    assert len(seen) > 20_000  # the whole trees were walked, kits of plans included


def test_a_repository_template_reads_only_the_listed_attributes(tmp_path):
    """The allow-list: the keys of a Record, a few methods of texts and tables, a date's
    parts; nothing else of any object, and no callable but those."""
    from markupsafe import Markup

    env = render.environment("md", str(tmp_path))
    descriptor = check_file(EXAMPLES / "innovations" / "pedibus.yaml")
    cible = resolve_target("saint-brieuc", [EXAMPLES / "innovations"])
    data = template_data.kit(prepare(descriptor.model, descriptor, cible))
    mapping = {"items", "keys", "values", "get"}
    text = {"lower", "upper", "capitalize", "title", "strip", "lstrip", "rstrip", "startswith",
            "endswith"}  # fmt: skip
    expected = [
        (data, set(data) | mapping),
        (data.budget.annees[0], set(data.budget.annees[0]) | mapping),
        (data.sources, mapping),
        ({"a": 1}, mapping),
        ("texte", text),
        (Markup("<b>texte</b>"), text),
        (dt.date(2027, 3, 1), {"year", "month", "day"}),
        ((1, 2), set()),
        ([1, 2], set()),
        (1, set()),
        (1.5, set()),
        (True, set()),
        (range(3), set()),
    ]
    for obj, allowed in expected:
        readable = {
            name for name in dir(obj) if env.is_safe_attribute(obj, name, getattr(obj, name, None))
        }
        assert readable == allowed, type(obj).__name__
    assert env.is_safe_callable("x".lower) and env.is_safe_callable(data.sources.get)
    for refused in ("x".replace, "x".format, "x".join, print, open, os.system, [].append,
                    data.sources.copy, dt.date.today, Path, type):  # fmt: skip
        assert not env.is_safe_callable(refused), refused


def test_the_package_s_templates_render_the_same_in_the_sandbox(tmp_path):
    """Built-in templates run on the same data in a repository's sandbox (a custom template may
    include them), byte for byte: the kits, the site's pages and the plans (issue 23 will route
    plans through `gabarits`)."""
    descriptor = check_file(VALIDES / "complet.yaml")
    cible = resolve_target(str(VALIDES / "profil-complet.yaml"), [])
    kit_data = template_data.kit(prepare(descriptor.model, descriptor, cible))
    plain = render.render_all(kit_data, ["md", "html"])
    assert render.render_all(kit_data, ["md", "html"], tmp_path) == plain
    computed = compute(check_file(VALIDES / "plan-complet.yaml").model.plan, descriptor, VALIDES)
    for fmt in ("md", "html"):
        context = template_data.plan_context(computed, {}, "")
        sandboxed = render.render_template(
            render.environment(fmt, str(tmp_path)), f"plan.{fmt}.j2", True, **context
        )
        assert sandboxed == plan_output.plan_text(computed, fmt, None)


def test_the_reference_in_docs_gabarits_is_the_code_s():
    page = ROOT / "docs" / "gabarits.md"
    start, end = "<!-- début de la référence générée -->\n", "<!-- fin de la référence générée -->"
    text = page.read_text(encoding="utf-8")
    before, rest = text.split(start)
    _, after = rest.split(end)
    generated = template_data.reference() + "\n"
    if os.environ.get("ESSAIMAGE_REGENERER"):
        page.write_text(before + start + generated + end + after, encoding="utf-8")
    assert rest.split(end)[0] == generated


def test_jinja_s_own_features_still_work_in_a_repository_s_template(repo, tmp_path):
    """The allow-list refuses objects' methods, not the language: blocks and `super()`,
    macros and `caller()`, loops (`loop.cycle`, recursion), `namespace`, `cycler`, `joiner`,
    tests and filters on the data, a built-in part included."""
    template(
        repo,
        "{% block titre %}Titre{% endblock %}\n"
        "{% for s in sections if s.ident == 'preuves' %}{% include 'sections/preuves.md.j2' %}"
        "{% endfor %}",
        "base.md.j2",
    )
    template(
        repo,
        "{% extends 'base.md.j2' %}{% block titre %}{{ super() }} : {{ i.nom|upper }}\n"
        "{% macro ligne(x) %}- {{ x }} ({{ caller() }}){% endmacro %}"
        "{% set ns = namespace(n=0) %}{% set c1 = cycler('a', 'b') %}{% set j = joiner(' / ') %}"
        "{% for a in kit.budget.annees %}{% set ns.n = ns.n + 1 %}{{ j() }}{{ loop.cycle('x', 'y') }}"
        "{{ c1.next() }}{{ a.numero }}{% endfor %}\n"
        "{% call ligne(ns.n) %}{{ kit.sources.get('descripteur') }}{% endcall %}\n"
        "{% for k, v in kit.budget.etp_par_statut.items() %}{{ k }}={{ v|etp }} {% endfor %}\n"
        "{{ kit.budget.annees|map(attribute='numero')|join(',') }} {{ c.nom.lower() }} "
        "{{ i.mis_a_jour.year }} {{ dict(a=1).get('a') }} {{ i.secteurs|libelles(SECTEURS)|join }}\n"
        "{% endblock %}",
    )
    result = kit(tmp_path / "kits")
    assert result.exit_code == 0, result.stdout
    text = lisible((tmp_path / "kits" / "atelier-velo" / "bourg.md").read_text(encoding="utf-8"))
    assert text.startswith("Titre : ATELIER VÉLO SOLIDAIRE\nxa1/yb2/xa3- 3 (atelier.yaml)")
    assert "salarie=0,5 ETP 1,2,3 bourg 2026 1" in text and "### Le problème" in text


@pytest.mark.parametrize(
    "text",
    [
        '{{ "abc"|join(",") }} {{ [1, 2, 3]|join(d=";") }} {{ kit.budget.annees|join("|", attribute="numero") }}',
        '{{ "x"|center(width=7) }}|{{ "a\\nb"|indent(width=2, first=true) }}',
        '{{ "aaa bbb ccc"|wordwrap(width=4, wrapstring="/") }} {{ "aaa"|replace("a", "bb", 2) }}',
        "{{ [1, 2, 3, 4, 5]|batch(2, 0)|list }} {{ [1, 2, 3, 4, 5]|slice(slices=2)|list }}",
        "{{ 1234.567|nombre }} {{ 1234.567|nombre(1) }} {{ 'a' ~ 'b' + 'c' }} {{ 7 % 3 }}",
    ],
)
def test_the_bounded_filters_do_what_jinja_s_do(tmp_path, text):
    descriptor = check_file(EXAMPLES / "innovations" / "pedibus.yaml")
    cible = resolve_target("saint-brieuc", [EXAMPLES / "innovations"])
    context = template_data.kit_context(prepare(descriptor.model, descriptor, cible))
    sandboxed = render.environment("md", str(tmp_path)).from_string(text).render(**context)
    assert sandboxed == render.environment("md").from_string(text).render(**context)
