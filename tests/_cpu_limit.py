"""A CPU-time limit on the processes a test starts, as a batch system would impose one.

Tests of "a run that kills its own worker" use it with a run that would train for hours
(e.g. tomotopy with 10**7 sweeps): once its worker has used its CPU seconds the kernel kills
it with SIGXCPU, while short runs finish well within the limit.
"""

from __future__ import annotations

import contextlib
import math
import resource
import threading
from typing import Iterator

import psutil

#: How the runner reports a worker killed by the limit.
KILLED = "worker process died during the run (killed by SIGXCPU)"


def _at_depth(root: psutil.Process, depth: int) -> list[psutil.Process]:
    level = [root]
    for _ in range(depth):
        level = [child for proc in level for child in _children(proc)]
    return level


def _children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.children()
    except psutil.NoSuchProcess:
        return []


def _limit(proc: psutil.Process, seconds: int) -> tuple[int, int] | None:
    """Give ``proc`` ``seconds`` more CPU seconds and no core file; its old CPU limit."""
    try:
        used = sum(proc.cpu_times()[:2])
        old = resource.prlimit(proc.pid, resource.RLIMIT_CPU)
        soft = max(1, round(used + seconds))
        if old[1] != resource.RLIM_INFINITY:
            soft = min(soft, old[1])
        resource.prlimit(proc.pid, resource.RLIMIT_CORE,
                         (0, resource.prlimit(proc.pid, resource.RLIMIT_CORE)[1]))
        resource.prlimit(proc.pid, resource.RLIMIT_CPU, (soft, old[1]))
        return old
    except (psutil.NoSuchProcess, ProcessLookupError):
        return None


@contextlib.contextmanager
def cpu_limited_workers(seconds: int, *, depth: int = 1) -> Iterator[None]:
    """While inside, each process started ``depth`` levels below this one (1: its children,
    e.g. pool workers; 2: grandchildren, e.g. the workers of a ``topics`` CLI child) gets
    ``seconds`` CPU seconds from when it is seen (polled every 5 ms); past them the kernel
    kills it with SIGXCPU.  Processes running on entry are left alone; on exit the limited
    ones still alive get their old limit back."""
    me = psutil.Process()
    seen = {(p.pid, p.create_time()) for p in _at_depth(me, depth)}
    limited: dict[tuple[int, float], tuple[psutil.Process, tuple[int, int]]] = {}
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.005):
            for proc in _at_depth(me, depth):
                try:
                    key = (proc.pid, proc.create_time())
                except psutil.NoSuchProcess:
                    continue
                if key not in seen:
                    seen.add(key)
                    old = _limit(proc, seconds)
                    if old is not None:
                        limited[key] = (proc, old)

    watcher = threading.Thread(target=watch, name="cpu-limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
        for proc, old in limited.values():
            with contextlib.suppress(psutil.NoSuchProcess, ProcessLookupError):
                if proc.is_running():
                    resource.prlimit(proc.pid, resource.RLIMIT_CPU, old)
