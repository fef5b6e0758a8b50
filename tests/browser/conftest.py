"""Fixtures for the browser tests: a notebook server (JupyterLab or classic Notebook), and
Debian's Chromium driven by Playwright.

The server and the browser get their own HOME and Jupyter folders under pytest's temporary
folder, and the lessons are served from a copy, so nothing the tests do reaches the learner's
home or the committed notebooks. The course cache is shared (it already holds the assets).

Chromium: ``$HFCOURSE_CHROMIUM``, else ``chromium`` on the PATH (``apt-get install -y chromium``).
Without it these tests are skipped with that instruction, unless ``HFCOURSE_REQUIRE_BROWSER=1``
(set by ``.ci/run``) makes a missing browser a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers.serve import free_port

# What a lesson may load: this machine only (the course must work offline).
LOCAL = re.compile(r"^(https?://(127\.0\.0\.1|localhost)(:\d+)?/|file:|data:|blob:|about:)")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("HFCOURSE_TEST_ARTIFACTS", ROOT / "test-artifacts"))
LEARNER = "browser-test"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _missing(what: str) -> None:
    if os.environ.get("HFCOURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(what, pytrace=False)
    pytest.skip(what)


def chromium_path() -> str | None:
    """Where Chromium is: ``$HFCOURSE_CHROMIUM`` or the first Chromium-like program on the PATH."""
    env = os.environ.get("HFCOURSE_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Server:
    """A running notebook server: its address, its lesson folder, its learner's progress file."""

    url: str
    root: Path
    progress: Path
    log: Path
    frontend: Any

    def open(self, page: Any, name: str) -> None:
        """Open a fresh copy of lesson ``name`` in the browser, its kernel idle."""
        self.frontend.open(page, self.url, self.fresh_copy(name))

    def fresh_copy(self, name: str) -> str:
        """Shut down earlier tests' kernels, then copy a committed lesson over the served one
        (undoing an earlier run's autosave). Returns its path for the browser."""
        self.delete_sessions()
        shutil.copy2(ROOT / "lessons" / name, self.root / "lessons" / name)
        return f"lessons/{name}"

    def delete_sessions(self) -> None:
        """Shut down every kernel the server runs, so that each test starts with free memory."""
        with urllib.request.urlopen(f"{self.url}/api/sessions", timeout=10) as resp:
            sessions = json.load(resp)
        for session in sessions:
            req = urllib.request.Request(f"{self.url}/api/sessions/{session['id']}",
                                         method="DELETE")
            urllib.request.urlopen(req, timeout=30).close()


def isolated_env(base: Path) -> dict[str, str]:
    """The environment of a server: its own HOME, Jupyter and IPython folders, a test learner."""
    from helpers import assets

    env = dict(os.environ)
    home = base / "home"
    for sub in ("config", "data", "runtime", "ipython", "cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update({
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "MPLCONFIGDIR": str(home / "cache" / "matplotlib"),
        # The course cache is shared: the assets are fetched already (and HOME moved).
        "HFCOURSE_CACHE": str(assets.cache_dir()),
        "HFCOURSE_PROGRESS": str(base / "progress.jsonl"),
        "HFCOURSE_LEARNER": LEARNER,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def copy_lessons(root: Path) -> Path:
    """Copy the lesson notebooks, so that saving in the browser never changes the committed ones."""
    target = root / "lessons"
    target.mkdir(parents=True, exist_ok=True)
    for nb in sorted((ROOT / "lessons").glob("*.ipynb")):
        shutil.copy2(nb, target / nb.name)
    return target


def wait_for_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the notebook server exited ({proc.returncode}):\n"
                               f"{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"the notebook server did not answer {url} in {timeout:.0f} s:\n"
                       f"{log.read_text()}")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server with SIGTERM (kernels and all), then SIGKILL if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """A notebook server on 127.0.0.1 serving a copy of the lessons, with no token: JupyterLab,
    or classic Notebook where ipywidgets is 7 (see ``frontends.py``)."""
    from frontends import frontend_for_this_env

    frontend = frontend_for_this_env()
    base = tmp_path_factory.mktemp(frontend.name)
    env = isolated_env(base)
    root = base / "root"
    copy_lessons(root)
    frontend.configure(Path(env["JUPYTER_CONFIG_DIR"]))
    port = free_port()
    log = base / "server.log"
    cmd = frontend.command(port, root, base)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/api/status", proc, log)
        yield Server(url, root, Path(env["HFCOURSE_PROGRESS"]), log, frontend)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's Chromium, headless, started by Playwright with a fresh profile folder."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the browser tests need Playwright: pip install -e '.[test]'")
    path = chromium_path()
    if path is None:
        _missing("the browser tests need Chromium: apt-get install -y chromium "
                 "(or set HFCOURSE_CHROMIUM to a Chromium program)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    for stale in ARTIFACTS.glob("FAILED-*"):  # only this run's failures are kept
        stale.unlink()
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=path, args=CHROMIUM_FLAGS, headless=True,
            viewport={"width": 1280, "height": 1000})
        try:
            yield context
        finally:
            context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that fixtures can see a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def save_page(page, name: str) -> list[Path]:
    """Save a screenshot and the page's HTML under ``test-artifacts/`` (where CI keeps them)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png, html = ARTIFACTS / f"{name}.png", ARTIFACTS / f"{name}.html"
    page.screenshot(path=str(png), full_page=True)
    html.write_text(page.content())
    return [png, html]


@pytest.fixture
def page(browser, request):
    """A fresh browser tab; on failure its screenshot, HTML and console go to ``test-artifacts/``."""
    tab = browser.new_page()
    tab.set_default_timeout(60_000)
    console: list[str] = []
    tab.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    outside: list[str] = []  # the course must work offline: nothing may leave this machine
    tab.on("request", lambda req: outside.append(req.url) if not LOCAL.match(req.url) else None)
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
        paths = save_page(tab, f"FAILED-{safe}")
        paths.append(ARTIFACTS / f"FAILED-{safe}.console.txt")
        paths[-1].write_text("\n".join(console))
        for path in paths:
            print(f"saved {path}")
    tab.close()
    if "server" in request.fixturenames:  # a lesson in a notebook front end (not an exported HTML file)
        assert not outside, f"the lesson requested addresses outside this machine (offline they fail): {outside[:5]}"
