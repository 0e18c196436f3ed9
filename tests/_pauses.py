"""The test side of ``topics.testhooks``: hold processes at named points, then kill or
release them, instead of racing the clock for the moment a fault must hit.

``Pauses(folder, "model-write")`` gives the environment a process needs (``env``; set it on a
child, or with ``monkeypatch`` for the pool workers of an in-process run), ``wait`` returns
the next process held at a point (a ``Paused``: its point, pid and details), and ``serve``
answers every held process in a background thread: ``kill`` those a predicate names (as the
out-of-memory killer or a crash would take their worker), release the others.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from topics.testhooks import AT_VARIABLE, DIR_VARIABLE, POINTS

#: How the runner reports a run whose worker was killed (by ``Paused.kill``).
KILLED = "worker process died during the run (killed by SIGKILL)"
#: Safety net only: how long a test waits for a point that should come.
TIMEOUT_S = 600
_POLL_S = 0.005


@dataclass(frozen=True)
class Paused:
    """A process held at ``point`` (it waits there until released or killed)."""

    point: str
    pid: int
    details: dict[str, Any]
    marker: Path = field(repr=False)

    def release(self) -> None:
        """Let the process go on."""
        self.marker.with_name(self.marker.name + ".go").touch()

    def kill(self) -> None:
        """SIGKILL the process (it is held, so the kill lands at exactly this point)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


class Pauses:
    """Processes started with ``env`` stop at ``points``; this object sees and answers them."""

    def __init__(self, folder: Path, *points: str):
        assert points and set(points) <= set(POINTS), points
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.env = {AT_VARIABLE: ",".join(points), DIR_VARIABLE: str(folder)}
        self.killed: list[Paused] = []
        self.released: list[Paused] = []
        self._seen: set[str] = set()
        self._queue: collections.deque[Paused] = collections.deque()

    def apply(self, monkeypatch) -> None:
        """Put ``env`` in this process's environment for the test (its forked workers and
        the processes it starts inherit it)."""
        for name, value in self.env.items():
            monkeypatch.setenv(name, value)

    def environ(self) -> dict[str, str]:
        """This process's environment plus ``env``: for a child process."""
        return {**os.environ, **self.env}

    def _scan(self) -> None:
        fresh = sorted((p for p in self.folder.iterdir()
                        if p.name.count(".") == 2 and p.name not in self._seen),
                       key=lambda p: (p.stat().st_mtime_ns, p.name))
        for path in fresh:
            self._seen.add(path.name)
            point, pid, _ = path.name.split(".")
            details = json.loads(path.read_text(encoding="utf-8"))
            self._queue.append(Paused(point, int(pid), details, path))

    def wait(self, proc: subprocess.Popen | None = None) -> Paused:
        """The next process held at a point (in the order they stopped).  Fails if ``proc``
        ends first."""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            self._scan()
            if self._queue:
                return self._queue.popleft()
            assert proc is None or proc.poll() is None, \
                f"the process ended (exit {proc.returncode}) before reaching {self.env}"
            assert time.monotonic() < deadline, f"no process reached {self.env}"
            time.sleep(_POLL_S)

    def answer(self, paused: Paused, kill: bool) -> None:
        """Kill or release ``paused``, and remember which."""
        if kill:
            self.killed.append(paused)
            paused.kill()
        else:
            self.released.append(paused)
            paused.release()

    @contextlib.contextmanager
    def serve(self, kill: Callable[[Paused], bool] = lambda paused: False) -> Iterator[None]:
        """While inside, every held process is killed if ``kill(paused)``, else released."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(_POLL_S):
                self._scan()
                while self._queue:
                    paused = self._queue.popleft()
                    self.answer(paused, kill(paused))

        thread = threading.Thread(target=loop, name="pauses", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            self.release_all()

    def release_all(self) -> None:
        """Release every process still held (none is left waiting when a test ends)."""
        self._scan()
        while self._queue:
            self.answer(self._queue.popleft(), kill=False)
