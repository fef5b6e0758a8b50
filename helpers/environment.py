"""Getting a lesson ready: ``setup()`` for the first cell, ``doctor()`` for when something is wrong."""

from __future__ import annotations

import os
import platform
import shutil
import sys
from dataclasses import dataclass, field
from importlib import metadata

from helpers.assets.pinned import ASSETS, _bad_files, ensure_assets
from helpers.core.cache import cache_dir
from helpers.core.course import DISTRIBUTION, colab_install_command
from helpers.core.device import detect_device, precision_flags
from helpers.core.errors import CourseError
from helpers.core.threads import fit as fit_threads

# The floors the course is tested with; pyproject.toml holds the same (tests keep them in step).
FALLBACK_REQUIREMENTS = [
    "torch>=2.4", "transformers>=5.6,<6", "datasets>=4.0", "evaluate>=0.4", "seqeval>=1.2.2",
    "accelerate>=1.4.0",
    "peft>=0.18", "trl>=0.29.1", "gguf>=0.17.1",
    "ipywidgets>=7.7,<9", "anywidget>=0.9.0", "jupyterlab>=4.0", "matplotlib>=3.8.4",
    "scikit-learn>=1.4.2", "pandas>=2.2.2", "pyyaml>=6.0", "pydantic>=2.5", "tqdm>=4.66.3",
    "markdown-it-py>=3.0", "fastapi>=0.110", "uvicorn>=0.29", "httpx>=0.27",
]
SHOWN_VERSIONS = ("torch", "transformers", "datasets", "ipywidgets")


def in_colab() -> bool:
    """True when this kernel runs on Google Colab."""
    return "google.colab" in sys.modules


def describe_device(device: str) -> str:
    """One line that says which device the lessons will use and what that means. On a CPU, the
    thread count is said elsewhere: in ``setup()``'s *Ready* line and in the doctor's CPU line,
    which fit it to the cores that are free now (``helpers.threads``)."""
    import torch

    if device == "cuda":
        name = torch.cuda.get_device_name(0)
        bf16 = "bf16" if precision_flags("cuda")["bf16"] else "fp16"
        return f"Device: GPU ({name}), training uses {bf16} mixed precision automatically."
    if device == "mps":
        return "Device: Apple GPU (mps); the lessons run unchanged."
    return "Device: CPU, no GPU found. Every lesson is sized for a 2-core laptop."


def quiet_loading(quiet: bool = True) -> None:
    """Hide (or show again) transformers' weight-loading progress bar and LOAD REPORT.

    Lesson 04 shows them and explains the report; elsewhere they are noise. Warnings about real
    problems are errors-level and still appear when quiet.
    """
    from transformers.utils import logging as hf_logging

    if quiet:
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    else:
        hf_logging.set_verbosity_warning()
        hf_logging.enable_progress_bar()


def _requirements() -> list[str]:
    try:
        reqs = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return FALLBACK_REQUIREMENTS
    return [r for r in reqs if "extra ==" not in r]


@dataclass
class Check:
    """One line of the doctor's report."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False  # passes, but says what to do (an oversubscribed CPU)


def _package_checks() -> list[Check]:
    from packaging.requirements import Requirement

    checks = []
    for line in _requirements():
        req = Requirement(line)
        try:
            have = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            checks.append(Check(req.name, False, "not installed",
                                f'pip install "{req}" (install torch first: see README)'))
            continue
        ok = req.specifier.contains(have, prereleases=True)
        fix = "" if ok else f'pip install "{req}"'
        checks.append(Check(req.name, ok, f"{have} (needs {req.specifier or 'any'})", fix))
    return checks


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def widget_check() -> Check:
    """Can the quiz widgets draw here? ipywidgets 8 draws in JupyterLab 4, Notebook 7, VS Code
    and Colab; ipywidgets 7 draws only on Colab and in classic Notebook 6 (JupyterLab 4's widget
    manager knows ipywidgets 8 widgets only). Where widgets can't draw, quizzes show as text."""
    widgets = _installed("ipywidgets")
    if widgets is None:
        return Check("quiz widgets", False, "ipywidgets is not installed; quizzes show as text",
                     'pip install "ipywidgets>=8"')
    if not widgets.startswith("7.") or in_colab():
        return Check("quiz widgets", True, f"ipywidgets {widgets}")
    notebook = _installed("notebook") or ""
    if notebook.startswith("6."):
        return Check("quiz widgets", True,
                     f"ipywidgets {widgets}: quizzes are clickable in classic Notebook {notebook} "
                     "(`jupyter notebook`); JupyterLab 4 shows them as text")
    return Check("quiz widgets", False,
                 f"ipywidgets {widgets} can't draw in JupyterLab 4 or Notebook 7, so the quizzes "
                 "show as text", 'pip install -U "ipywidgets>=8", then restart Jupyter')


def command_help(command: str, *args: str) -> str:
    """The usage line and summary of a console command that a package installed, such as
    ``command_help("hf", "auth", "login")``: proof, without any network, that the command exists.

    The command runs with this kernel's Python (``command ... --help``), so it is found even when
    the environment's ``bin`` folder is not on PATH, as in many notebook kernels.
    """
    import re
    import subprocess

    found = [e for e in metadata.entry_points(group="console_scripts") if e.name == command]
    if not found:
        raise CourseError(f"No `{command}` command is installed in this Python environment "
                          f"({sys.prefix}). Install the package that provides it, then try again.")
    entry = found[0]
    code = (f"import sys; from {entry.module} import {entry.attr.split('.')[0]} as main; "
            f"sys.argv[0] = {command!r}; sys.exit(main())")
    run = subprocess.run([sys.executable, "-c", code, *args, "--help"], capture_output=True, text=True,
                         env={**os.environ, "NO_COLOR": "1", "TERM": "dumb"}, timeout=60)
    text = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.startswith("Usage:")), None)
    if run.returncode != 0 or start is None:
        raise CourseError(f"`{command} {' '.join(args)} --help` failed (exit {run.returncode}): "
                          f"{' '.join(lines[-3:])}")
    summary = []
    for line in lines[start + 1:]:
        if line.startswith(("Options", "Arguments", "-", "╭", "│", "╰")) or line.endswith(":"):
            break
        summary.append(line)
    return "\n".join([lines[start], " ".join(summary)])


def doctor() -> list[Check]:
    """Check the environment; every failed check carries the command or step that fixes it."""
    checks = [
        Check("python", sys.version_info >= (3, 10), platform.python_version(),
              "Use Python 3.10 or newer."),
    ]
    checks += _package_checks()
    checks.append(widget_check())
    try:
        folder = cache_dir()
        probe = folder / ".write-test"
        probe.write_text("ok")
        probe.unlink()
        free_gb = shutil.disk_usage(folder).free / 1e9
        checks.append(Check("cache folder", True, f"{folder} (writable, {free_gb:.0f} GB free)"))
        if free_gb < 1:
            checks.append(Check("disk space", False, f"{free_gb:.2f} GB free",
                                "Free at least 1 GB, or set HFCOURSE_CACHE to a bigger disk."))
    except OSError as exc:
        checks.append(Check("cache folder", False, str(exc),
                            "Set HFCOURSE_CACHE to a folder you can write to."))
    from helpers.storage import describe_usage

    checks.append(Check("disk use", True, describe_usage()))
    for asset in ASSETS:
        try:
            bad = _bad_files(asset)
        except OSError as exc:
            bad = {"(folder)": str(exc)}
        if bad:
            detail = ", ".join(f"{n}: {'missing' if v == 'missing' else 'wrong sha256'}"
                               for n, v in sorted(bad.items()))
            checks.append(Check(f"asset {asset.key}", False, detail, "hfcourse prefetch"))
        else:
            checks.append(Check(f"asset {asset.key}", True, f"{asset.requirement}, sha256 verified"))
    offline = os.environ.get("HF_HUB_OFFLINE") == "1"
    checks.append(Check("hub offline", offline,
                        "HF_HUB_OFFLINE=1" if offline else "HF_HUB_OFFLINE is not 1",
                        "import helpers before transformers, or export HF_HUB_OFFLINE=1"))
    try:
        checks.append(Check("device", True, describe_device(detect_device())))
    except ImportError:
        pass  # torch is reported missing above
    checks.append(cpu_check())
    return checks


def cpu_check() -> Check:
    """The doctor's one line about threads: how many torch gets on this machine now and why, with
    a warning (and what to do) when other processes already keep busy the cores that the lessons
    would use."""
    from helpers.core.threads import measure

    found = measure()
    if not found.oversubscribed:
        return Check("CPU", True, found.reason)
    return Check("CPU", True, "oversubscribed: " + found.reason, warning=True, fix=
                 ("Training will be slower than the lessons say. helpers.setup() gives torch only "
                 "the free cores; on a shared server, stop idle kernels or give each learner the "
                 "cores TEACHING.md lists for the lesson."))


def format_checks(checks: list[Check]) -> str:
    """The doctor's report as text: one line per check, with the fix under each failure."""
    lines = []
    for c in checks:
        lines.append(f"{'!' if c.warning else '✓' if c.ok else '✗'} {c.name:<14} {c.detail}")
        if (c.warning or not c.ok) and c.fix:
            lines.append(f"  {'what to do' if c.warning else 'fix'}: {c.fix}")
    bad = sum(not c.ok for c in checks)
    warned = sum(c.warning for c in checks)
    note = f", with {warned} warning(s) above" if warned else ""
    lines.append(f"All checks passed{note}." if not bad else f"{bad} check(s) failed: see the fixes above.")
    return "\n".join(lines)


@dataclass
class CourseEnv:
    """What ``setup()`` found: the device, the versions, and whether the lesson is ready."""

    device: str
    seed: int
    versions: dict[str, str] = field(default_factory=dict)
    ready: bool = False
    problems: list[str] = field(default_factory=list)
    threads: int = 0  # torch's CPU threads, fitted to the machine (helpers.threads)

    def __repr__(self) -> str:  # one line, so the setup cell stays readable
        state = "ready" if self.ready else "NOT ready"
        return f"CourseEnv(device={self.device!r}, seed={self.seed}, {state})"


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, numpy and torch (every device): what ``transformers.set_seed``
    does, without importing Trainer's module, which imports peft when it is installed (5 s of
    the setup cell in a lesson that never trains; measured 2026-12-01)."""
    import random

    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # seeds CUDA and every other device too


def setup(seed: int = 0, show_load_report: bool = False, fetch: bool = True) -> CourseEnv:
    """Prepare a lesson: seeds, device, versions, quiet logging, assets; print a ready verdict.

    ``show_load_report=True`` keeps transformers' loading progress bar and LOAD REPORT (lesson 04
    explains them). ``fetch=False`` only checks the assets instead of fetching missing ones.
    Returns a ``CourseEnv`` whose ``device`` is ``"cuda"``, ``"mps"`` or ``"cpu"``.
    """
    seed_everything(seed)
    quiet_loading(not show_load_report)
    device = detect_device()
    fitted = fit_threads()
    versions = {"python": platform.python_version()}
    for name in SHOWN_VERSIONS:
        versions[name] = _installed(name) or "missing"
    env = CourseEnv(device=device, seed=seed, versions=versions, threads=fitted.threads)

    print(" · ".join(f"{k} {v}" for k, v in versions.items()))
    print(describe_device(device))
    if in_colab():
        print(f"Colab detected: the course installs with `{colab_install_command()}`, "
              "which keeps Colab's own torch, transformers and ipywidgets.")
    env.problems = [f"{c.name}: {c.detail} (fix: {c.fix})" for c in _package_checks() if not c.ok]
    widgets = widget_check()
    if not widgets.ok:  # the lesson still works; only its quiz loses its buttons
        print(f"Note: {widgets.detail}. Fix: {widgets.fix}.")
    try:
        folders = ensure_assets(progress=True) if fetch else None
        if folders is None:
            missing = [a.key for a in ASSETS if _bad_files(a)]
            if missing:
                env.problems.append(f"assets not verified: {missing} (fix: hfcourse prefetch)")
        else:
            print(f"Assets: {', '.join(folders)} verified by sha256 in {cache_dir()}")
    except CourseError as exc:
        env.problems.append(str(exc))
    env.ready = not env.problems
    if env.ready:
        print(f"Ready: seed {seed}, {fitted.reason}, Hugging Face Hub offline, everything loads "
              "from the course cache.")
    else:
        print("NOT ready:\n- " + "\n- ".join(env.problems))
    return env
