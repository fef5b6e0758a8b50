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


def test_start_as_root_passes_allow_root(monkeypatch, capsys):
    monkeypatch.setattr(cli.os, "geteuid", lambda: 0, raising=False)
    assert cli.main(["start", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Running as root" in out and "--allow-root" in out


def test_start_as_a_user_does_not_pass_allow_root(monkeypatch, capsys):
    monkeypatch.setattr(cli.os, "geteuid", lambda: 1000, raising=False)
    assert cli.main(["start", "--dry-run", "--no-browser"]) == 0
    out = capsys.readouterr().out
    assert "--allow-root" not in out and "--no-browser" in out


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
    monkeypatch.setenv("HFCOURSE_CACHE", str(cache))
    monkeypatch.setattr(storage, "repo_root", lambda: tmp_path)
    assert "cached results 4 MB, lesson outputs 3 MB; `hfcourse clean` frees 7 MB" in storage.describe_usage()
    assert cli.main(["clean", "--dry-run"]) == 0
    assert "Would free 7 MB" in capsys.readouterr().out and outputs.exists()
    assert cli.main(["clean"]) == 0
    assert "Freed 7 MB" in capsys.readouterr().out
    assert not outputs.exists() and not (cache / "runs").exists() and not (cache / "embeddings").exists()
    assert (cache / "model" / "f.bin").exists() and (cache / "wheels" / "f.bin").exists()
    assert (cache / "progress.jsonl").exists()
