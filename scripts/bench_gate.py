"""Reads bench/activation.py's JSON line on stdin, prints it as it came, and exits 1 when an activation was lost,
pushed twice, or did not finish: the CI gate on the scale-out topology (.ci/run).

    .venv/bin/python bench/activation.py --approvals 100 --no-seed | .venv/bin/python scripts/bench_gate.py
"""

from __future__ import annotations

import json
import sys


def verdict(line: dict) -> list[str]:
    problems = []
    if line.get("lost") != 0:
        problems.append(f"lost {line.get('lost')!r} activations")
    if line.get("duplicate_puts") != 0:
        problems.append(f"pushed {line.get('duplicate_puts')!r} campaigns twice")
    if line.get("all_terminal") is not True:
        problems.append("not every activation finished")
    if not line.get("approvals"):
        problems.append("no approvals were measured")
    return problems


def main() -> int:
    lines = [raw for raw in sys.stdin.read().splitlines() if raw.strip().startswith("{")]
    if not lines:
        print("bench-gate: the benchmark printed no JSON line", file=sys.stderr)
        return 1
    print(lines[-1])
    problems = verdict(json.loads(lines[-1]))
    for problem in problems:
        print(f"bench-gate: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
