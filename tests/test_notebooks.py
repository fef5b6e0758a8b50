"""Notebook hygiene: clean, python3 kernel, one template, setup cell first, Colab step right."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from helpers import course

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "lessons").glob("*.ipynb"))
TEMPLATE = ["## What you will learn", "## The idea", "## An analogy", "## The picture",
            "## Key facts", "## Common confusions", "## Summary"]


def _committed(path: Path) -> bool:
    out = subprocess.run(["git", "ls-files", "--error-unmatch", str(path)], cwd=ROOT,
                         capture_output=True)
    return out.returncode == 0


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_there_are_lessons():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_welcome.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean(path):
    nb = _load(path)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path.name} cell {i} has outputs: strip them"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has a count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_kernel_and_setup_cell(path):
    nb = _load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(first_code["source"])
    assert "import helpers" in source and "helpers.setup(" in source
    # The Colab step is exactly the command helpers.course gives (so one place configures it).
    assert "%" + course.colab_install_command() in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_template(path):
    nb = _load(path)
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert markdown.lstrip().startswith(f"# {path.stem[:2]} · ")
    assert course.colab_badge(f"lessons/{path.name}") in markdown
    positions = [markdown.find(h) for h in TEMPLATE]
    assert all(p >= 0 for p in positions), f"{path.name} misses {TEMPLATE[positions.index(-1)]}"
    assert positions == sorted(positions), f"{path.name}: template sections out of order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_as_listed(path):
    stems = [lesson.stem for lesson in course.LESSONS]
    assert path.stem in stems, f"{path.name} is not in helpers.course.LESSONS"
    if (ROOT / ".git").exists():
        assert _committed(path), f"{path.name} is not committed"
