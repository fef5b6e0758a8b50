"""pyproject.toml, environment.yml, README and CI stay in step with each other."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from helpers import course, environment

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CONDA_NAMES = {"torch": "pytorch"}
COLAB = {"torch": "2.11.0", "transformers": "5.15.0", "datasets": "4.0.0", "ipywidgets": "7.7.1"}


def _pyproject_reqs() -> dict[str, SpecifierSet]:
    lines = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    return {Requirement(r).name: Requirement(r).specifier for r in lines}


def _conda_reqs() -> dict[str, SpecifierSet]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    reqs = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and not dep.startswith(("python", "pip")):
            name, spec = re.match(r"([A-Za-z0-9_.-]+)(.*)", dep).groups()
            reqs[name] = SpecifierSet(spec)
    return reqs


def test_environment_yml_matches_pyproject():
    conda = _conda_reqs()
    for name, spec in _pyproject_reqs().items():
        conda_name = CONDA_NAMES.get(name, name)
        assert conda_name in conda, f"environment.yml lacks {conda_name} (pyproject has {name}{spec})"
        assert conda[conda_name] == spec, f"{name}: pyproject {spec} != environment.yml {conda[conda_name]}"
    assert len(conda) == len(_pyproject_reqs())


def test_fallback_requirements_match_pyproject():
    assert environment.FALLBACK_REQUIREMENTS == PYPROJECT["project"]["dependencies"]


def test_floors_admit_colabs_stack():
    reqs = _pyproject_reqs()
    for name, version in COLAB.items():
        assert reqs[name].contains(version), f"{name}{reqs[name]} would force an upgrade on Colab"
    assert PYPROJECT["project"]["requires-python"] == ">=3.10"


def test_readme_badges_point_at_existing_notebooks():
    readme = (ROOT / "README.md").read_text()
    urls = re.findall(r"\(https://colab\.research\.google\.com/github/[^)]+\)", readme)
    written = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "lessons").glob("*.ipynb"))
    assert sorted("lessons/" + u.split("/lessons/")[-1].rstrip(")") for u in urls) == written
    for url in urls:
        notebook = "lessons/" + url.strip("()").split("/lessons/")[-1]
        assert (ROOT / notebook).is_file(), f"badge points at a missing notebook: {notebook}"
        assert url.strip("()") == course.colab_url(notebook), "run `hfcourse badges`"


def test_readme_lists_every_lesson():
    readme = (ROOT / "README.md").read_text()
    for lesson in course.LESSONS:
        assert f"`{lesson.stem}`" in readme or lesson.notebook in readme


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    match = re.search(r"Run the tests.*?```(?:bash)?\n(.+?)\n```", readme, re.S)
    assert match, "README must show the test command in a code block under 'Run the tests'"
    command = match.group(1).strip()
    assert command in ci
    assert ci.index("torch==2.13.0") < ci.index(command)
    assert "HFCOURSE_CACHE" in ci  # a fresh cache: CI proves the asset fetch


def test_license_is_an_spdx_string_with_its_file():
    """PEP 639: no `license = {text = ...}` table, which setuptools warns about on every install."""
    project = PYPROJECT["project"]
    assert project["license"] == "Apache-2.0"
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    assert "Apache License" in (ROOT / "LICENSE").read_text()
    assert not [c for c in project.get("classifiers", []) if c.startswith("License ::")]


def test_no_lesson_or_readme_picture_comes_from_the_web():
    """Offline, a picture from the web is a broken image: the Colab badge is shipped."""
    pictures = re.compile(r"!\[[^\]]*\]\(([^)]+)\)|<img[^>]+src=[\"']([^\"']+)")
    for path in [ROOT / "README.md", *sorted((ROOT / "lessons").glob("*.ipynb"))]:
        for match in pictures.finditer(path.read_text()):
            src = match.group(1) or match.group(2)
            assert not src.startswith(("http:", "https:", "//")), f"{path.name} loads {src} from the web"
            base = ROOT if path.name == "README.md" else ROOT / "lessons"
            assert (base / src).is_file(), f"{path.name}: {src} is missing"


def test_ci_runs_the_three_suites_and_each_is_documented():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    for script in ("scripts/test.sh", "scripts/test_colab_versions.sh", "scripts/test_lowest_versions.sh"):
        assert script in ci, script
        assert script in readme, f"README's 'Test suites' should say what {script} covers"


def test_an_install_without_the_checkout_has_the_quizzes_and_exercises(tmp_path):
    """Colab installs the course from git with pip, without the checkout: the wheel must carry
    quizzes/, exercises/ and lesson 09's scripts (through the links helpers/quizzes,
    helpers/exercise_files and helpers/lesson_scripts), every subpackage, the news files' hashes
    and the answer box's script and style."""
    import subprocess
    import sys

    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheel_dir), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheel_dir.glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    code = ("import helpers; from helpers import exercises, launch, quiz\n"
            "assert helpers.__file__.startswith(%r), helpers.__file__\n"
            "for name in ('train_accelerate.py', 'train_trainer.py', 'whoami.py'):\n"
            "    assert str(launch.script(name)).startswith(%r), launch.script(name)\n"
            "from pathlib import Path; from helpers.assessment import answer_widget; from helpers.assets import pinned\n"
            "assert (Path(pinned.__file__).parent / 'news_files.sha256.txt').is_file()\n"
            "assert {p.suffix for p in Path(answer_widget.__file__).parent.iterdir()} >= {'.js', '.css'}\n"
            "print(len(quiz.bank_names()), len(exercises.definitions()))" % (str(target), str(target)))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={**__import__("os").environ, "PYTHONPATH": str(target)})
    assert out.returncode == 0, out.stderr[-2000:]
    banks, found = map(int, out.stdout.split())
    assert banks == len(list((ROOT / "quizzes").glob("*.yaml")))
    assert found >= 20
