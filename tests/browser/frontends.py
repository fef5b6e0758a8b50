"""The two notebook front ends the browser tests drive, behind one small interface.

- ``JupyterLab`` 4, whose widget manager (jupyterlab_widgets 3) draws ipywidgets 8 widgets only.
- ``ClassicNotebook`` 6.5, whose widget manager (widgetsnbextension 3.6) draws ipywidgets 7
  widgets: the front end that Colab's own stack (notebook 6.5, ipywidgets 7.7.1) pairs with.

Which one runs is decided by the ipywidgets in this environment (``frontend_for_this_env``), or
by ``$HFCOURSE_FRONTEND`` (``lab`` or ``classic``).
"""

from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from helpers import quiz


@dataclass
class CellReport:
    """One code cell after a run: its execution count and its error outputs."""

    index: int
    count: int | None
    source: str
    errors: list[str]


class Frontend:
    """What both front ends share: reading the cells back through each one's ``CELLS_JS``."""

    CELLS_JS = ""

    def cells(self, page: Any) -> list[CellReport]:
        return [CellReport(**c) for c in page.evaluate(self.CELLS_JS)]


class JupyterLab(Frontend):
    name = "lab"
    # The status bar reads this once the kernel has started and is waiting for work. (The
    # toolbar's execution indicator says "idle" too early: a prototype failed 4 times in 16 runs.)
    KERNEL_IDLE = "Python 3 (ipykernel) | Idle"
    # Runs every cell through JupyterLab's own command (Run > Run All Cells) and waits for the
    # promise it returns, which settles when the last cell has finished or the first one failed.
    RUN_ALL_JS = """async (limitMs) => {
      const timeout = new Promise((_, reject) => setTimeout(
          () => reject(new Error(`run-all did not finish in ${limitMs / 1000} s`)), limitMs));
      return await Promise.race(
          [window.jupyterapp.commands.execute('notebook:run-all-cells'), timeout]);
    }"""
    # Read from JupyterLab's notebook model: an error output is drawn like stderr, so the page
    # alone can't tell an error from a warning.
    CELLS_JS = """() => {
      const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
      const found = [];
      for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code') continue;
        const outputs = cell.outputs.toJSON();
        found.push({index: i, count: cell.executionCount,
                    source: cell.sharedModel.getSource().slice(0, 80),
                    errors: outputs.filter(o => o.output_type === 'error')
                                   .map(o => `${o.ename}: ${o.evalue}`)});
      }
      return found;
    }"""

    def command(self, port: int, root: Path, base: Path) -> list[str]:
        return [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
                f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
                "--IdentityProvider.token=", "--ServerApp.password=",
                "--ServerApp.disable_check_xsrf=True", "--LabApp.expose_app_in_browser=True",
                f"--LabApp.workspaces_dir={base / 'workspaces'}",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]

    def configure(self, config_dir: Path) -> None:
        """No "would you like news?" toast over the notebook."""
        labconfig = config_dir / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        (labconfig / "page_config.json").write_text(
            '{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}')

    def open(self, page: Any, base_url: str, relpath: str) -> None:
        """Open a notebook, alone, and wait until its kernel is idle.

        ``?reset`` empties the workspace, so that tabs left by an earlier test are not restored
        beside it (their kernels, status and stale widget outputs would confuse the test).
        """
        page.goto(f"{base_url}/lab/tree/{relpath}?reset")
        page.get_by_text(self.KERNEL_IDLE, exact=True).wait_for(timeout=120_000)
        shown = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
        assert shown == relpath, f"JupyterLab shows {shown}, not {relpath}"

    # Runs the given cells, one after the other, through JupyterLab's own "run cell" command,
    # waiting for each (the promise settles when the cell has finished).
    RUN_CELLS_JS = """async ([indices, limitMs]) => {
      const nb = window.jupyterapp.shell.currentWidget.content;
      const timeout = new Promise((_, reject) => setTimeout(
          () => reject(new Error(`the cells did not finish in ${limitMs / 1000} s`)), limitMs));
      const run = (async () => {
        let ok = true;
        for (const i of indices) {
          nb.deselectAll(); nb.activeCellIndex = i;
          ok = (await window.jupyterapp.commands.execute('notebook:run-cell')) && ok;
        }
        return ok;
      })();
      return await Promise.race([run, timeout]);
    }"""

    def run_all(self, page: Any, limit_s: float = 900) -> bool:
        """Run all cells; True when every cell ran without an error."""
        return bool(page.evaluate(self.RUN_ALL_JS, int(limit_s * 1000)))

    def run_cells(self, page: Any, indices: list[int], limit_s: float = 300) -> bool:
        """Run only these cells (indices in the notebook), in order; True if none failed."""
        return bool(page.evaluate(self.RUN_CELLS_JS, [indices, int(limit_s * 1000)]))


class ClassicNotebook(Frontend):
    name = "classic"
    KERNEL_READY_JS = """() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
        && Jupyter.notebook.kernel.is_connected()
        && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null"""
    # Done when no cell waits or runs ("*") and the kernel is idle again.
    DONE_JS = """() => Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code'
        || c.input_prompt_number !== '*')
        && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null"""
    CELLS_JS = """() => Jupyter.notebook.get_cells().map((c, i) => [c, i])
        .filter(([c, i]) => c.cell_type === 'code')
        .map(([c, i]) => ({index: i,
              count: typeof c.input_prompt_number === 'number' ? c.input_prompt_number : null,
              source: c.get_text().slice(0, 80),
              errors: c.output_area.outputs.filter(o => o.output_type === 'error')
                                           .map(o => `${o.ename}: ${o.evalue}`)}))"""

    def command(self, port: int, root: Path, base: Path) -> list[str]:
        return [sys.executable, "-m", "notebook", "--no-browser", "--ip=127.0.0.1",
                f"--port={port}", "--NotebookApp.port_retries=0",
                f"--NotebookApp.notebook_dir={root}", "--NotebookApp.token=",
                "--NotebookApp.password=", "--NotebookApp.disable_check_xsrf=True",
                "--NotebookApp.show_banner=False"]

    def configure(self, config_dir: Path) -> None:
        pass

    def open(self, page: Any, base_url: str, relpath: str) -> None:
        page.goto(f"{base_url}/notebooks/{relpath}")
        page.wait_for_function(self.KERNEL_READY_JS, timeout=120_000)

    def run_all(self, page: Any, limit_s: float = 900) -> bool:
        page.evaluate("() => Jupyter.notebook.execute_all_cells()")
        page.wait_for_timeout(500)  # let the first cell be queued before waiting for "done"
        page.wait_for_function(self.DONE_JS, timeout=int(limit_s * 1000), polling=500)
        return all(c.count is not None and not c.errors for c in self.cells(page))


def frontend_for_this_env() -> JupyterLab | ClassicNotebook:
    """Classic Notebook where ipywidgets is 7 (JupyterLab 4 can't draw its widgets), else Lab."""
    choice = os.environ.get("HFCOURSE_FRONTEND")
    if choice is None:
        choice = "classic" if metadata.version("ipywidgets").startswith("7.") else "lab"
    if choice == "classic":
        notebook = metadata.version("notebook")
        assert notebook.startswith("6."), (
            f"ipywidgets 7 widgets draw only in classic Notebook 6 (found notebook {notebook}): "
            "pip install 'notebook==6.5.7' 'jupyter-client<8'")
        return ClassicNotebook()
    return JupyterLab()


def plain(markdown_text: str) -> str:
    """What a learner reads of a bank's Markdown once it is rendered: text, spaces collapsed."""
    rendered = re.sub(r"<[^>]+>", "", quiz.md(markdown_text, inline=True))
    return " ".join(html.unescape(rendered).split())


def squash(text: str) -> str:
    return " ".join(text.split())
