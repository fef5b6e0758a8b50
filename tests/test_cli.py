"""The hfcourse command line."""

from __future__ import annotations

from helpers import cli, course


def test_prefetch_reports_verified_assets(course_cache, capsys):
    assert cli.main(["prefetch", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "model" in out and "reviews" in out and "sha256 verified" in out


def test_prefetch_offline_without_cache_fails_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path))
    monkeypatch.setenv("HFCOURSE_OFFLINE", "1")
    assert cli.main(["prefetch", "--quiet"]) == 2
    assert "hfcourse prefetch" in capsys.readouterr().err


def test_start_opens_lesson_00(capsys):
    assert cli.main(["start", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "jupyterlab" in out and "lessons/00_welcome.ipynb" in out


def test_doctor_exit_code(course_cache):
    assert cli.main(["doctor"]) == 0


def test_badges_are_rewritten_to_the_configured_repository():
    old = ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
           "(https://colab.research.google.com/github/old/repo/blob/dev/lessons/02_tokenization.ipynb)")
    assert cli.rewrite_badges(old) == course.colab_badge("lessons/02_tokenization.ipynb")
