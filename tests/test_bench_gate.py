"""The CI gate on the activation benchmark's JSON line: it passes a clean run and fails on anything lost, pushed
twice or unfinished, or on no line at all."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN = {"approvals": 100, "all_terminal": True, "lost": 0, "duplicate_puts": 0, "total_s": 31.2}


def gate(text: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/bench_gate.py"], cwd=ROOT, input=text, capture_output=True, text=True, timeout=30
    )


def test_a_clean_run_passes_and_its_line_is_printed_as_it_came():
    done = gate("progress on stderr would not be here\n" + json.dumps(CLEAN) + "\n")
    assert done.returncode == 0 and json.loads(done.stdout) == CLEAN


def test_a_lost_or_twice_pushed_or_unfinished_activation_fails():
    for change, says in [
        ({"lost": 1}, "lost 1 activations"),
        ({"duplicate_puts": 2}, "pushed 2 campaigns twice"),
        ({"all_terminal": False}, "not every activation finished"),
        ({"lost": None}, "lost None activations"),
    ]:
        done = gate(json.dumps({**CLEAN, **change}))
        assert done.returncode == 1 and says in done.stderr


def test_no_line_fails():
    assert gate("Traceback (most recent call last):\n").returncode == 1
