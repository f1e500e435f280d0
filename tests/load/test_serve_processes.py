"""The app on two processes behind HAProxy: ``python -m planner serve --processes 2`` (issue #17).

A real supervisor starts two ``streamlit run app.py`` processes on a fresh database and
HAProxy in front of them; everything below goes through HAProxy's one address, driven over
Streamlit's websocket protocol by bench/stclient.py (a client that keeps cookies, as a
browser does):

* the rush correctness test of tests/load/test_rush.py (50 RSVPs at the same moment, two
  doors with double scans, an organizer's live counter), with the visitors spread over both
  processes;
* a door volunteer's camera photo: the upload goes over plain HTTP and must reach the process
  holding the volunteer's session (HAProxy's cookie), else Streamlit answers 400;
* a client's own ``X-Forwarded-For`` does not get it past the per-address limit;
* stopping the supervisor (SIGTERM, or even SIGKILL) stops every process and HAProxy.

No timing is asserted. ``python bench/rush.py --processes 2`` is the bigger run with timings.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench import rush
from bench.server import ADMIN_EMAIL, ROOT, ServedApp, free_port
from bench.stclient import StClient
from planner import Planner
from planner.serve import STICKY_COOKIE, haproxy_config

from .test_rush import CAPACITY, DOOR_EACH, DOOR_SHARED, PEOPLE


def require_haproxy() -> None:
    if not Path("/usr/sbin/haproxy").exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("HAProxy must be installed in CI (.ci/run installs Debian's haproxy).")
        pytest.skip("HAProxy is not installed (apt-get install haproxy).")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_haproxy()
    with ServedApp(tmp_path_factory.mktemp("served"), processes=2, env=rush.UNLIMITED) as app:
        yield app


def _explain(server, problems: list[str]) -> str:
    errors = server.errors()
    return "\n".join(problems[:20]) + (f"\nserver logs: {errors}" if errors else "")


def test_browsers_are_spread_over_both_processes_and_each_kept_on_one(served):
    async def cookies():
        seen = []
        for _ in range(6):
            client = StClient(served.url)
            await client.open("/")
            first = client.cookies[STICKY_COOKIE]
            await client.rerun()  # the same tab again, with its cookie: the same process
            await client.close()
            await client.open("/")  # a reload: a new websocket, with the cookies the tab kept
            assert client.cookies[STICKY_COOKIE] == first
            seen.append(first)
            await client.close()
        return seen

    seen = asyncio.run(cookies())
    assert set(seen) == {"app1", "app2"}, seen


def test_rush_then_busy_door_through_the_proxy(served):
    app_planner = Planner(served.db, base_url=served.url)
    event_id = rush.prepare_event(app_planner, CAPACITY, copy=False)
    admin = next(u for u in app_planner.list_users() if u.email == ADMIN_EMAIL)
    token = app_planner.start_session(admin.id)
    cpu_before = [served.cpu_seconds()]

    async def scenario():
        journeys = await asyncio.wait_for(rush.rush_at_once(rush.Target.event(served.url, event_id), PEOPLE, "P"), 180)
        door = await asyncio.wait_for(
            rush.busy_door(served.url, app_planner, event_id, token, DOOR_EACH, DOOR_SHARED, pace=0.0, limit_s=30), 180
        )
        return journeys, door

    journeys, door = asyncio.run(scenario())

    problems = rush.check_rsvps(app_planner, event_id, journeys, CAPACITY)
    assert not problems, _explain(served, problems)
    shown = sorted((j.shown for j in journeys), key=lambda s: (s[0], s[1] or 0))
    assert shown == [("confirmed", None)] * CAPACITY + [("waitlisted", k) for k in range(1, PEOPLE - CAPACITY + 1)]
    counts = app_planner.event_counts(event_id)
    assert (counts.confirmed, counts.waitlisted) == (CAPACITY, PEOPLE - CAPACITY)

    problems = rush.check_door(app_planner, event_id, door, DOOR_EACH, DOOR_SHARED)
    assert not problems, _explain(served, problems)
    unique = 2 * DOOR_EACH - DOOR_SHARED
    assert sorted(s.verdict for s in door.scans) == ["amber"] * DOOR_SHARED + ["green"] * unique
    assert app_planner.attendance(event_id).checked_in == unique
    assert door.counter[-1] == unique
    assert served.cpu_seconds() > cpu_before[0]
    assert not served.errors(), served.errors()


def test_the_bench_reaches_each_process_straight_and_compares_with_and_without_the_proxy(served, monkeypatch):
    """``bench/rush.py --processes N`` also drives the N processes on their own ports (no proxy,
    the users split between them): each burst's journeys all land, each person is shown what the
    database holds, and the straight bursts come back beside the ones through the proxy."""
    urls = served.app_urls
    assert len(urls) == 2 and len(set(urls)) == 2 and served.url not in urls
    for url in urls:  # each a process of its own, answering without the proxy
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as answer:
            assert answer.status == 200 and STICKY_COOKIE not in (answer.headers.get("Set-Cookie") or "")
    app_planner = Planner(served.db, base_url=served.url)

    # a list of targets is split by user: user u visits target[u % 2] (here the second is a closed port)
    event_id = rush.prepare_event(app_planner, 10, copy=True)
    closed = f"http://127.0.0.1:{free_port()}"
    journeys, _ = asyncio.run(rush.closed_loop(
        [rush.Target.light(urls[0], event_id), rush.Target.light(closed, event_id)], 2, 6, "Split"))
    assert any(j.ok for j in journeys) and any(not j.ok for j in journeys), [(j.ok, j.error) for j in journeys]
    assert all("onnect" in j.error for j in journeys if not j.ok), [j.error for j in journeys]

    # the one-process leg goes to the proxy's address too: what is tested is the wiring
    sizes = rush.Sizes(scale_users=(4,), scale_per_user=3, scale_bursts=3)
    through, straight, held = asyncio.run(rush.scale_comparison(served, app_planner, served, app_planner, sizes,
                                                                straight=True))
    assert held == {}  # asked for only with pinned=True

    assert list(through) == list(straight) == [4]
    assert len(through[4]) == len(straight[4]) == 3
    for (one, proxied), (same_one, direct) in zip(through[4], straight[4]):
        assert same_one is one  # each straight burst is compared with its own burst's one-process leg
        assert (proxied.server, direct.server) == ("x2", "x2 straight")
        for row in (one, proxied, direct):
            assert (row.ok, row.failed, row.problems) == (12, 0, []), row
            assert row.rate > 0

    # and the straight leg is the one that goes to the processes' own addresses (here a closed port)
    monkeypatch.setattr(ServedApp, "app_urls", property(lambda self: [closed]))
    through, straight, _ = asyncio.run(rush.scale_comparison(
        served, app_planner, served, app_planner, rush.Sizes(scale_users=(2,), scale_per_user=2, scale_bursts=1),
        straight=True))
    ((one, proxied),), ((_, direct),) = through[2], straight[2]
    assert (one.ok, proxied.ok, direct.ok, direct.failed) == (4, 4, 0, 4)
    assert all("onnect" in problem for problem in direct.problems[:4]), direct.problems
    assert not served.errors(), served.errors()


def _jpeg(png: bytes) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_camera_photo_reaches_the_process_that_holds_the_door_session(served):
    app_planner = Planner(served.db, base_url=served.url)
    event = app_planner.get_event(rush.prepare_event(app_planner, 100, copy=True))
    guest = app_planner.register(event.id, name="Ana Pérez", email="ana.camera@example.org")
    secret = app_planner.create_door_pass(event.id, "Camera door").url.split("pass=", 1)[1]
    photo = _jpeg(app_planner.ticket_qr_png(guest.manage_token))

    async def scans():
        verdicts = []
        for _ in range(4):  # new tabs, handed out to both processes in turn
            client = StClient(served.url, timeout=60)
            try:
                await client.open("/checkin", f"pass={secret}")
                (camera,) = client.find(type="camera_input")
                await client.upload(camera.key, photo)
                assert not client.exceptions(), client.exceptions()
                verdicts.append((client.cookies[STICKY_COOKIE], rush.verdict_of(client, "Ana Pérez")))
            finally:
                await client.close()
        return verdicts

    verdicts = asyncio.run(scans())
    assert [v for _, v in verdicts] == ["green", "amber", "amber", "amber"]
    assert {server for server, _ in verdicts} == {"app1", "app2"}
    assert app_planner.attendance(event.id).checked_in == 1


def test_an_upload_sent_to_the_other_process_is_refused(served):
    """Why the cookie matters: the same upload with the other process's cookie fails."""
    app_planner = Planner(served.db, base_url=served.url)
    event_id = rush.prepare_event(app_planner, 100, copy=True)
    secret = app_planner.create_door_pass(event_id, "Wrong door").url.split("pass=", 1)[1]

    async def upload_elsewhere():
        client = StClient(served.url, timeout=60)
        try:
            await client.open("/checkin", f"pass={secret}")
            mine = client.cookies[STICKY_COOKIE]
            client.cookies[STICKY_COOKIE] = "app2" if mine == "app1" else "app1"
            (camera,) = client.find(type="camera_input")
            await client.upload(camera.key, b"not a photo")
        finally:
            await client.close()

    with pytest.raises(Exception, match="upload answered 400"):
        asyncio.run(upload_elsewhere())


def test_a_forwarded_header_the_client_writes_does_not_get_past_the_address_limit(tmp_path):
    """HAProxy replaces the client's X-Forwarded-For with the address it sees (here
    127.0.0.1, unknown to the limits: one shared key), so three visitors claiming three
    addresses share one address's limit of 2; each gets its own session."""
    require_haproxy()
    limits = {**rush.UNLIMITED, "PLANNER_REGISTRATIONS_PER_ADDRESS": "2"}
    with ServedApp(tmp_path, processes=1, env=limits) as app:
        app_planner = Planner(app.db, base_url=app.url)
        event_id = rush.prepare_event(app_planner, 100, copy=False)
        target = rush.Target.event(app.url, event_id)

        async def three():
            out = []
            for i in range(3):
                client = StClient(app.url, headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
                try:
                    await client.open(target.path, target.query)
                    (button,) = [e for e in client.find(type="button") if e.form_id == target.form_id]
                    name, email, org = rush.person("Forged", i)
                    await client.submit_form(button.key, {target.fields[0]: name, target.fields[1]: email})
                    out.append(client.has_text("Too many registrations came from here"))
                finally:
                    await client.close()
            return out

        assert asyncio.run(three()) == [False, False, True]
        assert len(app_planner.registrations(event_id)) == 2


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _start_serve(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
    env.update(PLANNER_DB=str(tmp_path / "data" / "planner.db"), PLANNER_DEMO="off")
    log = tmp_path / "serve.log"
    with log.open("w") as f:
        proc = subprocess.Popen([sys.executable, "-m", "planner", "serve", "--processes", "2", "--address", "127.0.0.1",
                                 "--port", str(free_port())], cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while "Serving on" not in log.read_text():
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    pids = [int(line.split("pid ", 1)[1].split()[0]) for line in log.read_text().splitlines() if "pid " in line]
    assert len(pids) == 3, log.read_text()  # two processes and HAProxy
    assert all(_alive(pid) for pid in pids)
    for pid in pids[:2]:  # Streamlit's after-run collection off (a rush's sessions made it 5x dearer)
        assert "--runner.postScriptGC\0false" in Path(f"/proc/{pid}/cmdline").read_text()
    return proc, pids


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "Ctrl-C", "kill -9"])
def test_stopping_serve_stops_every_process_and_the_proxy(tmp_path, how):
    require_haproxy()
    proc, pids = _start_serve(tmp_path)
    proc.send_signal(how)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if _alive(pid)], "left running after the supervisor stopped"
    if how != signal.SIGKILL:
        assert proc.returncode == 0


def _cores_of_every_thread(pid: int) -> list[set[int]]:
    return [os.sched_getaffinity(int(task)) for task in os.listdir(f"/proc/{pid}/task")]


def test_each_process_and_every_thread_it_started_is_held_to_a_core_of_its_own(served):
    """``serve`` holds process i to the i-th core it may run on (threads started since keep it);
    HAProxy is left free."""
    from planner.serve import cores_for

    mine = os.sched_getaffinity(0)
    wanted = cores_for(2)
    assert wanted == [sorted(mine)[0], sorted(mine)[1 % len(mine)]]
    for pid, core in zip(served.app_pids, wanted):
        threads = _cores_of_every_thread(pid)
        assert len(threads) > 3, "a Streamlit server runs several threads by now"
        assert all(cores == {core} for cores in threads), (pid, core, threads)
    assert os.sched_getaffinity(served.proxy_pid) == mine
    assert f"(core {wanted[0]}) on 127.0.0.1:" in served.log.read_text()


def test_cores_are_given_in_turn_and_no_pin_leaves_the_processes_free(monkeypatch):
    from planner import serve

    assert serve.cores_for(3, {0, 1}) == [0, 1, 0]
    assert serve.cores_for(2, {5, 2, 7}) == [2, 5]
    assert serve.cores_for(1, {3}) == [3]
    monkeypatch.delattr(os, "sched_getaffinity")  # a system without CPU affinity: left free
    assert serve.cores_for(2) == [None, None]
    monkeypatch.undo()

    show = [sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"]
    core = max(os.sched_getaffinity(0))
    held = subprocess.run(show, preexec_fn=serve._child_setup(core), capture_output=True, text=True, check=True)
    assert held.stdout.strip() == str([core])
    free = subprocess.run(show, preexec_fn=serve._child_setup(None), capture_output=True, text=True, check=True)
    assert free.stdout.strip() == str(sorted(os.sched_getaffinity(0)))

    from planner.__main__ import main

    asked = []
    monkeypatch.setattr(serve, "run", lambda *args, **kw: asked.append((args, kw)) or 0)
    assert main(["serve", "--processes", "2", "--no-pin"]) == 0
    assert main(["serve", "--processes", "2"]) == 0
    assert [kw["pin"] for _, kw in asked] == [False, True]


def test_the_bench_holds_a_process_to_one_core_and_frees_it_after(tmp_path):
    """``bench/rush.py --processes N`` drives the one process held to one core too (information):
    every thread, and one started while held, is held in the block and free after it, even when
    the block fails."""
    from bench.server import held_to

    script = ("import threading, time, sys\n"
              "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
              "print('ready', flush=True)\n"
              "sys.stdin.readline()\n"
              "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
              "print('more', flush=True)\n"
              "time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        mine = os.sched_getaffinity(0)
        core = min(mine)
        with pytest.raises(RuntimeError):
            with held_to(proc.pid, core):
                proc.stdin.write("go\n")
                proc.stdin.flush()
                assert proc.stdout.readline().strip() == "more"
                threads = _cores_of_every_thread(proc.pid)
                assert len(threads) == 3 and all(cores == {core} for cores in threads), threads
                raise RuntimeError("a burst that fails")
        assert all(cores == mine for cores in _cores_of_every_thread(proc.pid))
        with held_to(proc.pid, None):  # None: left as it is
            assert all(cores == mine for cores in _cores_of_every_thread(proc.pid))
    finally:
        proc.kill()
        proc.wait()


def test_the_proxy_replaces_the_clients_forwarded_header_and_keeps_browsers_on_one_process():
    config = haproxy_config("0.0.0.0", 8501, [40001, 40002])
    assert "http-request set-header X-Forwarded-For %[src]" in config
    assert f"cookie {STICKY_COOKIE} insert indirect nocache httponly" in config
    assert "server app1 127.0.0.1:40001 cookie app1" in config and "server app2 127.0.0.1:40002 cookie app2" in config
    assert "secure" in haproxy_config("0.0.0.0", 443, [40001], secure_cookie=True)


class _Kernel:
    """Sockets whose ``bind`` to port 0 gets the lowest port no open socket holds: a port asked for
    and let go at once comes back on the next ask, as it once did here (two processes were given
    one port, and one of them stopped: "Port … is not available")."""

    def __init__(self):
        self.held: set[int] = set()

    def socket(self):
        kernel = self

        class Socket:
            port = None

            def bind(self, where):
                assert where[1] == 0
                self.port = min(set(range(40000, 40100)) - kernel.held)
                kernel.held.add(self.port)

            def getsockname(self):
                return ("127.0.0.1", self.port)

            def close(self):
                kernel.held.discard(self.port)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.close()

        return Socket()


def test_each_process_gets_a_port_of_its_own_and_never_the_proxys(monkeypatch):
    from types import SimpleNamespace

    from planner import serve

    kernel = _Kernel()
    monkeypatch.setattr(serve, "socket", SimpleNamespace(socket=kernel.socket))
    assert serve.free_ports(3) == [40000, 40001, 40002]
    assert serve.free_ports(3, besides=40001) == [40000, 40002, 40003]
    assert kernel.held == set()  # every port let go for the processes to take
    monkeypatch.undo()
    ports = serve.free_ports(16)  # the real system's
    assert len(set(ports)) == 16


def test_serve_says_in_words_why_it_cannot_start(tmp_path, capsys):
    from planner.serve import ServeError, start

    env = {"PLANNER_DB": str(tmp_path / "data" / "planner.db"), "PLANNER_DEMO": "off"}
    with pytest.raises(ServeError, match="at least 1"):
        start(0, "127.0.0.1", free_port(), env=env)
    with pytest.raises(ServeError, match="HAProxy refused its configuration|HAProxy stopped"):
        start(1, "127.0.0.1", free_port(), env=env, haproxy="/bin/false")
    assert not list((tmp_path / "data").glob("*.log"))
