"""Do the imports inside ``helpers/`` go one way, down? The layers are in ``pyproject.toml``
(``[tool.hfcourse.layers]``, from the top down).

    python scripts/import_layers.py        # prints every upward import and circle; exit 1 if any

Every import counts, also one written inside a function to dodge a circle at import time. A
module belongs to the layer that lists its first name below ``helpers``: a subpackage
(``helpers.assessment.quiz`` is in layer ``assessment``) or a top-level module (``cli``).
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(package: Path) -> dict[str, Path]:
    """Every module of ``package`` by its dotted name (``helpers.assessment.schema``)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the package that module ``name`` imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import x` imports module x; `from .m import f`, m
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
    found.discard(name)
    return found & set(known)


def layer_of(name: str, layers: dict[str, list[str]], top: str) -> str | None:
    """The layer that lists ``name``'s first part below the package (or the package itself)."""
    short = name[len(top) + 1:].split(".")[0] if name != top else top
    return next((layer for layer, members in layers.items() if short in members), None)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: groups of modules that reach each other (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def problems(package: Path, layers: dict[str, list[str]],
             allowed: dict[str, str] | None = None) -> list[str]:
    """Every module without a layer, every upward import and every circle, in words.
    ``allowed``: imports written ``"a -> b"`` that are exempt, each with its reason."""
    known = modules(package)
    top = package.name
    order = list(layers)  # from the top down
    exempt = {tuple(part.strip() for part in key.split("->")) for key in (allowed or {})}
    graph = {name: {t for t in imports(name, path, known) if (name, t) not in exempt}
             for name, path in known.items()}
    found = []
    for name in sorted(known):
        if layer_of(name, layers, top) is None:
            found.append(f"{known[name]}: module {name} is in no layer. Fix: add "
                         f"{name[len(top) + 1:].split('.')[0]!r} to one layer in pyproject.toml")
    for name in sorted(graph):
        mine = layer_of(name, layers, top)
        for target in sorted(graph[name]):
            theirs = layer_of(target, layers, top)
            if mine and theirs and order.index(theirs) < order.index(mine):
                found.append(f"{known[name]}: {name} ({mine}) imports {target} ({theirs}), a layer "
                             f"above it. Fix: move what it needs down, or pass it in as an argument")
    for group in circles(graph):
        found.append(f"import circle: {' -> '.join(group)}. Fix: move the shared code into "
                     f"the lowest of them")
    return found


def configured(pyproject: Path = ROOT / "pyproject.toml") -> tuple[dict[str, list[str]], dict[str, str]]:
    """The layers from ``pyproject.toml`` (from the top down) and the exempt imports."""
    table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["hfcourse"]
    return table["layers"], table.get("layers-allowed", {})


def main() -> int:
    found = problems(ROOT / "helpers", *configured())
    for line in found:
        print(line)
    print(f"{len(found)} problem(s) in helpers/'s imports" if found else
          "helpers/'s imports go one way, down: no upward import, no circle")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
