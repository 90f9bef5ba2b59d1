"""Build essaimage's territory reference from the npm package @etalab/decoupage-administratif.

Usage (from the repository root):

    npm pack @etalab/decoupage-administratif@6.0.0
    python scripts/build_cog.py etalab-decoupage-administratif-6.0.0.tgz

It reads the package tarball directly (no install) and writes `src/essaimage/data/cog2026.tsv`:
the régions, départements, current communes (COG 2026) with their EPCI, postal codes and SIREN,
the municipal arrondissements of Paris, Lyon and Marseille, the former communes (déléguées or
associées) with the commune they belong to today, and the EPCI à fiscalité propre. Each name
keeps INSEE's type of name (`typeLiaison`), which gives its article (« l'Ain », « la
Bretagne »). Commune populations are the package's (INSEE municipal populations); département,
région and EPCI populations are the sums of their communes'. The output is sorted and
byte-for-byte reproducible.
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


def _liaison(item: dict) -> str:
    value = item.get("typeLiaison")
    return "" if value is None else str(value)


def build(tarball: Path) -> list[str]:
    """The lines of the reference file."""
    with tarfile.open(tarball, "r:gz") as archive:
        meta = json.load(archive.extractfile("package/package.json"))
        regions = read_json(archive, "regions")
        departements = read_json(archive, "departements")
        every_commune = read_json(archive, "communes")
        epcis = read_json(archive, "epci")
    if meta["name"] != PACKAGE:
        raise SystemExit(f"not {PACKAGE}: {meta['name']}")
    communes = [c for c in every_commune if c["type"] == "commune-actuelle"]
    arrondissements = [c for c in every_commune if c["type"] == "arrondissement-municipal"]
    former = [c for c in every_commune if c["type"] in ("commune-deleguee", "commune-associee")]

    population = {c["code"]: c.get("population") for c in communes}
    commune_dep = {c["code"]: c["departement"] for c in communes}
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    dep_pop: dict[str, int] = defaultdict(int)
    reg_pop: dict[str, int] = defaultdict(int)
    for c in communes:
        dep_pop[c["departement"]] += c.get("population") or 0
        reg_pop[c["region"]] += c.get("population") or 0

    def row(*cells: object) -> str:
        return "\t".join("" if cell is None else str(cell) for cell in cells)

    lines = [
        f"# Référentiel territorial d'essaimage : COG 2026 (INSEE), d'après {PACKAGE}@{meta['version']}",
        f"# ({meta['license']}), données INSEE et DGCL. Généré par scripts/build_cog.py ; ne pas modifier.",
        "# R région, D département, C commune, A arrondissement municipal, H ancienne commune,",
        "# E EPCI ; liaison : type de nom INSEE (article) ; lien : EPCI d'une commune, commune d'un",
        "# arrondissement ou d'une ancienne commune.",
        "# type\tcode\tnom\tparent\tpopulation\tliaison\tlien\tcodes_postaux\tsiren",
    ]
    for r in sorted(regions, key=lambda r: r["code"]):
        lines.append(
            row("R", r["code"], r["nom"], "", reg_pop.get(r["code"]), _liaison(r), "", "", "")
        )
    for d in sorted(departements, key=lambda d: d["code"]):
        lines.append(
            row(
                "D",
                d["code"],
                d["nom"],
                d["region"],
                dep_pop.get(d["code"]),
                _liaison(d),
                "",
                "",
                "",
            )
        )
    for c in sorted(communes, key=lambda c: c["code"]):
        lines.append(
            row(
                "C", c["code"], c["nom"], c["departement"], population[c["code"]], _liaison(c),
                epci_of.get(c["code"], ""), ",".join(c.get("codesPostaux", [])), c.get("siren", ""),
            )
        )  # fmt: skip
    for c in sorted(arrondissements, key=lambda c: c["code"]):
        lines.append(
            row(
                "A", c["code"], c["nom"], c["departement"], c.get("population"), _liaison(c),
                c["commune"], ",".join(c.get("codesPostaux", [])), "",
            )
        )  # fmt: skip
    for c in sorted(former, key=lambda c: (c["code"], c["nom"])):
        lines.append(
            row("H", c["code"], c["nom"], c["departement"], "", _liaison(c), c["chefLieu"], "", "")
        )
    for e in sorted(epcis, key=lambda e: e["code"]):
        members = [m["code"] for m in e["membres"]]
        deps = sorted({commune_dep[m] for m in members if m in commune_dep})
        pop = sum(population.get(m) or 0 for m in members)
        lines.append(row("E", e["code"], e["nom"], ",".join(deps), pop, "", "", "", e["code"]))
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
