"""The hfcourse command line."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import cli, course, lab

posix_only = pytest.mark.skipif(os.name != "posix", reason="signals as on Linux and macOS")


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """A work folder of its own (HFCOURSE_WORK), and Jupyter's runtime files in tmp_path."""
    monkeypatch.setenv("HFCOURSE_WORK", str(tmp_path / "work"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    return tmp_path / "work"


def test_prefetch_reports_verified_assets(course_cache, capsys):
    assert cli.main(["prefetch", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "model" in out and "reviews" in out and "sha256 verified" in out


def test_prefetch_offline_without_cache_fails_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path))
    monkeypatch.setenv("HFCOURSE_OFFLINE", "1")
    assert cli.main(["prefetch", "--quiet"]) == 2
    assert "hfcourse prefetch" in capsys.readouterr().err


def test_start_dry_run_says_what_it_would_do_and_does_nothing(work, capsys):
    assert cli.main(["start", "--dry-run"]) == 0
    out = capsys.readouterr().out
    n, last = len(course.LESSONS), course.LESSONS[-1].stem   # 14 lessons, 00_welcome ... 13_dpo
    assert f"Would copy {n} lessons into your work folder: 00_welcome.ipynb ... {last}.ipynb" in out
    run = next(line for line in out.splitlines() if line.startswith("Would run: "))
    assert "-m jupyterlab" in run and f"--ServerApp.root_dir={work}" in run
    assert "--LabApp.default_url=/lab/tree/00_welcome.ipynb" in run
    assert "Opening" not in out and not work.exists()


def test_start_as_root_passes_allow_root(work, monkeypatch, capsys):
    monkeypatch.setattr(cli.os, "geteuid", lambda: 0, raising=False)
    assert cli.main(["start", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Running as root" in out and "--allow-root" in out


def test_start_as_a_user_does_not_pass_allow_root(work, monkeypatch, capsys):
    monkeypatch.setattr(cli.os, "geteuid", lambda: 1000, raising=False)
    assert cli.main(["start", "--dry-run", "--no-browser"]) == 0
    out = capsys.readouterr().out
    assert "--allow-root" not in out and "--no-browser" in out


def test_version_prints_the_course_version(capsys):
    from importlib import metadata

    with pytest.raises(SystemExit) as ended:
        cli.main(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out.strip() == f"hfcourse {metadata.version(course.DISTRIBUTION)}"


def test_the_address_is_lesson_00_itself_with_the_servers_token(work):
    runtime = Path(os.environ["JUPYTER_RUNTIME_DIR"])
    assert lab.lab_address(4321, "00_welcome.ipynb") is None  # not listening yet
    runtime.mkdir()
    info = {"url": "http://localhost:8890/", "token": "abc123", "base_url": "/", "port": 8890}
    (runtime / "jpserver-4321.json").write_text(json.dumps(info))
    assert lab.lab_address(4321, "00_welcome.ipynb") == \
        "http://localhost:8890/lab/tree/00_welcome.ipynb?token=abc123"
    info.update(url="http://localhost:8890/hub/user/ana/", token="")
    (runtime / "jpserver-4321.json").write_text(json.dumps(info))
    assert lab.lab_address(4321, "00_welcome.ipynb") == \
        "http://localhost:8890/hub/user/ana/lab/tree/00_welcome.ipynb"


def test_jupyterlab_asks_no_news_question_and_forgets_the_last_layout(work):
    files = lab.LabFiles(work / ".hfcourse")
    (files.workspaces / "default-37a8.jupyterlab-workspace").parent.mkdir(parents=True)
    (files.workspaces / "default-37a8.jupyterlab-workspace").write_text("{}")
    lab.prepare_lab(files)
    assert list(files.workspaces.iterdir()) == []
    overrides = json.loads((files.config / "labconfig" / "default_setting_overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false", "checkForUpdates": False}
    env = lab.lab_env(files)
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(files.config)
    cmd = lab.lab_command(work, "00_welcome.ipynb", files)
    assert f"--LabApp.workspaces_dir={files.workspaces}" in cmd and "00_welcome.ipynb" not in cmd[-1]


# A stand-in for JupyterLab: it logs a line, writes the file a Jupyter server writes once it
# listens (jpserver-PID.json in the runtime folder), and waits. With "stubborn" it ignores SIGTERM.
FAKE_SERVER = """
import json, os, signal, sys, time
if "stubborn" in sys.argv:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("[I ServerApp] Skipped non-installed server(s): many", flush=True)
runtime = os.environ["JUPYTER_RUNTIME_DIR"]
os.makedirs(runtime, exist_ok=True)
info = {"url": "http://localhost:8899/", "token": "t0k3n"}
with open(os.path.join(runtime, f"jpserver-{os.getpid()}.json"), "w") as fh:
    json.dump(info, fh)
time.sleep(60)
"""


def _signal_this_process_when(ready, signum: int) -> threading.Thread:
    """Send ``signum`` to this (the test's) process once ``ready()`` is true, as a terminal's
    Ctrl+C or a `kill` would; give up after 30 s."""
    def wait_then_signal() -> None:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            if ready():
                os.kill(os.getpid(), signum)
                return
            time.sleep(0.05)

    thread = threading.Thread(target=wait_then_signal, daemon=True)
    thread.start()
    return thread


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@posix_only
def test_start_prints_the_log_file_then_the_address_and_a_kill_stops_the_server(
        work, monkeypatch, capsys):
    """`kill` (SIGTERM) of `hfcourse start` stops its server too: no JupyterLab is left behind."""
    monkeypatch.setattr(lab, "lab_command", lambda *a, **k: [sys.executable, "-c", FAKE_SERVER])
    runtime = Path(os.environ["JUPYTER_RUNTIME_DIR"])
    found: list[str] = []
    address_of = lab.lab_address

    def lab_address(pid: int, notebook: str) -> str | None:
        url = address_of(pid, notebook)
        found.extend([url] if url else [])
        return url

    monkeypatch.setattr(lab, "lab_address", lab_address)
    _signal_this_process_when(lambda: bool(found), signal.SIGTERM)  # once the address is known
    started = time.monotonic()
    assert cli.main(["start", "--no-prefetch", "--no-browser"]) == 0
    assert time.monotonic() - started < 20
    lines = capsys.readouterr().out.splitlines()
    log = work / ".hfcourse" / "jupyterlab.log"
    said = [i for i, line in enumerate(lines) if line == f"Starting JupyterLab; its log goes to {log}"]
    address = [i for i, line in enumerate(lines) if line == (
        "Open lesson 00 in your browser: http://localhost:8899/lab/tree/00_welcome.ipynb?token=t0k3n")]
    assert said and address and said[0] < address[0], lines
    assert lines[-1] == "JupyterLab stopped."
    assert "Skipped non-installed" in log.read_text() and not any("Skipped" in x for x in lines)
    pids = [int(p.stem.split("-")[1]) for p in runtime.glob("jpserver-*.json")]
    assert pids and all(_gone(pid) for pid in pids)


@posix_only
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_server_that_ignores_the_stop_request_is_killed_after_the_grace_time(tmp_path, signum):
    """Ctrl+C (SIGINT) or `kill` (SIGTERM): the server is asked to stop, then killed."""
    seen: list[int] = []
    before = signal.getsignal(signum)
    _signal_this_process_when(lambda: any(tmp_path.glob("jpserver-*.json")), signum)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    code = lab.supervise([sys.executable, "-c", FAKE_SERVER, "stubborn"], tmp_path / "log",
                         env=env, poll=seen.append, grace=0.5)
    assert code == 0 and _gone(seen[0])
    assert signal.getsignal(signum) == before  # this process's own handlers are put back


def test_doctor_exit_code(course_cache):
    assert cli.main(["doctor"]) == 0


def test_badges_are_rewritten_to_the_configured_repository():
    old = ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
           "(https://colab.research.google.com/github/old/repo/blob/dev/lessons/02_tokenization.ipynb)")
    assert cli.rewrite_badges(old) == course.colab_badge("lessons/02_tokenization.ipynb")


def test_clean_frees_results_and_outputs_but_keeps_assets_and_progress(tmp_path, monkeypatch, capsys):
    from helpers import storage

    cache = tmp_path / "cache"
    for part in ("model", "reviews", "wheels", "runs/finetuned-x", "embeddings"):
        (cache / part).mkdir(parents=True)
        (cache / part / "f.bin").write_bytes(b"x" * 2_000_000)
    (cache / "progress.jsonl").write_text("{}\n")
    outputs = tmp_path / "lessons" / "output" / "04_resume"
    outputs.mkdir(parents=True)
    (outputs / "optimizer.pt").write_bytes(b"x" * 3_000_000)
    mine = tmp_path / "work" / "output" / "08_capstone"  # what the learner's copies saved
    mine.mkdir(parents=True)
    (mine / "model.safetensors").write_bytes(b"x" * 2_000_000)
    (tmp_path / "work" / "08_capstone.ipynb").write_text("{}")  # the learner's own notebook
    monkeypatch.setenv("HFCOURSE_CACHE", str(cache))
    monkeypatch.delenv("HFCOURSE_WORK", raising=False)
    monkeypatch.setattr(storage, "repo_root", lambda: tmp_path)
    assert "cached results 4 MB, lesson outputs 5 MB; `hfcourse clean` frees 9 MB" in storage.describe_usage()
    assert cli.main(["clean", "--dry-run"]) == 0
    assert "Would free 9 MB" in capsys.readouterr().out and outputs.exists() and mine.exists()
    assert cli.main(["clean"]) == 0
    assert "Freed 9 MB" in capsys.readouterr().out
    assert not outputs.exists() and not (cache / "runs").exists() and not (cache / "embeddings").exists()
    assert not mine.exists() and (tmp_path / "work" / "08_capstone.ipynb").exists()
    assert (cache / "model" / "f.bin").exists() and (cache / "wheels" / "f.bin").exists()
    assert (cache / "progress.jsonl").exists()
