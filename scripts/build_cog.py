"""Build essaimage's territory reference from the npm package @etalab/decoupage-administratif.

Usage (from the repository root):

    npm pack @etalab/decoupage-administratif@6.0.0
    python scripts/build_cog.py etalab-decoupage-administratif-6.0.0.tgz

It reads the package tarball directly (no install), keeps the current communes (COG 2026), the
départements, the régions and the EPCI à fiscalité propre, and writes
`src/essaimage/data/cog2026.tsv`. Commune populations are the package's (INSEE municipal
populations); département, région and EPCI populations are the sums of their communes'.
The output is sorted and byte-for-byte reproducible.
"""

from __future__ import annotations

import json
import sys
import tarfile
from collections import defaultdict
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
OUTPUT = Path(__file__).resolve().parent.parent / "src" / "essaimage" / "data" / "cog2026.tsv"


def read_json(archive: tarfile.TarFile, name: str) -> list[dict]:
    """One data file of the package."""
    member = archive.extractfile(f"package/data/{name}.json")
    if member is None:
        raise SystemExit(f"package/data/{name}.json is missing from the tarball")
    return json.load(member)


def build(tarball: Path) -> list[str]:
    """The lines of the reference file."""
    with tarfile.open(tarball, "r:gz") as archive:
        meta = json.load(archive.extractfile("package/package.json"))
        regions = read_json(archive, "regions")
        departements = read_json(archive, "departements")
        communes = [c for c in read_json(archive, "communes") if c["type"] == "commune-actuelle"]
        epcis = read_json(archive, "epci")
    if meta["name"] != PACKAGE:
        raise SystemExit(f"not {PACKAGE}: {meta['name']}")

    population = {c["code"]: c.get("population") for c in communes}
    commune_dep = {c["code"]: c["departement"] for c in communes}
    dep_pop: dict[str, int] = defaultdict(int)
    reg_pop: dict[str, int] = defaultdict(int)
    for c in communes:
        dep_pop[c["departement"]] += c.get("population") or 0
        reg_pop[c["region"]] += c.get("population") or 0

    lines = [
        f"# Référentiel territorial d'essaimage : COG 2026 (INSEE), d'après {PACKAGE}@{meta['version']}",
        f"# ({meta['license']}), données INSEE et DGCL. Généré par scripts/build_cog.py ; ne pas modifier.",
        "# type\tcode\tnom\tparent\tpopulation",
    ]
    for r in sorted(regions, key=lambda r: r["code"]):
        lines.append(f"R\t{r['code']}\t{r['nom']}\t\t{reg_pop.get(r['code'], '')}")
    for d in sorted(departements, key=lambda d: d["code"]):
        lines.append(f"D\t{d['code']}\t{d['nom']}\t{d['region']}\t{dep_pop.get(d['code'], '')}")
    for c in sorted(communes, key=lambda c: c["code"]):
        pop = population[c["code"]]
        lines.append(
            f"C\t{c['code']}\t{c['nom']}\t{c['departement']}\t{'' if pop is None else pop}"
        )
    for e in sorted(epcis, key=lambda e: e["code"]):
        members = [m["code"] for m in e["membres"]]
        deps = sorted({commune_dep[m] for m in members if m in commune_dep})
        pop = sum(population.get(m) or 0 for m in members)
        lines.append(f"E\t{e['code']}\t{e['nom']}\t{','.join(deps)}\t{pop}")
    return lines


def main() -> None:
    """Write the reference file from the tarball named on the command line."""
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    lines = build(Path(sys.argv[1]))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    print(f"{OUTPUT}: {len(lines)} lines")


if __name__ == "__main__":
    main()
