"""``python -m planner serve --processes N``: the app on every core of one machine (issue #17).

One Streamlit server process uses about one core (``bench/rush.py``). This starts N of them,
each ``python -m streamlit run app.py`` on its own port of 127.0.0.1, and HAProxy (Debian's
``haproxy`` package) in front of them on the one public address, and stops them together.

Why each choice:

* **Set-up once, before the processes start.** The supervisor opens the planner itself first
  (schema migrations, the first admin, the demo events, the check-in key), under the same
  set-up lock ``config.open_planner`` uses, so the N processes find it all done and read
  the same key file. What runs inside every process is already safe with several: the mail
  sender's claims (``areas/outbox.claim``), the daily retention run (a row in ``meta``,
  ``care.mark_retention_run``), the programme cache (a counter the database's triggers
  bump, whichever process wrote).
* **Settings that must be equal are given, not guessed.** Streamlit's cookie secret
  (``server.cookieSecret``: it signs the XSRF token an upload carries) is the one in the
  environment (``STREAMLIT_SERVER_COOKIE_SECRET``) or a fresh random one for this run, handed
  to every process through its environment (not its command line, which other users can
  read in ``ps``); so are the resolved ``PLANNER_DB`` and ``PLANNER_BASE_URL``.
* **Sticky by cookie.** A Streamlit session lives in the memory of the process whose
  websocket it came in on, and a camera photo or file upload goes over plain HTTP to
  ``/_stcore/upload_file``: it must reach that same process. HAProxy sets a cookie
  (``planner_server``) on a browser's first answer and sends every later request of that
  browser (the websocket, uploads, a reconnect after a network blip) to the same process;
  a browser without it is given the next process in turn. If a process stops answering its
  health check, its browsers are sent to another one (they reconnect to a new session).
* **The client's address.** HAProxy replaces any ``X-Forwarded-For`` the client sent with the
  address it sees (``http-request set-header``), and the processes, listening on 127.0.0.1
  only, believe that header only from 127.0.0.1 (uvicorn's ``FORWARDED_ALLOW_IPS``, set
  here), so the flood limits and sign-in throttling count real clients and a client cannot
  name its own address.
* **No forced collection after every run.** Each process gets ``--runner.postScriptGC=false``
  unless the flags after ``--`` say otherwise: Streamlit's full garbage collection after
  every script run costs more the more sessions a process holds, and at 200 simultaneous
  users it made a journey cost 115 ms of server CPU instead of 19 (5.8 journeys a second
  instead of 28, one process, measured here). Python's own collector still runs as usual.
* **One core each.** Process *i* is held to the *i*-th core this supervisor may run on (Linux's
  CPU affinity, set between fork and exec, so every thread it starts keeps it; more
  processes than cores share them in turn), as nginx's ``worker_cpu_affinity`` and HAProxy's
  ``cpu-map`` do; HAProxy itself is left free. A Streamlit process runs Python one thread at
  a time (the interpreter lock), and its threads spread over the cores cost more CPU than they
  bring (most likely the hand-overs of that lock to a thread waiting on another core, each
  waking that core). Measured here, one process held to one core served a rush 1.14–1.59
  times the journeys a second of the same process free (3.7–4.5 instead of 5.3–6.4 ms of CPU
  a journey), and two processes held to a core each served 1.05–1.25 times what they served
  free (the machine's idle time during a rush fell from 0.11–0.17 of its two cores to
  0.02–0.07; README, *Serving a rush on all cores*). ``--no-pin`` leaves them free: for a
  machine shared with other busy programs.
* **Stopped together.** SIGTERM, SIGINT (Ctrl-C) or SIGHUP to the supervisor stops HAProxy and
  every process (SIGTERM, then SIGKILL after ten seconds); each child also gets SIGTERM from
  the kernel if the supervisor itself dies (``PR_SET_PDEATHSIG``), so even ``kill -9`` leaves
  no orphan holding a port or the database. If one process or HAProxy exits on its own, the
  others are stopped and ``serve`` exits with status 1: let the service manager (systemd's
  ``Restart=``) start it again.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # where app.py and .streamlit/config.toml are
STICKY_COOKIE = "planner_server"
HEALTHY_WITHIN = 90.0  # seconds for every process to answer /_stcore/health
STOP_WITHIN = 10.0  # seconds after SIGTERM before SIGKILL
_PR_SET_PDEATHSIG = 1
NO_FORCED_GC = ["--runner.postScriptGC", "false"]  # see "No forced collection" above


class ServeError(Exception):
    """``serve`` cannot start: the sentence says why."""


def default_processes() -> int:
    """One process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def cores_for(processes: int, available: set[int] | None = None) -> list[int | None]:
    """The core each process is held to: the cores this process may run on (``available``,
    default its own affinity), in order, given in turn; None for each where the system has no
    CPU affinity (not Linux): left free."""
    if available is None:
        if not hasattr(os, "sched_getaffinity"):
            return [None] * processes
        available = os.sched_getaffinity(0)
    cores = sorted(available)
    return [cores[i % len(cores)] for i in range(processes)]


def free_ports(count: int, address: str = "127.0.0.1", *, besides: int | None = None) -> list[int]:
    """``count`` different ports free on ``address`` now, none of them ``besides``. Each is asked of
    the system while the ones before it are still held: a port asked for and let go at once can
    come back on the next ask (two processes were once given one port, and one of them stopped)."""
    held: list[socket.socket] = []
    try:
        ports: list[int] = []
        while len(ports) < count:
            s = socket.socket()
            held.append(s)  # held even when it is ``besides``, so the next ask gets another
            s.bind((address, 0))
            port = s.getsockname()[1]
            if port != besides:
                ports.append(port)
        return ports
    finally:
        for s in held:
            s.close()


def haproxy_config(address: str, port: int, backends: list[int], *, secure_cookie: bool = False) -> str:
    """HAProxy's configuration: one front on ``address:port``, ``backends`` (ports of
    127.0.0.1) in turn, each browser kept on one by the ``planner_server`` cookie."""
    bind = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    cookie_flags = "httponly" + (" secure" if secure_cookie else "") + ' attr "SameSite=Lax"'
    servers = "\n".join(
        f"    server app{i} 127.0.0.1:{p} cookie app{i} check inter 2s fall 5 rise 2"
        for i, p in enumerate(backends, start=1)
    )
    return f"""# Written by `python -m planner serve` (planner/serve.py); regenerated at every start.
global
    # no maxconn: HAProxy takes the most this process's file limit allows (ulimit -n)

defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    # a Streamlit page is one long websocket: keep it open while the tab is
    timeout tunnel 2h
    timeout http-request 15s
    # a process busy with a rush answers its health check late, not never: only a dead one is taken out
    timeout check 10s
    option redispatch
    retries 2

frontend planner
    bind {bind}
    # the client's address as HAProxy saw it; whatever the client wrote itself is dropped
    http-request set-header X-Forwarded-For %[src]
    default_backend streamlit

backend streamlit
    balance roundrobin
    # a browser stays on one process: its websocket, its uploads, its reconnects
    cookie {STICKY_COOKIE} insert indirect nocache {cookie_flags}
    option httpchk GET /_stcore/health
{servers}
"""


def _child_setup(core: int | None):
    """What runs in a child between fork and exec: held to ``core`` (None: left free), and
    stopped when the supervisor dies."""

    def setup() -> None:
        if core is not None:
            try:
                os.sched_setaffinity(0, {core})
            except OSError:  # the core went offline since: the process runs free, as with --no-pin
                pass
        _die_with_parent()

    return setup


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the supervisor's own handlers still stop them
        pass
    if os.getppid() == 1:  # the supervisor died before prctl took effect
        os._exit(1)


@dataclass
class Served:
    """What ``start`` started: the processes, HAProxy and where it answers."""

    url: str
    apps: list[subprocess.Popen]
    ports: list[int]
    proxy: subprocess.Popen | None = None
    workdir: Path | None = None
    logs: list[Path] = field(default_factory=list)

    def all(self) -> list[subprocess.Popen]:
        return ([self.proxy] if self.proxy else []) + self.apps

    def exited(self) -> subprocess.Popen | None:
        return next((p for p in self.all() if p.poll() is not None), None)

    def stop(self) -> None:
        """SIGTERM to HAProxy and every process, SIGKILL to any still running ten seconds later."""
        for p in self.all():
            if p.poll() is None:
                p.terminate()
        deadline = time.monotonic() + STOP_WITHIN
        for p in self.all():
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=STOP_WITHIN)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def shared_env(settings, address: str, port: int, env=None) -> dict[str, str]:
    """The environment every process gets: the resolved database and public address, one
    cookie secret for all, and trust in ``X-Forwarded-For`` from this machine's proxy only."""
    env = dict(os.environ if env is None else env)
    env["PLANNER_DB"] = str(settings.db_path.resolve())
    env["PLANNER_BASE_URL"] = settings.base_url
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = env.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_urlsafe(32)
    env["FORWARDED_ALLOW_IPS"] = "127.0.0.1"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start(processes: int, address: str, port: int, *, flags: list[str] = (), env=None, haproxy: str | None = None,
          log_dir: Path | None = None, out=sys.stdout, pin: bool = True) -> Served:
    """Set up the database once, start ``processes`` Streamlit servers (each held to a core
    of its own, ``cores_for``, unless ``pin`` is False), wait until each answers, then start
    HAProxy on ``address:port``. Their output goes to this process's (interleaved), or with
    ``log_dir`` to ``app1.log``, ``app2.log``… and ``haproxy.log`` there. Raises
    ``ServeError`` in words."""
    from .config import open_planner, settings_from_env

    if processes < 1:
        raise ServeError("--processes must be at least 1.")
    flags = list(flags)
    if not any(f.startswith("--runner.postScriptGC") for f in flags):
        flags = [*NO_FORCED_GC, *flags]
    haproxy = haproxy or shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not haproxy:
        raise ServeError("HAProxy is not installed: install Debian's package (apt-get install haproxy).")
    base_env = dict(os.environ if env is None else env)
    if not (base_env.get("PLANNER_BASE_URL") or "").strip():
        host = "localhost" if address in ("0.0.0.0", "::", "127.0.0.1", "::1") else address
        base_env["PLANNER_BASE_URL"] = f"http://{host}:{port}"
    settings = settings_from_env(base_env)
    # Set-up once, here: schema, first admin, demo events, check-in key (no sender, no retention here).
    open_planner(settings, start_sender=False)
    child_env = shared_env(settings, address, port, base_env)

    workdir = Path(tempfile.mkdtemp(prefix="planner-serve-"))  # HAProxy's configuration
    if log_dir is not None:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
    served = Served(url=f"http://{'localhost' if address in ('0.0.0.0', '127.0.0.1') else address}:{port}",
                    apps=[], ports=[], workdir=workdir)
    cores = cores_for(processes) if pin else [None] * processes
    try:
        for i, (p_port, core) in enumerate(zip(free_ports(processes, besides=port), cores), start=1):
            log = Path(log_dir) / f"app{i}.log" if log_dir is not None else None
            with _output(log) as f:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "app.py",
                     "--server.address", "127.0.0.1", "--server.port", str(p_port),
                     "--server.headless", "true", "--browser.gatherUsageStats", "false", *flags],
                    cwd=ROOT, env=child_env, stdout=f, stderr=subprocess.STDOUT,
                    start_new_session=True, preexec_fn=_child_setup(core),
                )
            served.apps.append(proc)
            served.ports.append(p_port)
            served.logs.append(log)
            held = f" (core {core})" if core is not None else ""
            print(f"process {i}: pid {proc.pid}{held} on 127.0.0.1:{p_port}", file=out, flush=True)
        deadline = time.monotonic() + HEALTHY_WITHIN
        waiting = set(range(processes))
        while waiting:
            for i in sorted(waiting):
                if served.apps[i].poll() is not None:
                    raise ServeError(f"process {i + 1} stopped at start:\n{_tail(served.logs[i])}")
                if _healthy(served.ports[i]):
                    waiting.discard(i)
            if waiting and time.monotonic() > deadline:
                raise ServeError(f"process {min(waiting) + 1} did not answer within {HEALTHY_WITHIN:.0f} s:\n"
                                 f"{_tail(served.logs[min(waiting)])}")
            if waiting:
                time.sleep(0.2)
        config = workdir / "haproxy.cfg"
        config.write_text(haproxy_config(address, port, served.ports, secure_cookie=settings.secure_cookies))
        check = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
        if check.returncode != 0:
            raise ServeError(f"HAProxy refused its configuration:\n{check.stdout}{check.stderr}")
        proxy_log = Path(log_dir) / "haproxy.log" if log_dir is not None else None
        served.logs.append(proxy_log)
        with _output(proxy_log) as f:
            served.proxy = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=f, stderr=subprocess.STDOUT,
                                            start_new_session=True, preexec_fn=_die_with_parent)
        print(f"haproxy: pid {served.proxy.pid}", file=out, flush=True)
        deadline = time.monotonic() + 15
        while not _proxy_answers(address, port):
            if served.proxy.poll() is not None:
                raise ServeError(f"HAProxy stopped at start (is {address}:{port} free?):\n{_tail(proxy_log)}")
            if time.monotonic() > deadline:
                raise ServeError(f"HAProxy did not answer on {address}:{port}:\n{_tail(proxy_log)}")
            time.sleep(0.1)
    except BaseException:
        served.stop()
        raise
    return served


def _proxy_answers(address: str, port: int) -> bool:
    host = "127.0.0.1" if address in ("0.0.0.0", "") else ("::1" if address == "::" else address)
    try:
        with urllib.request.urlopen(f"http://{'[' + host + ']' if ':' in host else host}:{port}/_stcore/health",
                                    timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def _output(path: Path | None):
    """Where a child writes: its log file, or (None) this process's own output."""
    if path is None:
        yield None
        return
    with path.open("w") as f:  # the child keeps its own copy of the descriptor
        yield f


def _tail(path: Path | None, lines: int = 30) -> str:
    if path is None:
        return "(its output is above)"
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def run(processes: int, address: str, port: int, flags: list[str], log_dir: Path | None = None, *,
        pin: bool = True) -> int:
    """``python -m planner serve``: start, then wait for a signal or for a process to stop."""
    stop_signal: list[int] = []

    def on_signal(signum, frame):  # noqa: ARG001
        stop_signal.append(signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        served = start(processes, address, port, flags=flags, log_dir=log_dir, pin=pin)
    except ServeError as err:
        print(f"Side Event Planner cannot start: {err}", file=sys.stderr)
        return 2
    print(f"Serving on {served.url} with {processes} process{'es' if processes != 1 else ''} behind HAProxy. "
          "Stop with Ctrl-C.", flush=True)
    status = 0
    try:
        while not stop_signal:
            gone = served.exited()
            if gone is not None:
                what = "HAProxy" if gone is served.proxy else f"process {served.apps.index(gone) + 1}"
                print(f"{what} (pid {gone.pid}) stopped with status {gone.returncode}: stopping the others.",
                      file=sys.stderr, flush=True)
                status = 1
                break
            time.sleep(0.2)
    finally:
        served.stop()
    print("Stopped.", flush=True)
    return status
