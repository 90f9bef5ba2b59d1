"""Time `essaimage plan` on a 1 000-site plan against `essaimage validate` on one file.

Usage: python benchmarks/plan.py [REPEATS]
       python benchmarks/plan.py echelle

`echelle` times `plan.compute.compute` in this process (kits included, no files written) on plans of
1 000 communes, one région (Auvergne-Rhône-Alpes, 4 025 communes) and every commune of France
(18 selections, 34 875 communes), in waves of 50 a month: the time per target should stay flat
(each target is one kit, the floor), as the plan's own steps are linear.

Builds, in a temporary repository, a plan of the Pédibus example over the 1 000 most populous
communes of France (one site each, waves of 50 every 3 months), then times as fresh processes
(best of REPEATS, default 3): `essaimage validate` of one descriptor, and `essaimage plan` writing
the document in Markdown and HTML and the CSV (no kits). Issue 10's target: the plan in under
3 × the time of validating one file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = """\
essaimage: 1
plan:
  id: pedibus-france
  nom: Le Pédibus dans mille communes
  innovation: pedibus
  porteur: {nom: État}
  debut: 2027-09-01
  cibles:
    - selection: {dans: "region:11", type: commune, limite: 1}
    - selection: {dans: "region:84", type: commune, limite: 999}
  vagues: {sites_par_vague: 50, intervalle_mois: 3}
  accompagnement: {etp_par_site: 0.05, duree_mois: 12, cout_etp_annuel: 55000}
"""


def best(arguments: list[str], repeats: int, cwd: Path) -> float:
    """The best wall time of `essaimage ARGUMENTS` over `repeats` fresh processes."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "essaimage", *arguments], cwd=cwd, capture_output=True
        )
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode())
    return min(times)


REGIONS = ("01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75",
           "76", "84", "93", "94")  # fmt: skip


def scaling() -> None:
    """Print the time of computing plans of growing size, and the time per target."""
    from essaimage.check.pipeline import check_file
    from essaimage.format.models import FichierPlan
    from essaimage.plan.compute import compute

    sizes = {
        "1 000 communes": ['{dans: "region:84", type: commune, limite: 1000}'],
        "une région": ['{dans: "region:84", type: commune}'],
        "la France": [f'{{dans: "region:{code}", type: commune}}' for code in REGIONS],
    }
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
        shutil.copytree(ROOT / "examples" / "innovations", repo / "innovations")
        (repo / "plans").mkdir()
        descriptor = check_file(repo / "innovations" / "pedibus.yaml")
        for name, selections in sizes.items():
            cibles = "".join(f"    - selection: {s}\n" for s in selections)
            text = PLAN.split("  cibles:")[0] + "  cibles:\n" + cibles
            text += "  vagues: {sites_par_vague: 50, intervalle_mois: 1}\n"
            path = repo / "plans" / "echelle.yaml"
            path.write_text(text, encoding="utf-8")
            checked = check_file(path)
            start = time.perf_counter()
            assert isinstance(checked.model, FichierPlan)
            computed = compute(checked.model.plan, descriptor, path.parent, checked)
            elapsed = time.perf_counter() - start
            count = len(computed.sites)
            per_target = 1000 * elapsed / count
            print(f"{name:15} {count:6} cibles {elapsed:7.2f} s  {per_target:5.2f} ms/cible")


def main() -> None:
    """Print both times and their ratio."""
    if sys.argv[1:] == ["echelle"]:
        scaling()
        return
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
        shutil.copytree(ROOT / "examples" / "innovations", repo / "innovations")
        (repo / "plans").mkdir()
        (repo / "plans" / "france.yaml").write_text(PLAN, encoding="utf-8")
        validate = best(["validate", "innovations/pedibus.yaml"], repeats, repo)
        plan = best(["plan", "plans/france.yaml", "-o", "sortie"], repeats, repo)
        sites = len((repo / "sortie" / "pedibus-france" / "sites.csv").read_text().splitlines()) - 1
    print(f"validate d'un fichier        {validate:6.3f} s")
    print(f"plan de {sites} sites (md, html, csv) {plan:6.3f} s  ×{plan / validate:.2f}")


if __name__ == "__main__":
    main()
