"""setup(), doctor() and the Colab install step."""

from __future__ import annotations

import sys
import types

from helpers import course, environment


def test_setup_prints_device_versions_and_ready(course_cache, capsys):
    env = environment.setup(seed=3)
    out = capsys.readouterr().out
    assert env.ready, env.problems
    assert env.device in {"cpu", "cuda", "mps"}
    assert "Device:" in out and "transformers" in out and "Ready" in out
    assert repr(env).endswith("ready)")


def test_setup_seeds_torch(course_cache):
    import torch

    environment.setup(seed=7)
    first = torch.rand(3)
    environment.setup(seed=7)
    assert torch.equal(first, torch.rand(3))


def test_seed_everything_leaves_the_state_transformers_set_seed_leaves():
    """The setup cell seeds by hand (no Trainer import); the generators must end where
    transformers.set_seed leaves them, so every lesson's numbers stay the same."""
    import random

    import numpy as np
    import torch
    from transformers import set_seed

    def draws():
        return random.random(), float(np.random.rand()), torch.rand(2).tolist()

    set_seed(11)
    theirs = draws()
    environment.seed_everything(11)
    assert draws() == theirs


def test_quiet_loading_hides_the_load_report(course_cache, tmp_path):
    import io
    import logging

    from transformers import AutoModelForSequenceClassification

    import helpers

    # Read transformers' own log records (its handler may hold a stream of an earlier test).
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logging.getLogger("transformers").addHandler(handler)
    try:
        environment.quiet_loading(True)
        AutoModelForSequenceClassification.from_pretrained(helpers.base_model_path(), num_labels=2)
        assert "LOAD REPORT" not in log.getvalue()
        environment.quiet_loading(False)
        AutoModelForSequenceClassification.from_pretrained(helpers.base_model_path(), num_labels=2)
        assert "LOAD REPORT" in log.getvalue() and "MISSING" in log.getvalue()
    finally:
        logging.getLogger("transformers").removeHandler(handler)
        environment.quiet_loading(True)


def test_doctor_reports_every_check_with_a_fix(course_cache):
    checks = environment.doctor()
    names = {c.name for c in checks}
    assert {"python", "torch", "transformers", "asset model", "asset reviews"} <= names
    assert all(c.ok for c in checks), environment.format_checks(checks)


def test_doctor_names_the_fix_for_missing_assets(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path))
    checks = {c.name: c for c in environment.doctor()}
    assert not checks["asset model"].ok
    assert checks["asset model"].fix == "hfcourse prefetch"
    assert "fix: hfcourse prefetch" in environment.format_checks(list(checks.values()))


def test_colab_install_keeps_colabs_stack(monkeypatch, capsys, course_cache):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert environment.in_colab()
    cmd = course.colab_install_command()
    assert cmd.startswith("pip install") and "--no-deps" in cmd
    assert f"git+{course.REPOSITORY}@{course.BRANCH}" in cmd
    for pkg in ("torch", "transformers", "ipywidgets", "--upgrade", "-U "):
        assert pkg not in cmd
    environment.setup()
    assert "Colab detected" in capsys.readouterr().out


def _fake_versions(monkeypatch, **versions):
    real = environment.metadata.version

    def version(name):
        key = name.replace("-", "_")
        if key in versions:
            if versions[key] is None:
                raise environment.metadata.PackageNotFoundError(name)
            return versions[key]
        return real(name)

    monkeypatch.setattr(environment.metadata, "version", version)


def test_widget_check_knows_where_ipywidgets_7_draws(monkeypatch, capsys, course_cache):
    _fake_versions(monkeypatch, ipywidgets="8.1.5", notebook="7.2.0")
    assert environment.widget_check().ok
    # ipywidgets 7 with JupyterLab 4 / Notebook 7 only: quizzes fall back to text; say how to fix.
    _fake_versions(monkeypatch, ipywidgets="7.7.1", notebook="7.2.0")
    check = environment.widget_check()
    assert not check.ok and "ipywidgets>=8" in check.fix
    environment.setup()
    assert "Note: ipywidgets 7.7.1 can't draw in JupyterLab 4" in capsys.readouterr().out
    # ... but classic Notebook 6 draws them, and so does Colab.
    _fake_versions(monkeypatch, ipywidgets="7.7.1", notebook="6.5.7")
    assert environment.widget_check().ok
    _fake_versions(monkeypatch, ipywidgets="7.7.1", notebook=None)
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert environment.widget_check().ok
