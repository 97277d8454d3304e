"""`citiesgrow-match`: solve a matching problem file from the command line.

Prints the result JSON on stdout (and to --out). The exit code lets scripts branch without
parsing: 0 a matching was found, 1 none was found (infeasible, or time ran out), 2 the input
could not be used (unreadable file, malformed JSON, invalid problem) or --out not written.
Errors go to stderr as plain sentences; a traceback would only confuse the people who run it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from matching.solver.model import solve
from matching.solver.problem import ProblemError
from matching.solver.validation import validate_problem

PROG = "citiesgrow-match"
EXIT_FOUND, EXIT_NOT_FOUND, EXIT_BAD_INPUT = 0, 1, 2


# argparse names these functions in its messages ("invalid seconds value: 'x'").
def seconds(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError("must be a number of seconds, 0 (no limit) or more")
    return value


def workers(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Pair mentor cities with implementing cities (matching format v1, see "
        "docs/matching-format.md) and print the result as JSON.",
        epilog="Exit codes: 0 matching found, 1 no matching (infeasible or time limit), "
        "2 bad input.",
    )
    parser.add_argument("problem", help="problem JSON file, or - to read standard input")
    parser.add_argument(
        "--time-limit",
        type=seconds,
        default=60.0,
        metavar="S",
        help="stop the search after S seconds (default 60; 0 means no limit)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="RESULT.json", help="also write the result here"
    )
    parser.add_argument(
        "--workers", type=workers, default=2, metavar="N", help="search threads (default 2)"
    )
    parser.add_argument(
        "--progress", action="store_true", help="report each better matching found on stderr"
    )
    return parser


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _read(source: str) -> tuple[Any, str | None]:
    """The decoded JSON, or None and an error sentence."""
    name = "standard input" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return None, f"cannot read {name}: {reason}"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, (
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        )


def _print_progress(info: dict[str, Any]) -> None:
    print(
        f"{PROG}: value {info['objective']} (at most {info['bound']}) after {info['seconds']} s",
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data, error = _read(args.problem)
    if error:
        return _fail(error)
    try:
        problem = validate_problem(data)
    except ProblemError as exc:
        name = "standard input" if args.problem == "-" else args.problem
        lines = [f"  {e['path'] or '(top level)'}: {e['message']}" for e in exc.errors]
        count = len(exc.errors)
        return _fail(
            f"{name} is not a valid matching problem ({count} error{'s' if count > 1 else ''}):\n"
            + "\n".join(lines)
        )
    result = solve(
        problem,
        time_limit=args.time_limit or None,
        workers=args.workers,
        progress=_print_progress if args.progress else None,
    )
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        try:
            args.out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            return _fail(f"cannot write {args.out}: {exc.strerror or exc}")
    return EXIT_FOUND if result["status"] in ("optimal", "feasible") else EXIT_NOT_FOUND


if __name__ == "__main__":
    sys.exit(main())
