"""The Procfile supervisor behind `make scale`: a process that ignores SIGTERM (a qcluster husk) and the children
it left are all gone when the supervisor stops; one process dying stops the others."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose; /proc says which.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def supervise(tmp_path, procfile: str, grace: str = "1") -> subprocess.Popen:
    (tmp_path / "Procfile").write_text(procfile)
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "planner.procs", str(tmp_path / "Procfile")],
        cwd=ROOT,
        env={**os.environ, "STOP_GRACE": grace},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def pids_in(tmp_path, *names) -> list[int]:
    return [int((tmp_path / name).read_text()) for name in names]


def test_a_husk_that_ignores_sigterm_and_its_orphaned_child_are_killed_on_stop(tmp_path):
    husk = (
        f"husk: trap '' TERM; sleep 600 & echo $! > {tmp_path}/child; echo $$ > {tmp_path}/husk; "
        "while true; do sleep 0.1; done\n"
        f"calm: echo $$ > {tmp_path}/calm; exec sleep 600\n"
    )
    supervisor = supervise(tmp_path, husk)
    try:
        wait_for(lambda: all((tmp_path / n).exists() and (tmp_path / n).read_text() for n in ["husk", "child", "calm"]))
        pids = pids_in(tmp_path, "husk", "child", "calm")
        assert all(alive(pid) for pid in pids)

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=20) == 0
        assert [pid for pid in pids if alive(pid)] == []
        log = supervisor.stderr.read()
        assert "husk: still alive 1 s after SIGTERM, SIGKILL to its process group" in log
        assert "calm: still alive" not in log  # it stopped on SIGTERM
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait()


def test_one_process_exiting_stops_the_others_and_fails(tmp_path):
    supervisor = supervise(tmp_path, f"short: sleep 0.3; exit 3\nlong: echo $$ > {tmp_path}/long; exec sleep 600\n")
    try:
        assert supervisor.wait(timeout=20) == 1
        assert "short exited with 3: stopping the others" in supervisor.stderr.read()
        assert not alive(pids_in(tmp_path, "long")[0])
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait()


def test_what_a_shell_line_leaves_behind_is_asked_to_stop_without_waiting_out_the_grace(tmp_path):
    """A line without exec (`sh -c "python ..."`): SIGTERM ends the shell, its child is told next."""
    supervisor = supervise(tmp_path, f"shell: sleep 600 & echo $! > {tmp_path}/child; wait\n", grace="30")
    try:
        wait_for(lambda: (tmp_path / "child").exists() and (tmp_path / "child").read_text().strip())
        (child,) = pids_in(tmp_path, "child")
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=20) == 0
        assert not alive(child)
        log = supervisor.stderr.read()
        assert "shell: exited, SIGTERM to what it left in its process group" in log
        assert "SIGKILL" not in log  # stopped by SIGTERM, not by the grace running out
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait()


def test_the_processes_of_several_procfiles_run_together(tmp_path):
    (tmp_path / "Procfile").write_text(f"first: echo $$ > {tmp_path}/first; exec sleep 600\n")
    (tmp_path / "Procfile.more").write_text(f"second: echo $$ > {tmp_path}/second; sleep 0.5; exit 3\n")
    supervisor = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "planner.procs", str(tmp_path / "Procfile"), str(tmp_path / "Procfile.more")],
        cwd=ROOT, env={**os.environ, "STOP_GRACE": "1"}, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert supervisor.wait(timeout=20) == 1
        assert "second exited with 3: stopping the others" in supervisor.stderr.read()
        assert not alive(pids_in(tmp_path, "first")[0])
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait()
