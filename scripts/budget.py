"""The time budget of the test suites: how many seconds of tests each suite may take.

Every pytest run writes each test's and each notebook's seconds (setup, call and teardown
together) to ``test-artifacts/durations.json``, under the suite's name (``HFCOURSE_SUITE``: main,
colab or lowest; ``local`` when unset). The budgets live in ``tests/budget.toml``. ``.ci/run``
checks each suite after it ran:

    python scripts/budget.py main          # exit 1, naming the slowest items, when over budget
    python scripts/budget.py main --file test-artifacts/durations.json --budget tests/budget.toml

The check exists so that the author of the next lesson sees its cost before it lands.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = ROOT / "tests" / "budget.toml"
DURATIONS = ROOT / "test-artifacts" / "durations.json"


def slowest(durations: dict[str, float], n: int = 10) -> list[tuple[str, float]]:
    """The ``n`` slowest items, slowest first."""
    return sorted(durations.items(), key=lambda item: -item[1])[:n]


def load_budget(path: Path = BUDGET) -> dict[str, float]:
    """Seconds per suite, from ``tests/budget.toml`` (a table per suite with ``seconds``)."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise SystemExit(f"{path}: cannot read the time budget ({err}); each suite needs a table "
                         f"such as [main] with seconds = 1800") from None
    budget = {}
    for suite, table in data.items():
        seconds = table.get("seconds") if isinstance(table, dict) else None
        if not isinstance(seconds, (int, float)) or seconds <= 0:
            raise SystemExit(f"{path}: [{suite}] needs `seconds = <a positive number>`")
        budget[suite] = float(seconds)
    return budget


def check(suite: str, durations: dict[str, float], seconds: float) -> str | None:
    """None when ``durations`` fit in ``seconds``; otherwise the message that fails CI."""
    total = sum(durations.values())
    if total <= seconds:
        return None
    lines = [f"The {suite} suite took {total:.0f} s of tests, over its budget of {seconds:.0f} s "
             f"(tests/budget.toml) by {total - seconds:.0f} s. Its slowest items:"]
    lines += [f"  {s:7.1f} s  {name}" for name, s in slowest(durations)]
    lines.append("Make the slow items cheaper (see README, 'Test suites'), or, if the course "
                 "really needs the time, raise the budget in tests/budget.toml and say why there.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", help="main, colab or lowest")
    parser.add_argument("--file", type=Path, default=DURATIONS)
    parser.add_argument("--budget", type=Path, default=BUDGET)
    args = parser.parse_args(argv)
    budget = load_budget(args.budget)
    if args.suite not in budget:
        print(f"{args.budget}: no budget for the suite {args.suite!r} (it has: "
              f"{', '.join(budget)}); add a [{args.suite}] table", file=sys.stderr)
        return 2
    try:
        durations = json.loads(args.file.read_text())[args.suite]["seconds"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"{args.file}: no durations for the suite {args.suite!r} ({err!r}); run it with "
              f"HFCOURSE_SUITE={args.suite} first", file=sys.stderr)
        return 2
    failure = check(args.suite, durations, budget[args.suite])
    if failure:
        print(failure, file=sys.stderr)
        return 1
    print(f"The {args.suite} suite: {sum(durations.values()):.0f} s of tests, within its budget of "
          f"{budget[args.suite]:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
