"""Write each exercise's three cells into its lesson, from the definitions in exercises/.

    python scripts/exercise_cells.py          rewrite the tagged cells from the definitions
    python scripts/exercise_cells.py --check  exit 1 if a lesson differs from its definitions

A cell belongs to an exercise through its metadata, ``{"exercise": ID, "role": ROLE}`` with ROLE
one of task, placeholder, check. Where the cells go in a lesson is chosen by hand (move them in
Jupyter, the metadata moves with them); their text always comes from exercises/<lesson>.yaml.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers import exercises  # noqa: E402

ROLES = ("task", "placeholder", "check")


def problems_and_fix(path: Path, write: bool) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    wanted = {d.id: d for d in exercises.load_set(path.stem).exercises} \
        if path.stem in exercises.set_names() else {}
    problems, seen = [], []
    for cell in nb.cells:
        eid, role = cell.metadata.get("exercise"), cell.metadata.get("role")
        if eid is None:
            continue
        seen.append((eid, role))
        if eid not in wanted:
            problems.append(f"{path.name}: a cell belongs to unknown exercise {eid!r}")
            continue
        source = exercises.cell_sources(wanted[eid])[role]
        if cell.source != source:
            problems.append(f"{path.name}: the {role} cell of {eid} differs from exercises/"
                            f"{path.stem}.yaml")
            cell.source = source
    for eid in wanted:
        roles = [r for e, r in seen if e == eid]
        if roles != list(ROLES):
            problems.append(f"{path.name}: {eid} should have its cells in the order {ROLES}, "
                            f"found {roles}")
    if write and problems:
        nbformat.write(nb, path)
    return problems


def main(argv: list[str]) -> int:
    check = "--check" in argv
    problems = []
    for path in sorted((ROOT / "lessons").glob("*.ipynb")):
        problems += problems_and_fix(path, write=not check)
    for line in problems:
        print(line)
    return 1 if check and problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
