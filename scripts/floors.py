"""The floors of pyproject.toml's direct dependencies, as pip constraints (``name==floor``).

    python3 scripts/floors.py            print the constraints (scripts/test_lowest_versions.sh uses them)
    python3 scripts/floors.py --check    fail unless the installed versions are exactly the floors

torch is left out: only its 2.13.0 CPU build is reachable here (PyPI's other Linux builds are the
multi-GB CUDA ones), so every suite runs on torch 2.13.0, and the torch floor is not proven.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PROVEN = {"torch"}


def floors() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    found = {}
    for line in requirements:
        match = re.match(r"^([A-Za-z0-9_.-]+)[^>]*>=([0-9][^,;\s]*)", line)
        if match and match.group(1) not in NOT_PROVEN:
            found[match.group(1)] = match.group(2)
    return found


def main(argv: list[str]) -> int:
    wanted = floors()
    if "--check" not in argv:
        print("\n".join(f"{name}=={version}" for name, version in wanted.items()))
        return 0
    from packaging.version import Version  # installed with the course (transformers needs it)

    wrong = [f"{name} {metadata.version(name)} (floor {version})" for name, version in wanted.items()
             if Version(metadata.version(name)) != Version(version)]
    if wrong:
        print("not at the floors: " + "; ".join(wrong))
        return 1
    print("At the floors:", ", ".join(f"{n} {v}" for n, v in wanted.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
