"""JupyterLab for ``hfcourse start``: the command that serves your work folder at lesson 00, its
course-only settings, its address, and a supervisor that stops it when ``hfcourse`` stops.

JupyterLab's log goes to a file (``work/.hfcourse/jupyterlab.log``), so that the terminal shows
only what a learner needs: where the log is, and the address to open.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# JupyterLab's defaults for the course only: no "get notified about official Jupyter news?"
# question and no check for updates (both would reach the web). JupyterLab reads default-setting
# overrides from the labconfig folder of each Jupyter config folder; `hfcourse start` adds its own
# config folder to JUPYTER_CONFIG_PATH for its server only, so other projects keep their settings.
# A choice the learner makes in JupyterLab's Settings still wins over these defaults.
LAB_DEFAULTS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                                "checkForUpdates": False}}
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


@dataclass(frozen=True)
class LabFiles:
    """Where the course keeps its JupyterLab files, inside the work folder's hidden folder."""

    state: Path

    @property
    def log(self) -> Path:
        return self.state / "jupyterlab.log"

    @property
    def config(self) -> Path:  # a Jupyter config folder: labconfig/default_setting_overrides.json
        return self.state / "jupyter-config"

    @property
    def workspaces(self) -> Path:
        return self.state / "workspaces"


def lab_url_path(notebook: str) -> str:
    """JupyterLab's address path (after the server's base URL) that opens ``notebook``."""
    return "lab/tree/" + urllib.parse.quote(notebook)


def lab_command(work: Path, notebook: str, files: LabFiles, no_browser: bool = False,
                allow_root: bool = False) -> list[str]:
    """The JupyterLab command of ``hfcourse start``: the file browser shows the work folder only,
    the address (printed and opened) is ``notebook`` itself, and the layout starts fresh (the
    workspaces folder is the course's own, emptied at each start)."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={work}",
           f"--LabApp.default_url=/{lab_url_path(notebook)}",
           f"--LabApp.workspaces_dir={files.workspaces}"]
    if no_browser:
        cmd.append("--no-browser")
    if allow_root:
        cmd.append("--allow-root")
    return cmd


def lab_env(files: LabFiles) -> dict[str, str]:
    """The environment of the JupyterLab server: this one, plus the course's config folder."""
    theirs = os.environ.get("JUPYTER_CONFIG_PATH", "")
    return {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join(filter(None, [str(files.config), theirs]))}


def prepare_lab(files: LabFiles) -> None:
    """Write the course's JupyterLab defaults (``LAB_DEFAULTS``) and empty the workspaces folder,
    so that JupyterLab opens lesson 00 alone rather than the tabs of the last session."""
    overrides = files.config / "labconfig" / "default_setting_overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps(LAB_DEFAULTS, indent=1) + "\n")
    shutil.rmtree(files.workspaces, ignore_errors=True)
    files.workspaces.mkdir(parents=True)


def lab_address(pid: int, notebook: str) -> str | None:
    """The address of ``notebook`` on the Jupyter server whose process is ``pid``, with its token,
    read from the file the server writes once it listens; None until then."""
    from jupyter_core.paths import jupyter_runtime_dir

    try:
        info = json.loads((Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json").read_text())
    except (OSError, ValueError):
        return None
    query = "?" + urllib.parse.urlencode({"token": info["token"]}) if info.get("token") else ""
    return urllib.parse.urljoin(info["url"], lab_url_path(notebook)) + query


def supervise(cmd: list[str], log: Path, *, cwd: Path | None = None, env: dict[str, str] | None = None,
              poll: Callable[[int], None] | None = None, grace: float = 10.0) -> int:
    """Run ``cmd`` with its output going to the file ``log``, until it ends or this process is
    asked to stop (Ctrl+C, ``kill``, a closed terminal). Then it is asked to stop too (SIGTERM;
    a Jupyter server then shuts its kernels down), and killed if it is still running ``grace``
    seconds later, so that it never outlives this process. ``poll(pid)`` is called about ten
    times a second while it runs. Returns its exit code, or 0 when it was stopped on request."""
    asked: list[int] = []
    running: list[subprocess.Popen] = []

    def forward(signum: int, _frame: object) -> None:
        asked.append(signum)
        for child in running:
            child.terminate()

    previous = {sig: signal.signal(sig, forward) for sig in STOP_SIGNALS}
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "wb") as out:
            # Its own session: the terminal's Ctrl+C reaches this process only, which stops it.
            running.append(subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True))
        child = running[0]
        if asked:
            child.terminate()
        deadline = None
        while child.poll() is None:
            if asked:
                deadline = deadline or time.monotonic() + grace
                if time.monotonic() > deadline:
                    child.kill()
            elif poll is not None:
                poll(child.pid)
            try:
                child.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                pass
        return 0 if asked else child.returncode
    finally:
        for child in running:
            if child.poll() is None:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
