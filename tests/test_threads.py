"""helpers.threads: torch's thread count fitted to the cores that a shared machine really offers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import environment, threads


def test_cgroup_v2_and_v1_quotas_are_read(tmp_path):
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "cpu.max").write_text("150000 100000\n")
    assert threads.cgroup_quota(v2) == 1.5
    (v2 / "cpu.max").write_text("max 100000\n")
    assert threads.cgroup_quota(v2) is None
    v1 = tmp_path / "v1"
    (v1 / "cpu").mkdir(parents=True)
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("200000\n")
    (v1 / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert threads.cgroup_quota(v1) == 2.0
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    assert threads.cgroup_quota(v1) is None
    assert threads.cgroup_quota(tmp_path / "none") is None


@pytest.mark.parametrize("machine, allowed, quota, busy, want, words", [
    (2, 2, None, 0.1, 2, "one per core (2)"),
    (2, 2, None, 1.0, 1, "other processes keep 1.0 cores busy"),  # the lab case of issue 17
    (2, 2, None, 2.0, 1, "other processes keep 2.0 cores busy"),  # never fewer than one
    (2, 2, None, 0.7, 2, "one per core (2)"),  # a notebook server's burst is not a training
    (2, 2, None, 0.8, 1, "other processes keep 0.8 cores busy"),
    (64, 64, 2.0, 40.0, 2, "a CPU quota of 2 cores"),  # a JupyterHub pod on a big, busy host
    (8, 8, 1.5, 0.0, 1, "a CPU quota of 1.5 cores"),
    (16, 4, None, 0.0, 4, "4 of 16 cores allowed"),
    (4, 4, None, None, 4, "one per core (4)"),  # no /proc/stat (macOS, Windows)
])
def test_the_choice_fits_quota_affinity_and_load(machine, allowed, quota, busy, want, words):
    fit = threads.choose(machine, allowed, quota, busy)
    assert fit.threads == want and words in fit.reason


def test_an_explicit_setting_wins(monkeypatch):
    fit = threads.choose(8, 8, None, 7.0, explicit="3")
    assert fit.threads == 3 and "OMP_NUM_THREADS or HFCOURSE_THREADS" in fit.reason
    monkeypatch.setenv("HFCOURSE_THREADS", "1")
    assert threads.measure().threads == 1


def test_busy_cores_sees_another_process_spinning():
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        busy = threads.busy_cores(1.0)
    finally:
        spinner.kill()
    assert busy is not None and busy >= 0.8


def test_doctor_warns_on_an_oversubscribed_machine_without_failing(monkeypatch):
    monkeypatch.setattr(threads, "measure", lambda: threads.choose(2, 2, None, 1.3))
    check = environment.cpu_check()
    assert check.ok and check.warning and check.detail.startswith("oversubscribed")
    text = environment.format_checks([check])
    assert text.startswith("! CPU") and "what to do: Training will be slower" in text
    assert text.endswith("All checks passed, with 1 warning(s) above.")
    monkeypatch.setattr(threads, "measure", lambda: threads.choose(2, 2, None, 0.1))
    assert not environment.cpu_check().warning


@pytest.mark.parametrize("machine, allowed, quota, busy, line", [
    (2, 2, None, 1.3, "! CPU            oversubscribed: 1 thread(s) for torch (other processes keep "
                      "1.3 cores busy)"),
    (2, 2, 1.0, 2.0, "! CPU            oversubscribed: 1 thread(s) for torch (a CPU quota of 1 cores; "
                     "other processes keep 2.0 cores busy)"),
    (2, 2, None, 0.1, "✓ CPU            2 thread(s) for torch, one per core (2)"),
])
def test_doctor_says_one_thing_about_threads(monkeypatch, machine, allowed, quota, busy, line):
    """One line gives the thread count (and the busy cores once, when they matter); the advice
    follows only on an oversubscribed machine. The device line no longer counts threads."""
    monkeypatch.setattr(threads, "measure", lambda: threads.choose(machine, allowed, quota, busy))
    lines = environment.format_checks([environment.cpu_check()]).splitlines()
    assert lines[0] == line
    assert len(lines) == (3 if line.startswith("!") else 2)  # the line, the advice, the verdict
    assert "thread" not in environment.describe_device("cpu")


def test_setup_sets_torch_threads_and_says_so(course_cache, monkeypatch, capsys):
    import torch

    before = torch.get_num_threads()
    monkeypatch.setenv("HFCOURSE_THREADS", "1")
    try:
        env = __import__("helpers").setup()
        assert env.threads == 1 == torch.get_num_threads()
        assert "Ready: seed 0, 1 thread(s), as OMP_NUM_THREADS or HFCOURSE_THREADS says" in \
            capsys.readouterr().out
    finally:
        torch.set_num_threads(before)


def test_busy_cores_leaves_out_this_process_s_own_threads(monkeypatch):
    """The machine was busy for 150 of 200 ticks; 100 of them were this process's own threads."""
    machine = iter([(1000, 4000), (1150, 4200)])
    own = iter([500, 600])
    monkeypatch.setattr(threads, "_cpu_times", lambda: next(machine))
    monkeypatch.setattr(threads, "_own_ticks", lambda: next(own))
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 2)
    assert threads.busy_cores(0.0) == 0.5  # (150 - 100) / 200 of 2 cores


def test_own_ticks_grow_while_this_process_works():
    before = threads._own_ticks()
    end = __import__("time").process_time() + 0.3
    while __import__("time").process_time() < end:
        pass
    assert threads._own_ticks() > before
