"""helpers/ by concern: imports go one way, down the layers of pyproject.toml, with no circle;
and every ``helpers.`` name that the lessons and exercises use exists."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("import_layers", ROOT / "scripts" / "import_layers.py")
import_layers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_layers)


def test_helpers_imports_go_one_way_down_with_no_circle():
    found = import_layers.problems(ROOT / "helpers", *import_layers.configured())
    assert not found, "\n".join(found)


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "pkg"
    for name, code in {"__init__.py": "", **files}.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(code)
    return package


LAYERS = {"top": ["pkg", "app"], "middle": ["service"], "bottom": ["base", "other"]}


def test_the_check_fails_on_an_upward_import_even_inside_a_function(tmp_path):
    package = _package(tmp_path, {"app.py": "from . import service\n",
                                  "service.py": "from .base import x\n",
                                  "base.py": "x = 1\ndef late():\n    from .service import y\n"})
    found = import_layers.problems(package, LAYERS)
    assert len(found) == 2, found
    assert "pkg.base (bottom) imports pkg.service (middle), a layer above it" in found[0]
    assert found[1].startswith("import circle: pkg.base -> pkg.service")


def test_the_check_fails_on_a_circle_within_one_layer_and_on_a_module_without_a_layer(tmp_path):
    package = _package(tmp_path, {"base.py": "import pkg.other\n", "other.py": "from .base import *\n",
                                  "stray.py": ""})
    found = import_layers.problems(package, LAYERS)
    assert any("module pkg.stray is in no layer" in line and "pyproject.toml" in line for line in found)
    assert any(line.startswith("import circle: pkg.base -> pkg.other") for line in found)


def test_an_allowed_import_is_exempt_and_only_that_one(tmp_path):
    package = _package(tmp_path, {"base.py": "def f():\n    import pkg\n", "other.py": "import pkg.app\n",
                                  "app.py": ""})
    found = import_layers.problems(package, LAYERS, {"pkg.base -> pkg": "its reason"})
    assert found == [f"{package / 'other.py'}: pkg.other (bottom) imports pkg.app (top), a layer above "
                     "it. Fix: move what it needs down, or pass it in as an argument"]


def _names_used() -> set[tuple[str, ...]]:
    """Every ``helpers.a`` and ``helpers.a.b`` written in the lessons' code and the exercises."""
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "exercises").glob("*.yaml")]
    for path in (ROOT / "lessons").glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return {tuple(m.split(".")[1:]) for text in texts
            for m in re.findall(r"\bhelpers(?:\.[A-Za-z_]\w*){1,2}", text)}


def test_every_helpers_name_that_lessons_and_exercises_use_exists():
    import helpers

    names = _names_used()
    assert len(names) > 40   # the lessons use many; an empty scan would prove nothing
    missing = []
    for parts in sorted(names):
        obj = helpers
        for part in parts:
            if not hasattr(obj, part):
                missing.append("helpers." + ".".join(parts))
                break
            obj = getattr(obj, part)
    assert not missing, f"used in lessons/ or exercises/ but missing from helpers: {missing}"


def _modules_in(folder: Path) -> set[str]:
    """The modules of one folder: its .py files and its subpackages (or folders of scripts)."""
    found = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    return found | {p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.py"))}


def test_the_package_docstring_lists_each_layer_with_exactly_its_modules():
    import helpers

    layers, _ = import_layers.configured()
    written = dict(re.findall(r"^- \*\*(\w+)\*\*[^:\n]*:(.*?)(?=^- \*\*|^\S|\Z)", helpers.__doc__,
                              flags=re.M | re.S))
    assert list(written) == list(layers), "the docstring's layers, top down, are pyproject.toml's"
    tools = [m for m in layers["tools"] if m != "helpers"]
    assert sorted(re.findall(r"``(\w+)`` \(", written["tools"])) == sorted(tools)
    subpackages = [layer for layer, members in layers.items() if layer != "tools"]
    for layer in subpackages:
        assert layers[layer] == [layer], f"layer {layer} is the subpackage helpers/{layer}/"
        on_disk = _modules_in(ROOT / "helpers" / layer)
        named = set(re.findall(r"``(\w+)``", written[layer]))
        assert named == on_disk, f"helpers' docstring, layer {layer}: {sorted(named)}; on disk {sorted(on_disk)}"
    assert _modules_in(ROOT / "helpers") - set(subpackages) == set(tools), "tools: pyproject against disk"


def test_each_subpackage_docstring_names_its_modules_and_what_it_may_import():
    import importlib

    layers, _ = import_layers.configured()
    order = list(layers)
    for layer in order[1:]:
        doc = importlib.import_module(f"helpers.{layer}").__doc__
        assert doc.startswith(f"{layer}: "), f"helpers/{layer}/__init__.py starts by naming its job"
        body, _, may = doc.partition("May import:")
        missing = _modules_in(ROOT / "helpers" / layer) - set(re.findall(r"``(\w+)``", body))
        assert not missing, f"helpers/{layer}'s docstring does not name {sorted(missing)}"
        below = order[order.index(layer) + 1:]
        named = re.findall(r"``helpers\.(\w+)``", may.split("\n\n")[0])
        assert named == below or (not below and "nothing else" in may), (
            f"helpers/{layer} may import {below}; its docstring says {named}")


def test_short_names_are_the_modules_themselves():
    """``helpers.quiz`` (lessons, quizzes, teachers' notebooks) is ``helpers.assessment.quiz``:
    one object, so patching or reading either is the same."""
    import importlib
    import sys

    import helpers

    for short, full in helpers.SHORT_NAMES.items():
        module = importlib.import_module(f"helpers.{short}")
        assert module is sys.modules[full] is getattr(helpers, short), short
    from helpers.quiz import show  # the form a learner may write
    assert show is sys.modules["helpers.assessment.quiz"].show


def test_a_short_name_inside_helpers_is_an_upward_import(tmp_path):
    """Inside helpers, a module must use the full name: ``from helpers import quiz`` in a lower
    layer goes through the package's top, which the check reports as an upward import."""
    package = _package(tmp_path, {"__init__.py": "from pkg.low import a\n", "low/__init__.py": "",
                                  "low/a.py": "from pkg import quiz\n"})
    found = import_layers.problems(package, {"top": ["pkg"], "low": ["low"]})
    assert any("pkg.low.a (low) imports pkg (top)" in line for line in found), found
