"""Where the quiz banks and exercise files are, in a checkout or in an installed course."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir(env_var: str, folder: str, packaged: str) -> Path:
    """``$env_var`` if set; else ``folder`` in the course checkout; else the copy inside the
    installed package (``helpers/<packaged>``, as on Colab, where there is no checkout)."""
    from helpers.core import settings

    env = settings.value(env_var)
    if env:
        return Path(env)
    from helpers.core.course import repo_root

    local = repo_root() / folder
    if local.is_dir():
        return local
    return Path(str(resources.files("helpers") / packaged))


def names_in(folder: Path) -> list[str]:
    """The YAML files of a folder, by name without ``.yaml``, sorted."""
    return sorted(p.stem for p in folder.glob("*.yaml"))
