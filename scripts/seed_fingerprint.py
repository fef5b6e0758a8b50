"""The course's source document as a fingerprint: a hash of every run of 3 to 8 words.

    python scripts/seed_fingerprint.py          write tests/seed_fingerprint.txt from ../shared/seed

The source document lives beside the repository (../shared/seed), not in it, and learners and
teachers do not have it. tests/test_quiz_form.py checks the quiz options against this
fingerprint, so that the check runs everywhere without shipping the source's text; where the
source is present, a test checks that the fingerprint is current.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed"
FINGERPRINT = ROOT / "tests" / "seed_fingerprint.txt"
SIZES = range(3, 9)  # runs of 3 to 8 words


def words(text: str) -> list[str]:
    """Lower-case words, without Markdown marks, quotes or punctuation around them."""
    text = re.sub(r"[`*_\"']", "", text).lower()
    return [w for w in (re.sub(r"^\W+|\W+$", "", w) for w in text.split()) if w]


def digest(run: list[str]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:12]


def runs(text: str) -> set[str]:
    """The digest of every run of 3 to 8 consecutive words of ``text``."""
    found = words(text)
    return {digest(found[i:i + n]) for n in SIZES for i in range(len(found) - n + 1)}


def seed_runs() -> set[str]:
    files = sorted(SEED.glob("*.txt"))
    return runs("\n".join(f.read_text(encoding="utf-8") for f in files)) if files else set()


if __name__ == "__main__":
    FINGERPRINT.write_text("\n".join(sorted(seed_runs())) + "\n", encoding="utf-8")
    print(f"wrote {FINGERPRINT.relative_to(ROOT)}")
