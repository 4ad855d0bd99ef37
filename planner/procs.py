"""Run the processes of a Procfile together, and stop them all, leaving nothing behind.

    python -m planner.procs Procfile.scale
    python -m planner.procs Procfile Procfile.sso     # the processes of both

Each process runs in a process group of its own (`sh -c` its line). Every process is asked to stop on SIGTERM,
SIGINT, SIGHUP or SIGQUIT, when any process exits, and, under `make run`, when make is told to stop without passing
it on (a process manager that signals make's own process): make passes on SIGTERM only, so the supervisor stops
everything once make is gone, or once make waits for it after SIGINT, SIGHUP or SIGQUIT. Stopping is SIGTERM to the
process it started only (gunicorn's master and qcluster's main process stop their own workers cleanly; a signal to
the whole group at once reaches qcluster's sentinel and workers too, which is how a qcluster main process was left
behind as a husk, facts.md); once that process has exited, whatever it left in its group gets SIGTERM too. After
STOP_GRACE seconds, whatever is still alive in any of the groups (a husk, a worker it forgot) gets SIGKILL, and the
supervisor waits until every group is empty. As a child subreaper it also reaps orphans, so none stays a zombie.
Should the supervisor itself be killed outright (SIGKILL), the kernel sends each line's first process SIGTERM
(parent-death signal).

Exit status: 0 when stopped by a signal, 1 when a process exited on its own (the others are stopped then).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shlex
import signal
import subprocess
import sys
import time

STOP_GRACE = float(os.environ.get("STOP_GRACE", "15"))
LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")
PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)


def read_procfile(path: str) -> list[tuple[str, str]]:
    processes = []
    with open(path, encoding="utf-8") as procfile:
        for number, line in enumerate(procfile, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            match = LINE.match(line)
            if not match:
                raise SystemExit(f"{path}:{number}: not 'name: command': {line!r}")
            processes.append((match.group(1), match.group(2)))
    if not processes:
        raise SystemExit(f"{path}: no processes")
    return processes


def become_subreaper() -> None:
    # Not Linux: orphans go to init, which reaps them.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def term_when_parent_dies() -> None:
    """Run in each child between fork and exec: SIGTERM to it when the supervisor dies without stopping it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def blocked_signals(pid: int) -> int:
    """The signals `pid` blocks right now (a bit per signal number - 1; 0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("SigBlk:"):
                    return int(line.split()[1], 16)
    except (OSError, ValueError):
        pass
    return 0


def is_make(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8") as comm:
            return comm.read().strip() in ("make", "gmake")
    except OSError:
        return False


STOP_SIGNAL_BITS = sum(1 << (signum - 1) for signum in STOP_SIGNALS)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap() -> None:
    """Collect exited children (ours, and orphans handed to us as subreaper) so no zombie keeps a group alive."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def say(message: str) -> None:
    print(f"procs | {message}", file=sys.stderr, flush=True)


class Supervisor:
    def __init__(self, processes: list[tuple[str, str]]) -> None:
        self.processes = processes
        self.running: dict[str, subprocess.Popen] = {}
        self.stopping = False
        # Started by `make run`: once make is gone, nobody is left to stop us. (Started by anything else, say a
        # script that puts us in the background and exits, we keep running until told to stop.)
        self.parent = os.getppid()
        self.parent_is_make = is_make(self.parent)
        # GNU make passes only SIGTERM on to its children: on SIGINT, SIGHUP or SIGQUIT it waits for them inside
        # its signal handler, where the kernel blocks that signal. A stop signal blocked by our make (and not
        # at start, seen twice in a row) is make waiting for us to finish.
        self.parent_blocked_at_start = blocked_signals(self.parent) if self.parent_is_make else 0
        self.parent_seen_stopping = 0

    def start(self) -> None:
        for name, command in self.processes:
            self.running[name] = subprocess.Popen(  # noqa: S603 (the Procfile is ours)
                # The supervisor has no threads, so a preexec function is safe here.
                ["/bin/sh", "-c", command],
                start_new_session=True,
                preexec_fn=term_when_parent_dies,
            )
            say(f"started {name} (pid {self.running[name].pid}): {shlex.quote(command)}")

    def ask_to_stop(self, signum=None, frame=None) -> None:
        self.stopping = True

    def orphaned(self) -> bool:
        # A dead parent's children are handed to a subreaper or init: our parent pid changes.
        return self.parent_is_make and os.getppid() != self.parent

    def make_is_stopping(self) -> bool:
        if not self.parent_is_make:
            return False
        blocked = blocked_signals(self.parent)
        newly_blocked = blocked & ~self.parent_blocked_at_start & STOP_SIGNAL_BITS
        self.parent_seen_stopping = self.parent_seen_stopping + 1 if newly_blocked else 0
        if not newly_blocked:
            # make blocks its fatal signals for a moment around each fork: read then, the mask at start would
            # hide a later stop for good. Keep only what make blocks every time we look.
            self.parent_blocked_at_start &= blocked
        return self.parent_seen_stopping >= 2

    def run(self) -> int:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self.ask_to_stop)
        self.start()
        status = 0
        while not self.stopping:
            if self.orphaned():
                say(f"make (pid {self.parent}), which started us, is gone: stopping everything")
                break
            if self.make_is_stopping():
                say(f"make (pid {self.parent}) was told to stop and waits for us: stopping everything")
                break
            for name, process in self.running.items():
                if process.poll() is not None:
                    say(f"{name} exited with {process.returncode}: stopping the others")
                    status = 1
                    self.stopping = True
                    break
            time.sleep(0.2)
        self.stop()
        return status

    def stop(self) -> None:
        for name, process in self.running.items():
            if process.poll() is None:
                say(f"stopping {name} (SIGTERM to pid {process.pid})")
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)
        groups = {name: process.pid for name, process in self.running.items()}
        deadline = time.monotonic() + STOP_GRACE
        orphans_told: set[str] = set()
        while time.monotonic() < deadline and any(group_alive(pgid) for pgid in groups.values()):
            for name, process in self.running.items():
                # The process we started is gone but left others in its group (a `sh -c "a && b"` line's
                # child, a worker its parent forgot): SIGTERM to those too, before the grace runs out.
                if process.poll() is not None and name not in orphans_told and group_alive(groups[name]):
                    orphans_told.add(name)
                    say(f"{name}: exited, SIGTERM to what it left in its process group")
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(groups[name], signal.SIGTERM)
            reap()
            time.sleep(0.1)
        for name, pgid in groups.items():
            if group_alive(pgid):
                say(f"{name}: still alive {STOP_GRACE:g} s after SIGTERM, SIGKILL to its process group")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
        while any(group_alive(pgid) for pgid in groups.values()):
            reap()
            time.sleep(0.05)
        for process in self.running.values():
            process.poll()
        say("all stopped")


def main(argv: list[str]) -> int:
    # Several Procfiles run together (`make run` adds Procfile.sso, the local identity provider, when node is here).
    processes = [process for path in (argv[1:] or ["Procfile"]) for process in read_procfile(path)]
    become_subreaper()
    return Supervisor(processes).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
