"""The Procfile supervisor behind `make scale`: a process that ignores SIGTERM (a qcluster husk) and the children
it left are all gone when the supervisor stops; one process dying stops the others."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner import procs

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


# `make run`'s shape: make runs the supervisor through a recipe line with environment assignments.
MAKEFILE = """run:
\texec env STOP_GRACE=1 {python} -m planner.procs {procfile}
"""


def make_run(tmp_path, procfile: str) -> subprocess.Popen:
    (tmp_path / "Procfile").write_text(procfile)
    (tmp_path / "Makefile").write_text(
        MAKEFILE.format(python=sys.executable, procfile=tmp_path / "Procfile")
    )
    return subprocess.Popen(  # noqa: S603
        ["make", "--no-print-directory", "-f", str(tmp_path / "Makefile"), "run"],  # noqa: S607
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # A suite run under nohup hands make an ignored SIGHUP, which it would then never see: make starts as
        # `make run` does from a terminal.
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL),
    )


def running_lines(tmp_path) -> str:
    return f"calm: echo $$ > {tmp_path}/calm; exec sleep 600\nchain: sleep 600 & echo $! > {tmp_path}/chain; wait\n"


def supervisor_of(make_pid: int) -> int:
    """The supervisor's pid: make's only child."""
    children = Path(f"/proc/{make_pid}/task/{make_pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def started(tmp_path) -> list[int]:
    wait_for(lambda: all((tmp_path / n).exists() and (tmp_path / n).read_text().strip() for n in ["calm", "chain"]))
    return pids_in(tmp_path, "calm", "chain")


def kill_what_is_left(make: subprocess.Popen, pids: list[int]) -> None:
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    if make.poll() is None:
        os.killpg(make.pid, signal.SIGKILL)
        make.wait()


def test_sigterm_to_make_alone_stops_every_process_before_make_exits(tmp_path):
    make = make_run(tmp_path, running_lines(tmp_path))
    pids = []
    try:
        pids = started(tmp_path)
        make.send_signal(signal.SIGTERM)  # make's own process, not its group
        make.wait(timeout=60)  # a bound for a loaded machine, not a speed check
        assert [pid for pid in pids if alive(pid)] == []
        assert "procs | all stopped" in make.stderr.read()
    finally:
        kill_what_is_left(make, pids)


def test_sigkill_to_make_alone_still_stops_every_process(tmp_path):
    make = make_run(tmp_path, running_lines(tmp_path))
    pids = []
    try:
        pids = started(tmp_path)
        supervisor = supervisor_of(make.pid)
        make.kill()
        make.wait(timeout=5)
        wait_for(lambda: not alive(supervisor) and not any(alive(pid) for pid in pids))
    finally:
        kill_what_is_left(make, pids)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP, signal.SIGQUIT])
def test_a_signal_make_does_not_pass_on_still_stops_every_process(tmp_path, signum):
    """On SIGINT, SIGHUP or SIGQUIT make tells its children nothing and waits for them."""
    make = make_run(tmp_path, running_lines(tmp_path))
    pids = []
    try:
        pids = started(tmp_path)
        make.send_signal(signum)
        make.wait(timeout=60)  # a bound for a loaded machine, not a speed check
        assert [pid for pid in pids if alive(pid)] == []
        assert "was told to stop and waits for us: stopping everything" in make.stderr.read()
    finally:
        kill_what_is_left(make, pids)


def test_a_supervisor_killed_outright_leaves_no_line_running(tmp_path):
    supervisor = supervise(tmp_path, f"calm: echo $$ > {tmp_path}/calm; exec sleep 600\n")
    try:
        wait_for(lambda: (tmp_path / "calm").exists() and (tmp_path / "calm").read_text().strip())
        (calm,) = pids_in(tmp_path, "calm")
        supervisor.kill()
        supervisor.wait(timeout=5)
        wait_for(lambda: not alive(calm))
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait()


def test_a_supervisor_left_running_by_a_script_that_exits_keeps_running_until_told(tmp_path):
    (tmp_path / "Procfile").write_text(f"calm: echo $$ > {tmp_path}/calm; exec sleep 600\n")
    background = f"{sys.executable} -m planner.procs {tmp_path}/Procfile 2>{tmp_path}/log & echo $! > {tmp_path}/sup"
    subprocess.run(  # noqa: S603
        ["/bin/sh", "-c", background],
        cwd=ROOT,
        check=True,
        start_new_session=True,
    )
    wait_for(lambda: all((tmp_path / n).exists() and (tmp_path / n).read_text().strip() for n in ["calm", "sup"]))
    calm, supervisor = pids_in(tmp_path, "calm", "sup")
    try:
        time.sleep(1)
        assert alive(supervisor) and alive(calm)
        os.kill(supervisor, signal.SIGTERM)
        wait_for(lambda: not alive(supervisor) and not alive(calm))
    finally:
        for pid in (calm, supervisor):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_the_makefile_runs_the_supervisor_as_makes_own_child():
    """The SIGTERM make forwards goes to its child: that must be the supervisor, not a shell around it."""
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    command = [line for line in recipe.splitlines() if "planner.procs" in line or "exec" in line]
    assert command[0].strip().startswith("exec env "), command
    assert "-m planner.procs Procfile" in command[-1]


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


def test_a_stop_signal_make_blocked_only_while_starting_us_does_not_hide_a_later_stop(monkeypatch):
    """make blocks its fatal signals for a moment around each fork: a supervisor that read make's mask just
    then still sees make waiting for it after a SIGHUP."""
    hup = 1 << (signal.SIGHUP - 1)
    masks = iter([hup, 0, 0, hup, hup])  # at start (make forking us), idle, idle, then in its SIGHUP handler
    monkeypatch.setattr(procs, "blocked_signals", lambda pid: next(masks))
    monkeypatch.setattr(procs, "is_make", lambda pid: True)
    supervisor = procs.Supervisor([])
    seen = [supervisor.make_is_stopping() for _ in range(4)]
    assert seen == [False, False, False, True]
