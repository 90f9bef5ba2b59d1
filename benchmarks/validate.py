"""Measure `essaimage validate` and `essaimage kit` on a generated catalogue, beside their peers.

Usage: python benchmarks/validate.py [--fichiers 1000] [--repetitions 3] [--memoire 10000]
                                     [--jobs 2 [--taille-jobs 10000]] [--kits 1000]

The corpus is generated in a temporary folder: a repository (essaimage.yaml) whose innovations
are copies of the four example descriptors (9–13 KB each) under new ids, and the two example
profiles. Every command runs as a fresh process, REPETITIONS times; the best wall time is kept,
and the peak memory (maximum resident set size) of that process. In the same run:

- the floor: parsing the same files with libyaml (`yaml.compose`, C loader) in one process;
- check-jsonschema with essaimage's own JSON Schema, and yamllint (default rules), when
  installed (`pip install yamllint`); a peer that is missing is said so and skipped;
- start-up: `essaimage --version` against `python -c "import typer"`, and validate of one file
  against `python -c "import typer, pydantic, yaml"`, beside what any use of essaimage's
  Pydantic models costs (import Pydantic's BaseModel, define the models, validate once);
- the pre-commit case: one profile validated in the repository against one descriptor alone;
- memory: the peak of one process at each size of `--memoire` against its peak at 100 files;
- `--jobs`: validate of TAILLE_JOBS files (default 10 000) with `--jobs 1` and `--jobs N`;
- kits: `essaimage kit --territoire 01` for KITS innovations of one repository (md + html),
  beside `validate` of the same descriptors (each kit checks its descriptor first).

Issue 13 sets the targets; docs/performances.md keeps the figures with the machine they came from.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The child reports its own peak memory: ru_maxrss of RUSAGE_CHILDREN is the largest child's.
PEAK = (
    "import resource, subprocess, sys;"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
# What validating one file cannot avoid with Pydantic models: importing Pydantic's model
# machinery (`import pydantic` alone imports it lazily), defining essaimage's models and building
# their validators, as the first validation of a configuration and a descriptor does.
MODELS_FLOOR = (
    "import sys, typer, yaml\n"
    "from essaimage import models\n"
    "models.Configuration.model_validate({'essaimage': '1'})\n"
    "with open(sys.argv[1], 'rb') as stream:\n"
    "    models.Innovation.model_validate(yaml.load(stream, Loader=yaml.CBaseLoader))\n"
)
FLOOR = (
    "import sys, yaml\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as stream:\n"
    "        yaml.compose(stream, Loader=yaml.CSafeLoader)\n"
)


def build_corpus(folder: Path, count: int) -> list[Path]:
    """A repository of `count` valid innovations (copies of the examples under new ids) and the
    example profiles; returns the innovation files."""
    shutil.copytree(EXAMPLES / "innovations" / "ressources", folder / "innovations" / "ressources")
    shutil.copytree(EXAMPLES / "territoires", folder / "territoires")
    (folder / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    sources = sorted((EXAMPLES / "innovations").glob("*.yaml"))
    texts = [(path.stem, path.read_text(encoding="utf-8")) for path in sources]
    files = []
    for index in range(count):
        stem, text = texts[index % len(texts)]
        # the first copies keep their ids: the example profiles' projects name them
        ident = stem if index < len(texts) else f"{stem}-{index:05d}"
        target = folder / "innovations" / f"{ident}.yaml"
        copy = re.sub(r"(?m)^id: .*$", f"id: {ident}", text, count=1)
        if index >= len(texts):
            # texts of their own, as in a real catalogue: what is cached by text (Markdown
            # rendered once per text, typography) must not make copies look cheap
            copy = copy.replace(" de ", f" de{index} ").replace(" la ", f" la{index} ")
        target.write_text(copy, "utf-8")
        files.append(target)
    return files


def run(command: list[str], cwd: Path, repetitions: int) -> tuple[float, float]:
    """The best wall time (s) of `command` over fresh processes, and its peak memory (MiB)."""
    return compare({"": command}, cwd, repetitions)[""]


def compare(
    commands: dict[str, list[str]], cwd: Path, repetitions: int
) -> dict[str, tuple[float, float]]:
    """`run` for several commands, taken in turn at each repetition: a machine that slows down
    for a while slows them all, and their ratios stay fair."""
    best: dict[str, tuple[float, float]] = {name: (float("inf"), 0.0) for name in commands}
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(repetitions):
        for name, command in commands.items():
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", PEAK, *command],
                cwd=cwd,
                capture_output=True,
                text=True,
                env=environment,
            )
            elapsed = time.perf_counter() - start
            if elapsed < best[name][0]:
                best[name] = (elapsed, int(done.stdout.strip() or 0) / 1024)
    return best


def essaimage(*arguments: str) -> list[str]:
    """The command line of essaimage with these arguments, as a user runs it: the `essaimage`
    script of this interpreter's environment (`python -m essaimage` where there is none)."""
    script = Path(sys.executable).parent / "essaimage"
    if script.is_file():
        return [str(script), *arguments]
    return [sys.executable, "-m", "essaimage", *arguments]


def line(label: str, seconds: float, peak: float, reference: float | None = None) -> None:
    """One result: time, peak memory, ratio to a reference time."""
    ratio = f"  ×{seconds / reference:5.2f}" if reference else ""
    print(f"  {label:46} {seconds:7.3f} s {peak:7.0f} Mio{ratio}")


def compile_bytecode() -> None:
    """Compile essaimage's modules as pip does on install. An editable install with
    PYTHONDONTWRITEBYTECODE set (as on these machines) would otherwise compile our sources again
    in every run (~70 ms) and measure the compiler, not essaimage; the commands run without that
    variable too (`compare`)."""
    import compileall

    import essaimage

    compileall.compile_dir(Path(essaimage.__file__).parent, quiet=1)


def main() -> None:
    """Generate the corpus, run every measure, print times, memory and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fichiers", type=int, default=1000)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--memoire", type=int, nargs="*", default=[])
    parser.add_argument("--jobs", type=int, default=0, help="compare --jobs 1 and --jobs N")
    parser.add_argument("--taille-jobs", type=int, default=10_000, help="files for --jobs")
    parser.add_argument("--kits", type=int, default=0, help="kits for one département")
    options = parser.parse_args()
    reps = options.repetitions
    compile_bytecode()
    print(
        f"machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    with tempfile.TemporaryDirectory() as work:
        base = Path(work)
        repo = base / f"depot-{options.fichiers}"
        files = build_corpus(repo, options.fichiers)
        names = [str(path.relative_to(repo)) for path in files]
        print(
            f"\n{options.fichiers} descripteurs ({sum(p.stat().st_size for p in files) // 1024} Kio)"
        )
        main = compare(
            {
                "ours": essaimage("validate", "--sans-contexte", "-j", "1", "innovations"),
                "floor": [sys.executable, "-c", FLOOR, *names],
                "default": essaimage("validate", "--sans-contexte", "innovations"),
            },
            repo,
            reps,
        )
        ours, floor = main["ours"], main["floor"]
        line("essaimage validate --jobs 1", *ours, floor[0])
        line("plancher : yaml.compose (libyaml)", *floor, floor[0])
        line(f"essaimage validate (--jobs {os.cpu_count()} par défaut)", *main["default"], floor[0])
        schema = base / "schema.json"
        with schema.open("w") as stream:
            subprocess.run(essaimage("schema", "innovation"), stdout=stream, check=True)
        peers = {
            "check-jsonschema": ["check-jsonschema", "--schemafile", str(schema), *names],
            "yamllint": ["yamllint", "-f", "parsable", *names],
        }
        for name, command in peers.items():
            if shutil.which(command[0]) is None:
                print(f"  {name:46} absent (pip install {name}) : non mesuré")
                continue
            peer = run(command, repo, reps)
            line(name, *peer, floor[0])
            print(f"  {'':46} essaimage {peer[0] / ours[0]:.1f} × plus rapide")

        print("\nDémarrage")
        start_up = compare(
            {
                "typer": [sys.executable, "-c", "import typer"],
                "version": essaimage("--version"),
                "stack": [sys.executable, "-c", "import typer, pydantic, yaml"],
                "basemodel": [
                    sys.executable,
                    "-c",
                    "import typer, yaml; from pydantic import BaseModel",
                ],
                "models": [sys.executable, "-c", MODELS_FLOOR, names[0]],
                "one": essaimage("validate", "--sans-contexte", names[0]),
                "profile": essaimage(
                    "validate", "--sans-contexte", "territoires/saint-brieuc.yaml"
                ),
            },
            repo,
            reps * 3,
        )
        line('python -c "import typer"', *start_up["typer"], start_up["typer"][0])
        line("essaimage --version", *start_up["version"], start_up["typer"][0])
        line('python -c "import typer, pydantic, yaml"', *start_up["stack"], start_up["stack"][0])
        line("+ from pydantic import BaseModel", *start_up["basemodel"], start_up["stack"][0])
        line("+ les modèles d'essaimage, une validation", *start_up["models"], start_up["stack"][0])
        line("validate d'un descripteur", *start_up["one"], start_up["stack"][0])
        print("\nCrochet pre-commit : un profil dans le dépôt")
        line("validate d'un profil", *start_up["profile"], start_up["one"][0])

        if options.memoire:
            print("\nMémoire selon la taille du dépôt")
            small_repo = base / "depot-m100"
            build_corpus(small_repo, 100)
            memory = ["validate", "--sans-contexte", "-j", "1", "innovations"]
            small = run(essaimage(*memory), small_repo, 1)
            line("100 descripteurs", *small)
            for size in options.memoire:
                sized = base / f"depot-m{size}"
                build_corpus(sized, size)
                measured = run(essaimage(*memory), sized, 1)
                line(f"{size} descripteurs", *measured)
                print(f"  {'':46} mémoire ×{measured[1] / small[1]:.2f} de celle à 100")
                shutil.rmtree(sized)

        if options.jobs:
            size = options.taille_jobs
            print(f"\nProcessus parallèles ({size} descripteurs)")
            jobs_repo = base / f"jobs-{size}"
            build_corpus(jobs_repo, size)
            command = ["validate", "--sans-contexte", "innovations", "--jobs"]
            single = run(essaimage(*command, "1"), jobs_repo, 1)
            line("--jobs 1", *single, single[0])
            many = run(essaimage(*command, str(options.jobs)), jobs_repo, 1)
            line(f"--jobs {options.jobs}", *many, single[0])
            print(f"  {'':46} {single[0] / many[0]:.2f} × plus rapide")
            shutil.rmtree(jobs_repo)

        if options.kits:
            kits_repo = base / f"kits-{options.kits}"
            build_corpus(kits_repo, options.kits)
            print(f"\nKits : {options.kits} innovations pour l'Ain (md + html)")
            kits = run(
                essaimage("kit", "--territoire", "01", "-f", "md,html", "-o", "sortie"),
                kits_repo,
                1,
            )
            line("essaimage kit", *kits)
            produced = len(list((kits_repo / "sortie").rglob("*.html")))
            print(f"  {'':46} {produced / kits[0]:.0f} kits par seconde ({produced} produits)")
            # a kit checks its descriptor first: what validate takes is part of every kit
            checked = run(
                essaimage("validate", "--sans-contexte", "-j", "1", "innovations"), kits_repo, 1
            )
            line("validate des mêmes descripteurs", *checked, kits[0])
            own = (kits[0] - checked[0]) / max(produced, 1) * 1000
            print(f"  {'':46} reste par kit (rendu, typographie, écriture) : {own:.1f} ms")


if __name__ == "__main__":
    main()
