"""A real ``streamlit run`` on 127.0.0.1: the one way the browser journeys, the HTTP route tests,
the load test and ``bench/rush.py`` start a server.

``StreamlitServer(script, workdir)`` runs ``python -m streamlit run <script>`` from the
repository root (so it reads ``.streamlit/config.toml``) on a free port of 127.0.0.1, headless,
with this process's environment plus ``env`` and any extra ``flags``; its output goes to
``workdir/<name>.log``. Entering the ``with`` block waits until ``/_stcore/health`` answers
(a server that exits or stays unhealthy for a minute is stopped and raises with its log);
leaving it stops the server (terminate, then kill after ten seconds).

``ServedApp(workdir, processes=N)`` is the same app through ``python -m planner serve``: N
processes behind HAProxy, ``url`` being HAProxy's address.

``AppServer(workdir)`` is the app itself, ``app.py``, on a fresh database ``workdir/planner.db``
(``.db``) with the demo events and the first admin ``ADMIN_EMAIL`` / ``ADMIN_PASSWORD``; its
links (``PLANNER_BASE_URL``) point at the server itself unless ``own_base_url=False``.

It lives in bench/ because bench scripts run as ``python bench/rush.py`` cannot import from
tests/; the tests import it as ``bench.server``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "correct-horse-battery"
HEALTHY_WITHIN = 60  # seconds


_GIVEN: set[int] = set()  # ports this process handed out: one let go can be offered again (planner.serve.free_ports)


def free_port() -> int:
    """A port free on 127.0.0.1 now, never one this process handed out before."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


class StreamlitServer:
    """``python -m streamlit run <script>`` on 127.0.0.1, healthy inside the ``with`` block, stopped after it."""

    def __init__(
        self,
        script: str,
        workdir: Path,
        name: str = "server",
        env: Mapping[str, str] | None = None,
        flags: Sequence[str] = (),
    ):
        self.script, self.name, self.flags = script, name, list(flags)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(workdir) / f"{name}.log"
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", self.script,
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
            *self.flags,
        ]

    def __enter__(self):
        with self.log.open("w") as log:  # the child keeps its own copy of the file descriptor
            self.process = subprocess.Popen(self.command(), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + HEALTHY_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"{self.name} did not become healthy:\n{self.log.read_text()}")

    def __exit__(self, *exc) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss(self) -> float:
        """Resident memory of the server process (VmRSS), in MiB."""
        return _rss(self.pid)

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far."""
        return _cpu(self.pid)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def errors(self) -> dict[str, int]:
        """Uncaught exceptions the server logged: the last line of each traceback, counted."""
        return _errors_in(self.log)


class AppServer(StreamlitServer):
    """``streamlit run app.py`` on a fresh database in ``workdir``, demo events on, first admin known."""

    def __init__(
        self,
        workdir: Path,
        name: str = "app",
        env: Mapping[str, str] | None = None,
        flags: Sequence[str] = (),
        own_base_url: bool = True,
    ):
        super().__init__("app.py", workdir, name, flags=flags)
        self.db = Path(workdir) / "planner.db"
        self.env.update(
            PLANNER_DB=str(self.db),
            PLANNER_DEMO="on",
            PLANNER_ADMIN_EMAIL=ADMIN_EMAIL,
            PLANNER_ADMIN_PASSWORD=ADMIN_PASSWORD,
        )
        if own_base_url:
            self.env["PLANNER_BASE_URL"] = self.url
        self.env.update(env or {})


class ServedApp(AppServer):
    """``python -m planner serve --processes N``: the app on N processes behind HAProxy, on a
    fresh database in ``workdir`` like ``AppServer``; ``url`` is HAProxy's. Memory and CPU are
    the sums over the N app processes (``proxy_cpu_seconds`` is HAProxy's own); ``errors``
    reads every process's log (``workdir/<name>-logs/app1.log``…)."""

    def __init__(self, workdir: Path, processes: int = 2, name: str = "served", env: Mapping[str, str] | None = None,
                 flags: Sequence[str] = (), own_base_url: bool = True, pin: bool = True):
        super().__init__(workdir, name, env, flags, own_base_url)
        self.processes = processes
        self.pin = pin
        self.log_dir = Path(workdir) / f"{name}-logs"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "planner", "serve", "--processes", str(self.processes),
                "--address", "127.0.0.1", "--port", str(self.port), "--log-dir", str(self.log_dir),
                *([] if self.pin else ["--no-pin"]), "--", *self.flags]

    def __enter__(self):
        super().__enter__()
        deadline = time.monotonic() + HEALTHY_WITHIN  # healthy through HAProxy: the supervisor has said who is who
        while "Serving on" not in self.log.read_text(errors="replace"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError(f"{self.name} did not start:\n{self.log.read_text()}")
            time.sleep(0.1)
        return self

    def _said(self, prefix: str) -> list[str]:
        """The supervisor's lines about its children ("process 1: pid … on 127.0.0.1:…", "haproxy: pid …")."""
        return [line for line in self.log.read_text(errors="replace").splitlines()
                if line.startswith(prefix) and "pid " in line]

    def _pids(self, prefix: str) -> list[int]:
        return [int(line.split("pid ", 1)[1].split()[0]) for line in self._said(prefix)]

    @property
    def app_pids(self) -> list[int]:
        return self._pids("process ")

    @property
    def proxy_pid(self) -> int:
        return self._pids("haproxy:")[0]

    @property
    def app_urls(self) -> list[str]:
        """Each process's own address (127.0.0.1 only), as ``serve`` printed it: the processes
        reached without the proxy, for the bench's straight comparison."""
        return [f"http://{line.rsplit(' on ', 1)[1].strip()}" for line in self._said("process ")]

    def rss(self) -> float:
        return sum(_rss(pid) for pid in self.app_pids)

    def cpu_seconds(self) -> float:
        return sum(_cpu(pid) for pid in self.app_pids)

    def proxy_cpu_seconds(self) -> float:
        return _cpu(self.proxy_pid)

    def log_tail(self, lines: int = 40) -> str:
        return "\n\n".join(
            f"== {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
            for log in [self.log, *sorted(self.log_dir.glob("*.log"))]
        )

    def errors(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for log in sorted(self.log_dir.glob("app*.log")):
            for line, n in _errors_in(log).items():
                found[line] = found.get(line, 0) + n
        return found


def _rss(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def hold_to_cores(pid: int, cores: set[int]) -> None:
    """Every thread of process ``pid`` held to ``cores`` (``taskset -a -p``): the threads it starts
    later inherit it from theirs. With all the machine's cores, the process is free again."""
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            os.sched_setaffinity(int(task), cores)
        except ProcessLookupError:  # a thread that ended meanwhile
            pass


@contextmanager
def held_to(pid: int, core: int | None) -> Iterator[None]:
    """Process ``pid`` held to ``core`` inside the block (None: left as it is), then free on
    every core this process may use."""
    if core is None:
        yield
        return
    hold_to_cores(pid, {core})
    try:
        yield
    finally:
        hold_to_cores(pid, os.sched_getaffinity(0))


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _errors_in(log: Path) -> dict[str, int]:
    """Uncaught exceptions in a log: the last line of each traceback, counted."""
    found: dict[str, int] = {}
    lines = log.read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last)"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith(" ") or not lines[j].strip()):
                j += 1
            if j < len(lines):
                found[lines[j][:200]] = found.get(lines[j][:200], 0) + 1
    return found
