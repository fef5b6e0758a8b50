"""The suites' time budget (scripts/budget.py, tests/budget.toml): it can fail, it names the
slowest items when it does, and a malformed budget file says what to write."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("budget", ROOT / "scripts" / "budget.py")
budget = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(budget)


def test_the_budgets_keep_ci_within_its_hard_limit():
    """The main suite, then the two others side by side (the longer one counts), plus about 5
    minutes of installs: within CI's limit of 90 minutes."""
    seconds = budget.load_budget()
    assert set(seconds) == {"main", "colab", "lowest"}
    assert seconds["main"] + max(seconds["colab"], seconds["lowest"]) + 5 * 60 <= 90 * 60


def test_a_suite_over_its_budget_fails_and_names_the_slowest_items(tmp_path, capsys):
    """The check failing on purpose: 12 items of 10 s each against a budget of 100 s."""
    items = {f"tests/test_x.py::test_{n}": 10.0 for n in range(11)}
    items["lessons/12_slow.ipynb"] = 95.0
    (tmp_path / "durations.json").write_text(json.dumps({"main": {"seconds": items}}))
    (tmp_path / "budget.toml").write_text("[main]\nseconds = 100\n")
    code = budget.main(["main", "--file", str(tmp_path / "durations.json"),
                        "--budget", str(tmp_path / "budget.toml")])
    err = capsys.readouterr().err
    assert code == 1
    assert "205 s of tests, over its budget of 100 s" in err
    listed = [line for line in err.splitlines() if line.startswith("  ")]
    assert len(listed) == 10 and "lessons/12_slow.ipynb" in listed[0]
    assert "tests/budget.toml" in err


def test_a_suite_within_its_budget_passes(tmp_path, capsys):
    (tmp_path / "durations.json").write_text(json.dumps({"colab": {"seconds": {"a": 1.0}}}))
    (tmp_path / "budget.toml").write_text("[colab]\nseconds = 2\n")
    assert budget.main(["colab", "--file", str(tmp_path / "durations.json"),
                        "--budget", str(tmp_path / "budget.toml")]) == 0
    assert "within its budget of 2 s" in capsys.readouterr().out


@pytest.mark.parametrize("text,expected", [
    ("[main]\nsecs = 5\n", "[main] needs `seconds = <a positive number>`"),
    ("[main\n", "cannot read the time budget"),
])
def test_a_malformed_budget_says_what_to_write(tmp_path, text, expected):
    (tmp_path / "budget.toml").write_text(text)
    with pytest.raises(SystemExit, match=expected.replace("[", r"\[").replace("]", r"\]")):
        budget.load_budget(tmp_path / "budget.toml")


def test_missing_durations_name_the_suite_to_run(tmp_path, capsys):
    (tmp_path / "budget.toml").write_text("[lowest]\nseconds = 5\n")
    code = budget.main(["lowest", "--file", str(tmp_path / "none.json"),
                        "--budget", str(tmp_path / "budget.toml")])
    assert code == 2 and "HFCOURSE_SUITE=lowest" in capsys.readouterr().err


def test_a_suite_takes_every_core_once_the_suite_beside_it_is_done(tmp_path, monkeypatch):
    """.ci/run runs the Colab and lowest suites side by side, one thread each; the first to end
    writes its result file, and the other then takes both cores (conftest.take_the_freed_cores)."""
    import os

    import torch

    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    root = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root)
    flag = tmp_path / "ci-colab.result"
    monkeypatch.setenv("HFCOURSE_ALONE_WHEN", str(flag))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        root.take_the_freed_cores()  # the other suite still runs
        assert os.environ["OMP_NUM_THREADS"] == "1" and torch.get_num_threads() == 1
        flag.write_text("600 0\n")
        root.take_the_freed_cores()
        cores = os.cpu_count() or 1
        assert os.environ["OMP_NUM_THREADS"] == str(cores) and torch.get_num_threads() == cores
        assert "HFCOURSE_ALONE_WHEN" not in os.environ
    finally:
        torch.set_num_threads(before)
