"""A registration rush and a busy door, through the real server (issues #5 and #17).

Run from the repository root:

    python bench/rush.py                  # one process: the app against the bare floor, then the rushes
    python bench/rush.py --quick          # smaller numbers, same checks
    python bench/rush.py --processes 2    # the app on 2 processes behind HAProxy against one process
    python bench/rush.py --processes 2 --wrk   # and that comparison again with Debian's wrk as the visitors
    python bench/rush.py --flag=--server.enableWebsocketCompression=true   # extra `streamlit run` flags, every server

**One process (the default).** Four servers on 127.0.0.1, each ``python -m streamlit run``
from this folder's parent (so all read the same ``.streamlit/config.toml``), through
``bench/server.py``:

* the app, ``app.py``, on a fresh database in a temporary folder, demo events on;
* the bare comparison app, ``bench/bare_app.py``: a fair floor, the same three-field form
  doing what a real RSVP does in one SQLite ``BEGIN IMMEDIATE`` transaction behind an
  in-process lock (the event's capacity, its confirmed count, the insert as confirmed or
  at the end of the waiting list) and answering in the app's words;
* the same two again with ``--runner.postScriptGC=false`` ("app0", "bare0"): the
  like-for-like comparison, without Streamlit's full garbage collection after every run
  (whose cost grows with the heap, so it charges the bigger app more than the bare one).

All get ``--server.disconnectedSessionTTL`` (Streamlit keeps a closed tab's session for
120 s by default, so a reconnecting tab finds its state; the bench sets it to a few
seconds so memory after a run can be read without waiting two minutes) and
``--server.fileWatcherType none`` (no source watching per session, as in production).

**Which page.** The app's side of every RSVP journey is its light public event page
``/e/<id>``: the page people open from shared links, QR codes and emails, plain server-rendered
HTML whose RSVP form is an HTML form POSTed back to the same address (issue #17;
planner/web/event_page.py). One person there is a browser's first visit,
through ``bench/stclient.py``'s ``HtmlVisitor``, its requests on one new connection kept alive
as a browser keeps it (``HttpConnection``): GET
``/e/<id>`` (the ``planner_browser`` cookie from ``Set-Cookie``, the form's hidden ``form_key``
from the HTML), then POST ``/e/<id>`` urlencoded (form_key, name, email, organization) with the
cookie and the site's own ``Origin``, which answers 303 to the page with the answer (its cookie
set), GET as a browser follows it, and the answer read from the ``#answer`` element's text.
Page load is the first GET, submit + result the POST and the GET after it. The in-app Streamlit event page ``/event?id=``
(organizers' drafts, people already in the app) is measured once per pair for information.

Visitors of Streamlit pages (the bare app, ``/event?id=``, the doors) are ``bench/stclient.py``
clients speaking Streamlit's websocket protocol, one per person, each a new session: health
check (XSRF cookie), websocket, page load, form submit (a fragment rerun when the form is in a
fragment, as the browser sends it), result.
Scenarios, each on its own copy of the demo event "GCM celebration…" (the first rush uses
the demo event itself; later ones use published duplicates of it):

* speed — five interleaved bursts: in each, 50 simultaneous users do RSVP journeys (load +
  submit + result) back to back on the bare app and on the app's light page of both pairs,
  one after the other, the order turned every burst. Two standing lines, side by side, give
  the medians over the five bursts of app/bare journeys per second and of app/bare p95
  journey time: by default (postScriptGC on) the app should reach 0.8 with a p95 ratio at
  most 1.5; like for like it should reach 1.0 with a p95 ratio at most 1.2. In burst 1 only,
  the in-app Streamlit event page ``/event?id=`` runs the same journeys after the other two
  (on its own event) and one information line per pair gives its ratios to the bare app of
  that burst, without a bound (in every burst it would double the run time);
* rush at once — 200 people open ``/e/<id>`` and then all submit in the same moment
  (capacity 150);
* rush over 60 s — 500 people arriving evenly over 60 s at ``/e/<id>`` (capacity 300) while two door
  sessions (door passes) check in 100 guests each by typed codes (20 codes at both doors)
  and an organizer, signed in through the ``planner_session`` cookie on the websocket
  handshake, keeps the door page's live counter open (its 3-second fragment timer run by
  the client).

**``--processes N``.** ``python -m planner serve --processes N`` (N app processes behind
HAProxy, ``planner/serve.py``) and one plain ``streamlit run app.py``, both fresh:

* scale — journeys per second on the light page ``/e/<id>`` at 50 and at 200 simultaneous
  users, one process and N behind the proxy in interleaved bursts (three by default); the ratio N/one (median) should
  be at least 1.6 at both. Both run with ``--runner.postScriptGC=false`` (``serve``'s default;
  ``--flag=--runner.postScriptGC=true`` turns it on for both). For information, where the
  machine's cores went in the N-process bursts (servers, the bench, HAProxy and the rest, idle)
  and the journeys/s the N processes would reach with every core the others left them, at their
  own CPU per journey: how far the ratio could go on this machine. Each burst also drives the N
  processes straight, on their own ports without the proxy (the users split evenly between
  them), printed for information: what the proxy hop costs; and last, the one process held to
  one core (``taskset -c``, as ``serve`` holds each of its processes), printed for information
  against the same process free and against the N processes: what holding alone is worth. With ``--wrk``, the same
  comparison again with Debian's ``wrk`` as the visitors (``bench/journey.lua``, a wrk thread a
  user; every person it logs checked against the database), printed for information: wrk costs a
  fraction of the CPU the Python visitors do, which leaves the servers more of the machine;
* the rush at once and the rush over 60 s with the doors, as above, through the proxy;
* camera door — a volunteer's phone scans 20 tickets by camera (each photo uploaded over
  plain HTTP, as ``st.camera_input`` does, so it must reach the process holding the
  session), then the first one again: 20 greens and one amber.

After each scenario the database is checked: every submission stored once, each person
shown the status (and waiting-list place) the database holds, confirmed = capacity when
oversubscribed, no ``exception`` element anywhere, no HTTP 5xx and no "Traceback" or
"Internal Server Error" in an HTML answer, exactly one green per code (one green and
one amber for the codes scanned at both doors), the counter's last number equal to
``attendance().checked_in``; the bare app's database too. Server memory (VmRSS of the
streamlit process, summed over the processes behind a proxy) is read at idle, sampled during
each scenario for the peak, and read again once the scenario's sessions have closed and
expired. The rushes repeat (3 times; ``--repeat``) to show no growth: the highest after-run
RSS of the last repeat may exceed the first repeat's by at most 10 MiB.

The table: ok / fail per person (per scan on the doors' rows); jour/s, completed journeys per
second of the scenario's wall time (scans per second for the doors); p50 / p95 / max of one
journey, page load + submit + result (one scan for the doors); cpu ms, the server's CPU time
per journey (read from /proc, all app processes behind a proxy); RSS idle / peak / after in MiB.
The progress lines of the speed and scale bursts also give the bench's own CPU per journey and
what other processes on the machine used meanwhile (in cores, from /proc/stat): the visitors
share the machine with the servers, and a busy shared machine shows there; the load average
is printed at the start and the end.

Every request goes to 127.0.0.1; every loop is bounded in count and in time; the script
stops every server and exits by itself (status 1 if a requirement failed).
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python bench/rush.py`: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import html  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from babel.numbers import parse_number  # noqa: E402

from bench.bare_app import add_event as add_bare_event  # noqa: E402
from bench.server import ADMIN_EMAIL, AppServer, ServedApp, StreamlitServer, held_to  # noqa: E402
from bench.stclient import HtmlVisitor, StClient  # noqa: E402

from planner import Planner  # noqa: E402

GCM_TITLE = "GCM celebration"
SESSION_TTL = 2  # --server.disconnectedSessionTTL for the bench's servers (default 120)
RUN_TIMEOUT = 120.0  # seconds: a script run (page load, submit, scan, counter tick) not finished by then failed
EXTRA_FLAGS: list[str] = []  # more `streamlit run` flags for both servers (--flag)

# ---------------------------------------------------------------------- servers


def server_flags() -> list[str]:
    """The `streamlit run` flags of both servers, on top of bench/server.py's own."""
    return [
        "--server.runOnSave", "false",
        "--server.fileWatcherType", "none",
        "--server.disconnectedSessionTTL", str(SESSION_TTL),
        *EXTRA_FLAGS,
    ]


# Every visitor here comes from 127.0.0.1, one address to the app's flood limits (60 a minute by
# default): a rush of hundreds is what they exist to stop. The bench measures the app, not the
# limits, so it lifts them for its own server (tests/domain/test_registration_limits.py tests them).
UNLIMITED = {
    "PLANNER_REGISTRATIONS_PER_SESSION": "1000000",
    "PLANNER_REGISTRATIONS_PER_ADDRESS": "1000000",
    "PLANNER_REGISTRATIONS_PER_EVENT": "1000000",
}


def app_server(workdir: Path, flags: list[str] = (), name: str = "app") -> AppServer:
    """The app on a fresh database with the demo events, flood limits lifted; its links keep the default base URL."""
    return AppServer(workdir, name=name, env=UNLIMITED, flags=[*server_flags(), *flags], own_base_url=False)


def bare_server(workdir: Path, name: str = "bare", flags: list[str] = ()) -> StreamlitServer:
    """bench/bare_app.py on its own database (``server.bare_db``)."""
    server = StreamlitServer("bench/bare_app.py", workdir, name, {"BARE_DB": str(workdir / f"{name}.db")},
                             [*server_flags(), *flags])
    server.bare_db = str(workdir / f"{name}.db")
    return server


NO_GC = ["--runner.postScriptGC", "false"]  # like for like: no full collection after each run, on both sides


def check_bare(server: StreamlitServer, bare_event: int, journeys: list["Journey"], capacity: int) -> list[str]:
    """The bare app's database after a burst: everyone once, shown what is stored, confirmed = capacity."""
    import sqlite3

    conn = sqlite3.connect(server.bare_db)
    try:
        rows = conn.execute("SELECT email, status, position FROM registrations WHERE event_id = ?", [bare_event]).fetchall()
    finally:
        conn.close()
    problems = [f"{j.name}: {j.error}" for j in journeys if not j.ok]
    stored = {}
    for email, status, position in rows:
        stored.setdefault(email, []).append((status, position))
    for j in journeys:
        found = stored.get(j.email, [])
        if len(found) != 1:
            problems.append(f"bare {j.email}: {len(found)} rows")
        elif j.ok and j.shown != found[0]:
            problems.append(f"bare {j.name} shown {j.shown}, stored {found[0]}")
    if sum(status == "confirmed" for _, status, _ in rows) != min(capacity, len(rows)):
        problems.append(f"bare: confirmed {sum(st == 'confirmed' for _, st, _ in rows)} for capacity {capacity}")
    return problems


def machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (all cores, from /proc/stat): with the
    server's and the bench's own, it shows what else ran during a burst (a shared machine)."""
    import os

    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def load_line() -> str:
    with open("/proc/loadavg") as f:
        return "machine load average (1, 5, 15 min): " + ", ".join(f.read().split()[:3])


class RssSampler:
    """The highest VmRSS of some processes while the block runs (sampled every 0.1 s)."""

    def __init__(self, *servers: StreamlitServer):
        self.servers = servers
        self.peak = {s.name: 0.0 for s in servers}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            for s in self.servers:
                self.peak[s.name] = max(self.peak[s.name], s.rss())
            if self._stop.wait(0.1):
                return

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        for s in self.servers:
            self.peak[s.name] = max(self.peak[s.name], s.rss())


async def settle(server: StreamlitServer) -> float:
    """RSS once closed sessions are gone: wait out the disconnected-session TTL, then open
    and close one tab (Streamlit drops expired sessions when it next stores one), wait
    again, read VmRSS."""
    await asyncio.sleep(SESSION_TTL + 1)
    probe = StClient(server.url, timeout=30)
    try:
        await probe.open("/")
    finally:
        await probe.close()
    await asyncio.sleep(SESSION_TTL + 2)
    probe = StClient(server.url, timeout=30)  # reaps the first probe's session too
    await probe.open("/")
    await probe.close()
    await asyncio.sleep(1.5)
    return server.rss()


# ---------------------------------------------------------------------- RSVP journeys


@dataclass
class Target:
    """Where a journey goes: the app's light public event page ``/e/<id>`` (``kind`` "html":
    plain HTTP, an HTML form POST), its in-app Streamlit event page ``/event?id=``, or the
    bare app (both ``kind`` "streamlit": the websocket protocol)."""

    url: str
    path: str
    query: str
    fields: tuple[str, str, str]  # widget keys (form field names for "html") of name, email, organization
    form_id: str  # the Streamlit form's id (the HTML form's id attribute for "html")
    event_id: int | None = None
    kind: str = "streamlit"  # "streamlit" or "html"

    @classmethod
    def event(cls, url: str, event_id: int) -> "Target":
        """The in-app Streamlit event page, ``/event?id=<id>``."""
        keys = tuple(f"rsvp_{f}_{event_id}" for f in ("name", "email", "organization"))
        return cls(url, "/event", f"id={event_id}", keys, f"rsvp_{event_id}", event_id)

    @classmethod
    def light(cls, url: str, event_id: int) -> "Target":
        """The public event page people open from shared links, QR codes and emails: ``/e/<id>``,
        server-rendered HTML whose RSVP form is POSTed back to the same address."""
        return cls(url, f"/e/{event_id}", "", ("name", "email", "organization"), "register-form", event_id, "html")

    @classmethod
    def bare(cls, url: str, bare_event: int) -> "Target":
        return cls(url, "/", f"event={bare_event}", ("name", "email", "organization"), "rsvp")

    @property
    def address(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


@dataclass
class Journey:
    index: int
    name: str
    email: str
    ok: bool = False
    error: str = ""
    shown: tuple[str, int | None] | None = None  # ("confirmed" | "waitlisted" | "registered", place)
    load_s: float = 0.0
    submit_s: float = 0.0

    @property
    def total_s(self) -> float:
        return self.load_s + self.submit_s


def person(prefix: str, i: int) -> tuple[str, str, str]:
    return f"{prefix} Guest {i:04d}", f"{prefix.lower()}-guest-{i:04d}@example.org", f"Coalition member {i % 17}"


_CONFIRMED = re.compile(r"You're registered, (.+?)!\*\* Your place is confirmed\.")
_WAITING = re.compile(r"You're on the waiting list, (.+?)\*\* — place (\d[\d,]*)\.")  # 1,002: the page's English


def status_in(texts, name: str, confirmed: re.Pattern, waiting: re.Pattern) -> tuple[str, int | None] | None:
    """The status the first of ``texts`` telling it gave this person; ValueError for "already
    registered"; None when none of them does."""
    for body in texts:
        if "already registered" in body:
            raise ValueError(f"told 'already registered': {body!r}")
        m = confirmed.search(body)
        if m and m.group(1) == name:
            return ("confirmed", None)
        m = waiting.search(body)
        if m and m.group(1) == name:
            return ("waitlisted", parse_number(m.group(2), locale="en"))
    return None


def shown_status(client: StClient, target: Target, name: str) -> tuple[str, int | None]:
    """What the page told this person, or ValueError (the bare app answers in the app's words)."""
    found = status_in(client.texts("alert"), name, _CONFIRMED, _WAITING)
    if found is None:
        raise ValueError(f"no registration result for {name}: {client.elements}")
    return found


def _fail(j: Journey, what: str) -> Journey:
    j.ok, j.error = False, what
    return j


# The light page's answer (``<div id="answer">``, its text with tags stripped, entities unescaped,
# whitespace collapsed): the Streamlit page's sentences without Markdown.
_LIGHT_CONFIRMED = re.compile(r"You[’']re registered, (.+?)! Your place is confirmed\.")
_LIGHT_WAITING = re.compile(r"You[’']re on the waiting list, (.+?) — place (\d[\d,]*)\.")
_FORM_KEY = re.compile(r"<input\b[^>]*\bname=[\"']form_key[\"'][^>]*>", re.S | re.I)
_VALUE = re.compile(r"\bvalue=(?:\"([^\"]*)\"|'([^']*)')", re.I)
_BROKEN = ("Traceback", "Internal Server Error")  # never in a page a person is shown
BROWSER_COOKIE = "planner_browser"


def light_status(answer: str | None, name: str) -> tuple[str, int | None]:
    """What the light page's ``#answer`` told this person, or ValueError (as ``shown_status``)."""
    if answer is None:
        raise ValueError("no #answer in the page")
    found = status_in([answer], name, _LIGHT_CONFIRMED, _LIGHT_WAITING)
    if found is None:
        raise ValueError(f"no registration result for {name}: {answer[:300]!r}")
    return found


def _broken_page(visitor: HtmlVisitor, what: str) -> str | None:
    """Why the last answer is not a page a person should see (5xx, a traceback), else None."""
    page = visitor.last
    if page.status >= 500:
        return f"HTTP {page.status} on {what}: {page.text[:200]!r}"
    for word in _BROKEN:
        if word in page.text:
            return f"{word!r} in the page on {what} (HTTP {page.status})"
    return None


async def load_light(visitor: HtmlVisitor, target: Target, j: Journey) -> bool:
    """GET ``/e/<id>``: the page, its ``planner_browser`` cookie and the form's hidden ``form_key``."""
    started = time.perf_counter()
    page = await visitor.get(target.address)
    j.load_s = time.perf_counter() - started
    broken = _broken_page(visitor, "load")
    if broken:
        _fail(j, broken)
        return False
    if page.status != 200:
        _fail(j, f"HTTP {page.status} on load: {page.text[:200]!r}")
        return False
    tag = _FORM_KEY.search(page.text)
    value = _VALUE.search(tag.group(0)) if tag else None
    if f'id="{target.form_id}"' not in page.text or value is None:
        _fail(j, f"no RSVP form with a form_key on the page: {page.text[:300]!r}")
        return False
    visitor.form_key = html.unescape(value.group(1) if value.group(1) is not None else value.group(2))
    if visitor.cookies.get(BROWSER_COOKIE) != visitor.form_key:
        _fail(j, f"form_key {visitor.form_key!r} is not the {BROWSER_COOKIE} cookie "
                 f"{visitor.cookies.get(BROWSER_COOKIE)!r} (set-cookie: {page.cookies_set})")
        return False
    return True


async def submit_light(visitor: HtmlVisitor, target: Target, j: Journey, organization: str) -> None:
    """POST the form (form_key, name, email, organization) with the cookie and the site's Origin; read ``#answer``."""
    name_field, email_field, org_field = target.fields
    fields = {"form_key": visitor.form_key, name_field: j.name, email_field: j.email, org_field: organization}
    started = time.perf_counter()
    page = await visitor.post_form(target.path, fields)
    if page.status == 303:  # registered: the page with the answer, as a browser follows it
        page = await visitor.get(page.header("location").partition("#")[0])
    j.submit_s = time.perf_counter() - started
    broken = _broken_page(visitor, "submit")
    if broken:
        _fail(j, broken)
        return
    if page.status != 200:
        _fail(j, f"HTTP {page.status} on submit: {page.text_of('form-errors') or page.text[:200]!r}")
        return
    answer = page.text_of("answer")
    if answer is None:
        _fail(j, f"no #answer after submit; form errors: {page.text_of('form-errors')!r}")
        return
    try:
        j.shown = light_status(answer, j.name)
    except ValueError as err:
        _fail(j, str(err))
        return
    j.ok = True


def visitor_for(target: Target, timeout: float = RUN_TIMEOUT) -> StClient | HtmlVisitor:
    """A new person at ``target``: a browser tab speaking Streamlit's protocol, or a plain HTTP one."""
    if target.kind == "html":
        return HtmlVisitor(target.url, timeout=timeout, keep_alive=True)
    return StClient(target.url, timeout=timeout)


async def load_form(client: StClient | HtmlVisitor, target: Target, j: Journey) -> bool:
    if target.kind == "html":
        return await load_light(client, target, j)
    started = time.perf_counter()
    await client.open(target.path, target.query)
    j.load_s = time.perf_counter() - started
    if client.exceptions():
        _fail(j, f"exception on load: {client.exceptions()}")
        return False
    if not [e for e in client.find(type="button") if e.form_id == target.form_id and e.proto.is_form_submitter]:
        _fail(j, f"no RSVP form on the page: {client.elements}")
        return False
    return True


async def submit(client: StClient | HtmlVisitor, target: Target, j: Journey, organization: str) -> None:
    if target.kind == "html":
        return await submit_light(client, target, j, organization)
    (button,) = [e for e in client.find(type="button") if e.form_id == target.form_id and e.proto.is_form_submitter]
    started = time.perf_counter()
    name_key, email_key, org_key = target.fields
    await client.submit_form(button.key, {name_key: j.name, email_key: j.email, org_key: organization})
    j.submit_s = time.perf_counter() - started
    if client.exceptions():
        _fail(j, f"exception after submit: {client.exceptions()}")
        return
    try:
        j.shown = shown_status(client, target, j.name)
    except ValueError as err:
        _fail(j, str(err))
        return
    j.ok = True


async def journey(target: Target, prefix: str, i: int, timeout: float = RUN_TIMEOUT) -> Journey:
    """One person: open the page, fill in the form, submit, read the result."""
    name, email, organization = person(prefix, i)
    j = Journey(i, name, email)
    client = visitor_for(target, timeout)
    try:
        if await load_form(client, target, j):
            await submit(client, target, j, organization)
    except Exception as err:  # noqa: BLE001 - protocol errors, timeouts, a missing widget: a failed journey
        _fail(j, f"{type(err).__name__}: {err}")
    finally:
        await client.close()
    return j


async def rush_at_once(target: Target, n: int, prefix: str, timeout: float = RUN_TIMEOUT) -> list[Journey]:
    """n people open the page together, then all submit in the same moment."""
    people = [Journey(i, *person(prefix, i)[:2]) for i in range(n)]
    clients = [visitor_for(target, timeout) for _ in range(n)]

    async def load(j, c):
        try:
            return await load_form(c, target, j)
        except Exception as err:  # noqa: BLE001
            _fail(j, f"{type(err).__name__} on load: {err}")
            return False

    async def send(j, c):
        try:
            await submit(c, target, j, person(prefix, j.index)[2])
        except Exception as err:  # noqa: BLE001
            _fail(j, f"{type(err).__name__} on submit: {err}")

    try:
        loaded = await asyncio.gather(*(load(j, c) for j, c in zip(people, clients)))
        await asyncio.gather(*(send(j, c) for j, c, ok in zip(people, clients, loaded) if ok))
    finally:
        await asyncio.gather(*(c.close() for c in clients))
    return people


async def rush_spread(target: Target, n: int, seconds: float, prefix: str) -> list[Journey]:
    """n people arriving evenly over ``seconds``, each doing one journey."""
    start = time.monotonic()

    async def arrive(i):
        await asyncio.sleep(max(0.0, start + i * seconds / n - time.monotonic()))
        return await journey(target, prefix, i)

    return list(await asyncio.gather(*(arrive(i) for i in range(n))))


async def closed_loop(target: Target | list[Target], users: int, count: int, prefix: str,
                      limit_s: float = 300.0) -> tuple[list[Journey], float]:
    """``users`` simultaneous users doing journeys back to back until ``count`` are done. With a
    list of targets (one event on several servers), user ``u`` visits ``target[u % len(target)]``."""
    targets = target if isinstance(target, list) else [target]
    done: list[Journey] = []
    next_index = iter(range(count))
    deadline = time.monotonic() + limit_s

    async def user(visited: Target):
        for i in next_index:
            if time.monotonic() > deadline:
                return
            done.append(await journey(visited, prefix, i))

    started = time.perf_counter()
    await asyncio.gather(*(user(targets[u % len(targets)]) for u in range(users)))
    return done, time.perf_counter() - started


def check_rsvps(planner: Planner, event_id: int, journeys: list[Journey], capacity: int, before: int = 0) -> list[str]:
    """Every person stored once, shown what the database holds; confirmed = capacity if oversubscribed."""
    problems = [f"{j.name}: {j.error}" for j in journeys if not j.ok]
    regs = planner.registrations(event_id)
    by_email: dict[str, list] = {}
    for r in regs:
        by_email.setdefault(r.email, []).append(r)
    for j in journeys:
        stored = by_email.get(j.email, [])
        if len(stored) != 1:
            problems.append(f"{j.email}: {len(stored)} registrations in the database")
            continue
        r = stored[0]
        if j.ok and j.shown != (r.status, r.position):
            problems.append(f"{j.name} was shown {j.shown}, the database holds {(r.status, r.position)}")
    if len(regs) != before + len(journeys):
        problems.append(f"{len(regs)} registrations stored for {before} + {len(journeys)} people")
    confirmed = sum(r.status == "confirmed" for r in regs)
    waiting = sorted(r.position for r in regs if r.status == "waitlisted")
    expected_confirmed = min(capacity, len(regs))
    if confirmed != expected_confirmed:
        problems.append(f"{confirmed} confirmed, expected {expected_confirmed} (capacity {capacity})")
    if waiting != list(range(1, len(regs) - expected_confirmed + 1)):
        problems.append(f"waiting-list places are not 1..{len(regs) - expected_confirmed}: {waiting[:10]}…")
    return problems


# ---------------------------------------------------------------------- the door


_VERDICT = re.compile(r"data-verdict='(\w+)'")
_COUNTER = re.compile(r"\*\*([\d,]+) / ([\d,]+)\*\* inside")  # numbers as the page writes them: "1 / 1,000"


@dataclass
class Scan:
    door: str
    code: str
    name: str
    verdict: str | None = None  # "green" | "amber" | "red"
    error: str = ""
    seconds: float = 0.0


def counter_of(client: StClient) -> int | None:
    for text in client.texts("progress"):
        m = _COUNTER.search(text)
        if m:
            return int(m.group(1).replace(",", ""))
    return None


def verdict_of(client: StClient, name: str) -> str:
    """green / amber for this guest, from the verdict block, or ValueError."""
    for body in client.texts("html"):
        m = _VERDICT.search(body)
        if not m:
            continue
        who = html.escape(name)
        if m.group(1) == "green" and f"Welcome, {who}<" in body:
            return "green"
        if m.group(1) == "amber" and f"Already checked in: {who}<" in body:
            return "amber"
        raise ValueError(f"verdict {m.group(1)} not about {name}: {body[:300]}")
    raise ValueError("no verdict shown")


async def door_session(url: str, secret: str, label: str, queue: asyncio.Queue, scans: list[Scan],
                       pace: float, tick_every: float = 3.0) -> list[str]:
    """A volunteer's phone: opens the door link, types each code from ``queue`` (None ends),
    and lets the live counter's 3-second timer fire between scans, as the browser would. A
    scan not answered within RUN_TIMEOUT is a failed scan; the volunteer then reloads the page."""
    problems: list[str] = []
    client: StClient | None = None

    async def reopen() -> StClient:
        nonlocal client
        if client is not None:
            await client.close()
        client = StClient(url, timeout=RUN_TIMEOUT)
        await client.open("/checkin", f"pass={secret}")
        if client.exceptions() or not client.find(key="door_typed"):
            raise RuntimeError(f"door page did not open: {client.elements}")
        return client

    try:
        await reopen()
        last_tick = time.monotonic()
        while True:
            item = await queue.get()
            if item is None:
                break
            code, name = item
            scan = Scan(label, code, name)
            started = time.perf_counter()
            try:
                await client.click("door_typed_go", {"door_typed": code})
                scan.seconds = time.perf_counter() - started
                if client.exceptions():
                    scan.error = f"exception: {client.exceptions()}"
                else:
                    scan.verdict = verdict_of(client, name)
            except Exception as err:  # noqa: BLE001
                scan.error = f"{type(err).__name__}: {err}"
                await reopen()
            scans.append(scan)
            if time.monotonic() - last_tick >= tick_every and client.auto_reruns:
                last_tick = time.monotonic()
                try:
                    await client.run_fragment()
                except Exception as err:  # noqa: BLE001
                    problems.append(f"{label}: counter: {type(err).__name__}: {err}")
                    await reopen()
                if client.exceptions():
                    problems.append(f"{label}: exception in the counter: {client.exceptions()}")
            await asyncio.sleep(pace)
    except Exception as err:  # noqa: BLE001
        problems.append(f"{label}: {type(err).__name__}: {err}")
    finally:
        if client is not None:
            await client.close()
    return problems


async def counter_watch(url: str, token: str, event_id: int, stop: asyncio.Event, every: float = 3.0,
                        limit_s: float = 600.0) -> tuple[list[int | None], list[str]]:
    """An organizer (signed in by the session cookie on the websocket handshake) with the
    door page open: the live counter's fragment runs every 3 s until ``stop``, then once more.
    A tick not answered within RUN_TIMEOUT is recorded as a problem and the page reloaded."""
    shown: list[int | None] = []
    problems: list[str] = []
    client: StClient | None = None

    async def reopen() -> None:
        nonlocal client
        if client is not None:
            await client.close()
        client = StClient(url, cookies={"planner_session": token}, timeout=RUN_TIMEOUT)
        await client.open("/checkin", f"event={event_id}")
        shown.append(counter_of(client))
        if not client.auto_reruns or shown[-1] is None:
            raise RuntimeError(f"organizer's door page shows no live counter: {client.elements}")

    try:
        await reopen()
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            try:
                await asyncio.wait_for(stop.wait(), every)
            except TimeoutError:
                pass
            try:
                await client.run_fragment()
                shown.append(counter_of(client))
            except Exception as err:  # noqa: BLE001
                problems.append(f"organizer: counter: {type(err).__name__}: {err}")
                await reopen()
            if client.exceptions():
                problems.append(f"organizer: exception: {client.exceptions()}")
            if stop.is_set():
                break
    except Exception as err:  # noqa: BLE001
        problems.append(f"organizer: {type(err).__name__}: {err}")
    finally:
        if client is not None:
            await client.close()
    return shown, problems


def door_roles(each: int, shared: int) -> list[str]:
    """Which door(s) scan the k-th confirmed guest: "A", "B" or "both", shared ones spread out."""
    unique = 2 * each - shared
    both = {int((j + 0.5) * unique / shared) for j in range(shared)} if shared else set()
    roles, turn = [], 0
    for k in range(unique):
        if k in both:
            roles.append("both")
        else:
            roles.append("AB"[turn % 2])
            turn += 1
    return roles


async def feed_codes(planner: Planner, event_id: int, roles: list[str], queues: dict[str, asyncio.Queue],
                     limit_s: float) -> list[tuple[str, str, str]]:
    """Hand confirmed guests' codes to the doors as they register (polls the database)."""
    given: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    deadline = time.monotonic() + limit_s
    try:
        while len(given) < len(roles) and time.monotonic() < deadline:
            confirmed = await asyncio.to_thread(planner.registrations, event_id, "confirmed")
            for r in confirmed:
                if r.id in seen or len(given) >= len(roles):
                    continue
                seen.add(r.id)
                role = roles[len(given)]
                given.append((r.ticket_code, r.name, role))
                for door in ("A", "B"):
                    if role in (door, "both"):
                        queues[door].put_nowait((r.ticket_code, r.name))
            await asyncio.sleep(0.3)
    finally:
        for q in queues.values():
            q.put_nowait(None)
    return given


@dataclass
class DoorRun:
    scans: list[Scan] = field(default_factory=list)
    given: list[tuple[str, str, str]] = field(default_factory=list)
    counter: list[int | None] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


async def busy_door(url: str, planner: Planner, event_id: int, token: str, each: int, shared: int,
                    pace: float, limit_s: float) -> DoorRun:
    passes = [planner.create_door_pass(event_id, label) for label in ("North door", "South door")]
    secrets = [p.url.split("pass=", 1)[1] for p in passes]
    queues = {"A": asyncio.Queue(), "B": asyncio.Queue()}
    run = DoorRun()
    stop = asyncio.Event()
    watch = asyncio.create_task(counter_watch(url, token, event_id, stop))
    doors = [
        asyncio.create_task(door_session(url, secrets[0], "North door", queues["A"], run.scans, pace)),
        asyncio.create_task(door_session(url, secrets[1], "South door", queues["B"], run.scans, pace)),
    ]
    run.given = await feed_codes(planner, event_id, door_roles(each, shared), queues, limit_s)
    for problems in await asyncio.gather(*doors):
        run.problems += problems
    stop.set()
    run.counter, problems = await watch
    run.problems += problems
    return run


def check_door(planner: Planner, event_id: int, run: DoorRun, each: int, shared: int) -> list[str]:
    problems = list(run.problems)
    unique = 2 * each - shared
    if len(run.given) != unique:
        problems.append(f"only {len(run.given)} of {unique} codes reached the doors")
    problems += [f"{s.door} {s.name}: {s.error}" for s in run.scans if s.error]
    by_code: dict[str, list[Scan]] = {}
    for s in run.scans:
        by_code.setdefault(s.code, []).append(s)
    for code, name, role in run.given:
        verdicts = sorted(s.verdict or "error" for s in by_code.get(code, []))
        expected = ["amber", "green"] if role == "both" else ["green"]
        if verdicts != expected:
            problems.append(f"{name} ({role}): verdicts {verdicts}, expected {expected}")
    per_door = {d: sum(s.door == d for s in run.scans) for d in ("North door", "South door")}
    if any(n != each for n in per_door.values()) and len(run.given) == unique:
        problems.append(f"scans per door {per_door}, expected {each} each")
    attendance = planner.attendance(event_id)
    if attendance.checked_in != len(run.given):
        problems.append(f"{attendance.checked_in} checked in, {len(run.given)} codes scanned")
    greens: dict[int, int] = {}
    for scan in planner.scans(event_id):
        if scan.verdict == "checked_in":
            greens[scan.registration_id] = greens.get(scan.registration_id, 0) + 1
    if any(n != 1 for n in greens.values()) or len(greens) != len(run.given):
        problems.append(f"database: {len(greens)} guests with a check-in scan, counts {sorted(set(greens.values()))}")
    last = run.counter[-1] if run.counter else None
    if last != attendance.checked_in:
        problems.append(f"the live counter last showed {last}, attendance says {attendance.checked_in}")
    return problems


# ---------------------------------------------------------------------- events


def find_gcm(planner: Planner):
    """The demo event itself: the first "GCM celebration…" (its duplicates come later)."""
    return min((e for e in planner.list_events() if e.title.startswith(GCM_TITLE)), key=lambda e: e.id)


def prepare_event(planner: Planner, capacity: int, *, copy: bool) -> int:
    """The demo event "GCM celebration…" (or a published duplicate of it), with its capacity set."""
    event = find_gcm(planner)
    if copy:
        draft = planner.duplicate_event(event.id)
        event = planner.publish_event(draft.id, allow_room_clash=True)
    event = planner.update_event(event.id, version=event.version, capacity=capacity)
    return event.id


# ---------------------------------------------------------------------- reporting


@dataclass
class Row:
    scenario: str
    server: str
    users: int
    ok: int
    failed: int
    seconds: float
    times: list[float]
    rss_idle: float = 0.0
    rss_peak: float = 0.0
    rss_after: float = 0.0
    server_cpu: float = 0.0  # seconds of the server's CPU during the scenario
    client_cpu: float = float("nan")  # seconds of this process's CPU (the visitors) during it, where measured
    others_cpu: float = float("nan")  # seconds of CPU used by everything else on the machine meanwhile, where measured
    problems: list[str] = field(default_factory=list)

    @property
    def cpu_ms(self) -> float:
        """Server CPU per journey (or per scan), in ms."""
        n = self.ok + self.failed
        return 1000 * self.server_cpu / n if n else float("nan")

    @property
    def others_share(self) -> float:
        """Everything else on the machine (not the server, not the bench), in cores, on average."""
        return self.others_cpu / self.seconds if self.seconds else float("nan")

    @property
    def client_cpu_ms(self) -> float:
        """The bench's own CPU per journey, in ms: the visitors share the machine with the server."""
        n = self.ok + self.failed
        return 1000 * self.client_cpu / n if n else float("nan")

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.times:
            return float("nan")
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def print_table(rows: list[Row]) -> None:
    head = (f"{'scenario':<28} {'server':<5} {'users':>5} {'ok':>5} {'fail':>5} {'jour/s':>7} {'p50 s':>6} "
            f"{'p95 s':>6} {'max s':>6} {'cpu ms':>6} {'RSS idle':>9} {'peak':>7} {'after':>7}  (MiB)")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r.scenario:<28} {r.server:<5} {r.users:>5} {r.ok:>5} {r.failed:>5} {r.rate:>7.1f} {r.pct(0.5):>6.2f} "
            f"{r.pct(0.95):>6.2f} {max(r.times, default=float('nan')):>6.2f} {r.cpu_ms:>6.0f} {r.rss_idle:>9.1f} {r.rss_peak:>7.1f} "
            f"{r.rss_after:>7.1f}"
        )


# ---------------------------------------------------------------------- the run


@dataclass
class Sizes:
    speed_users: int = 50
    speed_journeys: int = 150  # per burst and server
    speed_bursts: int = 5  # interleaved: bare and app of both pairs, order turned each burst
    at_once: int = 200
    at_once_capacity: int = 150
    spread: int = 500
    spread_seconds: float = 60.0
    spread_capacity: int = 300
    door_each: int = 100
    door_shared: int = 20
    door_pace: float = 0.3
    camera_scans: int = 20
    scale_users: tuple[int, ...] = (50, 200)
    scale_per_user: int = 12  # journeys per simultaneous user in one burst of the --processes comparison (a burst of
    # 4 a user lasted half a second at 50 users on two processes: too short to hold still)
    scale_bursts: int = 3
    wrk_seconds: int = 5  # one burst of the --wrk comparison (wrk takes whole seconds)
    repeat: int = 3


QUICK = Sizes(speed_journeys=60, at_once=100, at_once_capacity=70, spread=150, spread_seconds=20.0, spread_capacity=100,
              door_each=30, door_shared=10, door_pace=0.2, camera_scans=5, scale_per_user=2, scale_bursts=1, wrk_seconds=2, repeat=3)


async def warm_up(app: StreamlitServer, bares: list[StreamlitServer], planner: Planner, token: str) -> None:
    """First visits import the pages' modules: do them before reading the idle level."""
    event_id = prepare_event(planner, 1000, copy=True)
    done = [await journey(Target.event(app.url, event_id), "Warmup", 0),
            await journey(Target.light(app.url, event_id), "WarmupLight", 0)]
    for bare in bares:
        done.append(await journey(Target.bare(bare.url, add_bare_event(bare.bare_db, 1000)), "Warmup", 0))
    for j in done:
        if not j.ok:
            raise RuntimeError(f"warm-up journey failed: {j.error}\n{app.log_tail()}")
    reg = planner.registrations(event_id)[0]
    run = DoorRun()
    q: asyncio.Queue = asyncio.Queue()
    q.put_nowait((reg.ticket_code, reg.name))
    q.put_nowait(None)
    secret = planner.create_door_pass(event_id, "Warm-up door").url.split("pass=", 1)[1]
    problems = await door_session(app.url, secret, "Warm-up door", q, run.scans, 0)
    watched, more = await counter_watch(app.url, token, event_id, asyncio.Event(), every=0.1, limit_s=0.5)
    if problems or more or run.scans[0].verdict != "green":
        raise RuntimeError(f"warm-up at the door failed: {problems} {more} {run.scans}")


# ---------------------------------------------------------------------- app against the bare floor


@dataclass
class Pair:
    """The app and the bare app, started with the same flags."""

    label: str
    tag: str  # the servers' names in the table: "app"/"bare", or "app0"/"bare0" without postScriptGC
    app: StreamlitServer
    bare: StreamlitServer
    planner: Planner
    bursts: list[tuple[Row, Row]] = field(default_factory=list)  # (bare, app): the app's light page /e/<id>
    in_app: tuple[Row, Row] | None = None  # (bare, Streamlit event page /event?id=) of burst 1, for information

    @property
    def rate_ratios(self) -> list[float]:
        return [a.rate / b.rate if b.rate else float("nan") for b, a in self.bursts]

    @property
    def p95_ratios(self) -> list[float]:
        return [a.pct(0.95) / b.pct(0.95) if b.times else float("nan") for b, a in self.bursts]


async def speed_burst(pair: Pair, sizes: Sizes, k: int) -> tuple[Row, Row]:
    """``speed_journeys`` closed-loop journeys at ``speed_users`` users on each server of the
    pair, one after the other (bare first in odd bursts, the app first in even ones), each on
    a fresh event of half that capacity (half confirmed, half waiting). The app's side is its
    light public event page ``/e/<id>``. In burst 1 only, the app's in-app Streamlit event page
    ``/event?id=`` runs too, after the other two, on an event of its own (``pair.in_app``)."""
    capacity = sizes.speed_journeys // 2
    event_id = prepare_event(pair.planner, capacity, copy=True)
    bare_event = add_bare_event(pair.bare.bare_db, capacity)
    order = [("bare", pair.bare, Target.bare(pair.bare.url, bare_event), event_id),
             ("app", pair.app, Target.light(pair.app.url, event_id), event_id)]
    order = order if k % 2 else order[::-1]
    if k == 1:
        st_event = prepare_event(pair.planner, capacity, copy=True)
        order.append(("st", pair.app, Target.event(pair.app.url, st_event), st_event))
    rows: dict[str, Row] = {}
    for name, server, target, event in order:
        row = Row(f"speed {pair.tag} burst {k}", name + pair.tag[len("app"):], sizes.speed_users, 0, 0, 0.0, [], rss_idle=server.rss())
        cpu, own, busy = server.cpu_seconds(), time.process_time(), machine_cpu()
        journeys, row.seconds = await closed_loop(target, sizes.speed_users, sizes.speed_journeys, f"S{pair.tag}{k}{name}")
        row.server_cpu, row.client_cpu = server.cpu_seconds() - cpu, time.process_time() - own
        row.others_cpu = machine_cpu() - busy - row.server_cpu - row.client_cpu
        fill(row, journeys)
        row.problems = (check_bare(pair.bare, bare_event, journeys, capacity) if name == "bare"
                        else check_rsvps(pair.planner, event, journeys, capacity))
        rows[name] = row
    if "st" in rows:
        pair.in_app = (rows["bare"], rows["st"])
    return rows["bare"], rows["app"]


async def speed_comparison(pairs: list[Pair], sizes: Sizes) -> list[Row]:
    """Five interleaved bursts: in each, every pair's bare app and app in turn (the pairs'
    order turned too), so a slow patch of a shared machine hits both sides."""
    rows: list[Row] = []
    for k in range(1, sizes.speed_bursts + 1):
        for pair in (pairs if k % 2 else pairs[::-1]):
            bare_row, app_row = await speed_burst(pair, sizes, k)
            pair.bursts.append((bare_row, app_row))
            extra = [pair.in_app[1]] if k == 1 and pair.in_app else []
            rows += [bare_row, app_row, *extra]
            print_progress([bare_row, app_row, *extra])
    return rows


def speed_line(pair: Pair, sizes: Sizes) -> str:
    """The standing line of a pair: medians over the bursts of app/bare journeys/s and p95."""
    rates, p95s = pair.rate_ratios, pair.p95_ratios
    app_rate = statistics.median(a.rate for _, a in pair.bursts)
    bare_rate = statistics.median(b.rate for b, _ in pair.bursts)
    return (f"speed, {sizes.speed_users} users, {pair.label}: app/bare journeys/s median {statistics.median(rates):.2f} "
            f"(bursts {', '.join(f'{r:.2f}' for r in rates)}; app {app_rate:.1f}/s, bare {bare_rate:.1f}/s), "
            f"p95 app/bare median {statistics.median(p95s):.2f} (bursts {', '.join(f'{r:.2f}' for r in p95s)})")


def in_app_line(pair: Pair) -> str:
    """For information, no bound: the in-app Streamlit event page against bare in burst 1."""
    if pair.in_app is None:
        return f"in-app Streamlit event page, burst 1, {pair.label}: not measured"
    bare, st = pair.in_app
    rate = st.rate / bare.rate if bare.rate else float("nan")
    p95 = st.pct(0.95) / bare.pct(0.95) if bare.times else float("nan")
    return (f"in-app Streamlit event page, burst 1, {pair.label}: /event?id= / bare journeys/s {rate:.2f} "
            f"({st.rate:.1f}/s against {bare.rate:.1f}/s), p95 {p95:.2f} ({st.pct(0.95):.2f} s against "
            f"{bare.pct(0.95):.2f} s), server CPU {st.cpu_ms:.0f} ms a journey against {bare.cpu_ms:.0f}; "
            f"for information, no bound")


# ---------------------------------------------------------------------- the rushes


async def at_once_row(server: StreamlitServer, planner: Planner, sizes: Sizes, rep: int, *, copy: bool) -> Row:
    capacity = sizes.at_once_capacity
    event_id = prepare_event(planner, capacity, copy=copy)
    row = Row(f"rush {sizes.at_once} at once #{rep}", "app", sizes.at_once, 0, 0, 0.0, [], rss_idle=server.rss())
    with RssSampler(server) as sampler:
        started, cpu = time.perf_counter(), server.cpu_seconds()
        journeys = await asyncio.wait_for(rush_at_once(Target.light(server.url, event_id), sizes.at_once, f"A{rep}"), 600)
        row.seconds = time.perf_counter() - started
        row.server_cpu = server.cpu_seconds() - cpu
    row.rss_peak = sampler.peak[server.name]
    fill(row, journeys)
    row.problems += check_rsvps(planner, event_id, journeys, capacity)
    return row


async def spread_rows(server: StreamlitServer, planner: Planner, token: str, sizes: Sizes, rep: int) -> tuple[Row, Row, DoorRun]:
    """Arrivals over a minute, two doors and an organizer watching the counter."""
    capacity = sizes.spread_capacity
    event_id = prepare_event(planner, capacity, copy=True)
    row = Row(f"rush {sizes.spread} over {sizes.spread_seconds:.0f} s #{rep}", "app", sizes.spread, 0, 0, 0.0, [],
              rss_idle=server.rss())
    door_row = Row(f"  doors 2x{sizes.door_each} (+organizer) #{rep}", "app", 3, 0, 0, 0.0, [],
                   server_cpu=float("nan"))  # the server's CPU is counted in the rush's row
    with RssSampler(server) as sampler:
        started, cpu = time.perf_counter(), server.cpu_seconds()
        journeys, door_run = await asyncio.wait_for(
            asyncio.gather(
                rush_spread(Target.light(server.url, event_id), sizes.spread, sizes.spread_seconds, f"B{rep}"),
                busy_door(server.url, planner, event_id, token, sizes.door_each, sizes.door_shared,
                          sizes.door_pace, limit_s=sizes.spread_seconds + 120),
            ),
            sizes.spread_seconds + 600,
        )
        row.seconds = door_row.seconds = time.perf_counter() - started
        row.server_cpu = server.cpu_seconds() - cpu  # the doors' share included
    row.rss_peak = door_row.rss_peak = sampler.peak[server.name]
    fill(row, journeys)
    row.problems += check_rsvps(planner, event_id, journeys, capacity)
    door_row.ok = sum(bool(s.verdict) and not s.error for s in door_run.scans)
    door_row.failed = sum(bool(s.error) for s in door_run.scans)
    door_row.times = [s.seconds for s in door_run.scans if not s.error]
    door_row.problems += check_door(planner, event_id, door_run, sizes.door_each, sizes.door_shared)
    door_row.rss_idle = row.rss_idle
    return row, door_row, door_run


def jpeg(png: bytes) -> bytes:
    """A ticket's QR code as the JPEG a phone camera sends."""
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


async def camera_door(server: StreamlitServer, planner: Planner, count: int, rep: int) -> Row:
    """A volunteer's phone scanning ``count`` tickets with the camera (each photo uploaded over
    plain HTTP, as Streamlit's camera input does), then the first one again: ``count`` greens
    and one amber. The door page is reopened for every third guest, so new sessions land on
    every process behind a proxy."""
    event_id = prepare_event(planner, count + 10, copy=True)
    guests = [planner.register(event_id, name=f"Camera Guest {i:03d}", email=f"camera-{rep}-{i:03d}@example.org")
              for i in range(count)]
    secret = planner.create_door_pass(event_id, "Camera door").url.split("pass=", 1)[1]
    photos = [(g.name, jpeg(planner.ticket_qr_png(g.manage_token))) for g in guests]
    row = Row(f"  camera door {count}+1 #{rep}", "app", 1, 0, 0, 0.0, [], server_cpu=float("nan"))
    expected = [("green", name, photo) for name, photo in photos] + [("amber", *photos[0])]
    client: StClient | None = None
    started = time.perf_counter()
    try:
        for i, (want, name, photo) in enumerate(expected):
            if client is None or i % 3 == 0:
                if client is not None:
                    await client.close()
                client = StClient(server.url, timeout=RUN_TIMEOUT)
                await client.open("/checkin", f"pass={secret}")
            scan_started = time.perf_counter()
            try:
                (camera,) = client.find(type="camera_input")
                await client.upload(camera.key, photo)
                got = verdict_of(client, name)
            except Exception as err:  # noqa: BLE001
                row.failed += 1
                row.problems.append(f"camera {name}: {type(err).__name__}: {err}")
                client = None
                continue
            if got != want:
                row.failed += 1
                row.problems.append(f"camera {name}: {got}, expected {want}")
            else:
                row.ok += 1
                row.times.append(time.perf_counter() - scan_started)
    finally:
        if client is not None:
            await client.close()
    row.seconds = time.perf_counter() - started
    if planner.attendance(event_id).checked_in != count:
        row.problems.append(f"camera door: {planner.attendance(event_id).checked_in} checked in, expected {count}")
    return row


# ---------------------------------------------------------------------- one server process (the default run)


async def main(sizes: Sizes) -> int:
    from contextlib import ExitStack

    results: list[Row] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="rush-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "default").mkdir()
        (tmp / "nogc").mkdir()
        with app_server(tmp / "default") as app, bare_server(tmp / "default") as bare:
            planner = Planner(app.db, base_url=app.url)
            admin = next(u for u in planner.list_users() if u.email == ADMIN_EMAIL)
            token = planner.start_session(admin.id)
            rss_start = {"app": app.rss(), "bare": bare.rss()}
            with ExitStack() as like_for_like:
                app0 = like_for_like.enter_context(app_server(tmp / "nogc", NO_GC, name="app0"))
                bare0 = like_for_like.enter_context(bare_server(tmp / "nogc", "bare0", NO_GC))
                planner0 = Planner(app0.db, base_url=app0.url)
                token0 = planner0.start_session(next(u for u in planner0.list_users() if u.email == ADMIN_EMAIL).id)
                await warm_up(app, [bare], planner, token)
                await warm_up(app0, [bare0], planner0, token0)
                print(f"servers: app pid {app.pid}, bare pid {bare.pid} (default flags); app0 pid {app0.pid}, bare0 pid "
                      f"{bare0.pid} (--runner.postScriptGC=false); disconnectedSessionTTL {SESSION_TTL} s; "
                      f"extra flags {EXTRA_FLAGS or 'none'}; {load_line()}\n", flush=True)
                pairs = [Pair("default (postScriptGC on)", "app", app, bare, planner),
                         Pair("like for like (postScriptGC off on both)", "app0", app0, bare0, planner0)]
                results += await speed_comparison(pairs, sizes)
            idle = {"app": await settle(app), "bare": await settle(bare)}
            print(f"\nRSS at start: app {rss_start['app']:.1f} MiB, bare {rss_start['bare']:.1f} MiB; "
                  f"idle after warm-up and speed: app {idle['app']:.1f} MiB, bare {idle['bare']:.1f} MiB\n", flush=True)
            for rep in range(1, sizes.repeat + 1):
                row = await at_once_row(app, planner, sizes, rep, copy=rep > 1)
                row.rss_after = await settle(app)
                results.append(row)
                print_progress([row])

                row, door_row, door_run = await spread_rows(app, planner, token, sizes, rep)
                row.rss_after = door_row.rss_after = await settle(app)
                results += [row, door_row]
                print_progress([row, door_row], extra=f"    counter shown: {door_run.counter}")

            failures += report(results, idle, sizes, pairs)
            for server in (app, bare, app0, bare0):
                errors = server.errors()
                if errors:
                    print(f"\n{server.name} server logged {sum(errors.values())} uncaught exceptions:")
                    for line, n in sorted(errors.items(), key=lambda kv: -kv[1]):
                        print(f"  {n:5d} x {line}")
    return 1 if failures else 0


def fill(row: Row, journeys: list[Journey]) -> None:
    row.ok = sum(j.ok for j in journeys)
    row.failed = sum(not j.ok for j in journeys)
    row.times = [j.total_s for j in journeys if j.ok]


def print_progress(rows: list[Row], extra: str = "") -> None:
    for r in rows:
        client = "" if r.client_cpu != r.client_cpu else f" (bench's own CPU {r.client_cpu_ms:.0f} ms)"
        if r.others_cpu == r.others_cpu:
            client += f", other processes {r.others_share:.2f} cores"
        print(f"  {r.scenario.strip()} [{r.server}]: {r.ok} ok, {r.failed} failed, {r.rate:.1f}/s, server CPU {r.cpu_ms:.0f} ms each{client}, "
              f"p50 {r.pct(0.5):.2f} s, p95 {r.pct(0.95):.2f} s, RSS {r.rss_idle:.0f}/{r.rss_peak:.0f}/{r.rss_after:.0f} MiB"
              + (f"\n    PROBLEMS: {r.problems[:8]}" if r.problems else ""), flush=True)
    if extra:
        print(extra, flush=True)


class Verdicts:
    def __init__(self):
        self.failures: list[str] = []

    def __call__(self, name: str, held: bool, detail: str) -> None:
        print(f"{'HOLDS' if held else 'FAILS'}  {name}: {detail}")
        if not held:
            self.failures.append(name)


def correctness_verdict(verdict: Verdicts, rows: list[Row]) -> None:
    problems = [p for r in rows for p in r.problems]
    verdict("rush and door correctness", not problems and all(r.failed == 0 for r in rows),
            "no failed or lost submission, statuses and places as stored, confirmed = capacity, one green per code, "
            "counter right" if not problems else "; ".join(problems[:10]))


def report(rows: list[Row], idle: dict[str, float], sizes: Sizes, pairs: list[Pair]) -> list[str]:
    print()
    print_table(rows)
    print()
    for pair in pairs:  # the standing lines, next to each other
        print(speed_line(pair, sizes))
    for pair in pairs:
        print(in_app_line(pair))
    print(load_line())
    print()
    verdict = Verdicts()
    correctness_verdict(verdict, [r for r in rows if r.server == "app" and not r.scenario.startswith("speed")])
    speed_rows = [r for r in rows if r.scenario.startswith("speed")]
    speed_problems = [p for r in speed_rows for p in r.problems]
    verdict("speed runs without failures", not speed_problems and all(r.failed == 0 for r in speed_rows),
            "; ".join(speed_problems[:5]) or "every journey ok, every database exact")
    for pair, (rate_min, p95_max) in zip(pairs, [(0.8, 1.5), (1.0, 1.2)]):
        rate, p95 = statistics.median(pair.rate_ratios), statistics.median(pair.p95_ratios)
        verdict(f"speed {pair.label}: journeys/s app/bare >= {rate_min} (median of {len(pair.bursts)})", rate >= rate_min,
                f"{rate:.2f}")
        verdict(f"speed {pair.label}: p95 app/bare <= {p95_max} (median of {len(pair.bursts)})", p95 <= p95_max, f"{p95:.2f}")
    app_rows = [r for r in rows if r.server == "app" and not r.scenario.startswith("speed")]
    worst = max(app_rows, key=lambda r: r.rss_after)
    verdict("memory returns within 50 MiB of idle", worst.rss_after - idle["app"] <= 50,
            f"idle {idle['app']:.1f} MiB, highest after-run {worst.rss_after:.1f} MiB ({worst.scenario.strip()}), "
            f"highest peak {max(r.rss_peak for r in app_rows):.1f} MiB")
    per_rep = {}
    for r in app_rows:
        rep = int(r.scenario.rsplit("#", 1)[1])
        per_rep[rep] = max(per_rep.get(rep, 0.0), r.rss_after)
    if len(per_rep) >= 2:
        reps = sorted(per_rep)
        growth = per_rep[reps[-1]] - per_rep[reps[0]]
        verdict(f"no memory growth over {len(reps)} repeats (<= 10 MiB)", growth <= 10,
                "after-run RSS per repeat " + ", ".join(f"#{k} {per_rep[k]:.1f}" for k in reps) + f" MiB (growth {growth:+.1f})")
    return verdict.failures


# ---------------------------------------------------------------------- N processes behind the proxy


Pairs = dict[int, list[tuple[Row, Row]]]  # simultaneous users → (one process, N processes) per burst


async def scale_comparison(one: StreamlitServer, one_planner: Planner, served: ServedApp, served_planner: Planner,
                           sizes: Sizes, wrk_dir: Path | None = None, straight: bool = False,
                           pinned: bool = False) -> tuple[Pairs, Pairs, Pairs]:
    """Journeys/s of one process (straight) and of N behind the proxy, at each number of
    simultaneous users, in interleaved bursts (order turned each burst). With ``wrk_dir``, wrk
    drives the visitors (``--wrk``, bursts of ``wrk_seconds``); the client's CPU is then wrk's.
    With ``straight``, each burst then also drives the N processes on their own ports, without
    the proxy (the users split evenly between them), for information: what the proxy hop costs.
    With ``pinned``, each burst ends with the one process held to one core, as ``serve`` holds
    each of its processes, for information: what holding alone is worth.
    Returns the bursts through the proxy, the straight ones and the one process held to a core
    (each {} without its flag); the last two pair their row with the burst's free one process."""
    if (straight or pinned) and wrk_dir is not None:
        raise ValueError("the straight and held bursts are driven by the Python visitors, not by wrk")
    out: Pairs = {}
    straight_out: Pairs = {}
    pinned_out: Pairs = {}
    first_core = min(os.sched_getaffinity(0))
    tag = f"x{served.processes}"
    for users in sizes.scale_users:
        count = users * sizes.scale_per_user
        for k in range(1, sizes.scale_bursts + 1):
            rows = {}
            order = [("one", one, one_planner, [one.url]), (tag, served, served_planner, [served.url])]
            order = order if k % 2 else order[::-1]
            if straight:  # last, so the bursts the bound is judged on run as they do without it
                order.append((f"{tag} straight", served, served_planner, served.app_urls))
            if pinned:
                order.append(("one held", one, one_planner, [one.url]))
            for name, server, planner, urls in order:
                capacity = count // 2
                event_id = prepare_event(planner, capacity, copy=True)
                targets = [Target.light(url, event_id) for url in urls]
                prefix = f"{'W' if wrk_dir else 'N'}{name.replace(' ', '')}{users}k{k}"
                row = Row(f"{'wrk' if wrk_dir else 'scale'} {users} users burst {k}", name, users, 0, 0, 0.0, [],
                          rss_idle=server.rss())
                cpu, own, children, busy = server.cpu_seconds(), time.process_time(), _children_cpu(), machine_cpu()
                if wrk_dir is None:
                    with held_to(one.pid, first_core if name == "one held" else None):
                        journeys, row.seconds = await closed_loop(targets, users, count, prefix)
                else:
                    (target,) = targets
                    journeys = await asyncio.to_thread(run_wrk, target, users, sizes.wrk_seconds, prefix, wrk_dir)
                    row.seconds = sizes.wrk_seconds
                row.server_cpu = server.cpu_seconds() - cpu
                row.client_cpu = time.process_time() - own + _children_cpu() - children  # this process, and wrk once it exits
                row.others_cpu = machine_cpu() - busy - row.server_cpu - row.client_cpu
                fill(row, journeys)
                if wrk_dir is None:
                    row.problems = check_rsvps(planner, event_id, journeys, capacity)
                else:
                    row.times = []  # wrk's visits are not timed one by one
                    row.problems = await asyncio.to_thread(check_wrk_rsvps, planner, event_id, journeys, capacity, users)
                rows[name] = row
            out.setdefault(users, []).append((rows["one"], rows[tag]))
            if straight:
                straight_out.setdefault(users, []).append((rows["one"], rows[f"{tag} straight"]))
            if pinned:
                pinned_out.setdefault(users, []).append((rows["one"], rows["one held"]))
            print_progress(list(rows.values()))
    return out, straight_out, pinned_out


def scale_summary(what: str, processes: int, pairs: list[tuple[Row, Row]]) -> tuple[float, str]:
    """The median of the bursts' ratios (N processes' journeys/s over one's), and a line saying it
    with each burst's ratio and the median journeys/s of both sides."""
    ratios = [b.rate / a.rate if a.rate else float("nan") for a, b in pairs]
    ratio = statistics.median(ratios)
    return ratio, (f"{what}: {processes} processes / one, journeys/s median {ratio:.2f} (bursts "
                   f"{', '.join(f'{r:.2f}' for r in ratios)}; one {statistics.median(a.rate for a, _ in pairs):.1f}/s, "
                   f"{processes} processes {statistics.median(b.rate for _, b in pairs):.1f}/s)")


def held_line(users: int, processes: int, through: list[tuple[Row, Row]], held: list[tuple[Row, Row]]) -> str:
    """For information: the one process held to one core (``taskset -c``, as ``serve`` holds each of
    its processes) against the same process free, and the N processes through the proxy against it
    (medians over the bursts, each burst's rows with each other)."""
    med = statistics.median
    gain = med(h.rate / a.rate for a, h in held if a.rate)
    ratio = med(b.rate / h.rate for (_, b), (_, h) in zip(through, held) if h.rate)
    return (f"one process held to one core (taskset -c, as serve holds each of its), {users} users: held / free "
            f"journeys/s median {gain:.2f} (held {med(h.rate for _, h in held):.1f}/s, "
            f"{med(h.cpu_ms for _, h in held):.1f} ms of CPU a journey; free {med(a.rate for a, _ in held):.1f}/s, "
            f"{med(a.cpu_ms for a, _ in held):.1f} ms); {processes} processes through the proxy / one held: "
            f"median {ratio:.2f} (information)")


def cpu_budget_line(users: int, processes: int, pairs: list[tuple[Row, Row]], client: str = "bench") -> str:
    """Where the machine's cores went in the N-process bursts (medians over the bursts), and the
    journeys/s the N processes would reach if they used every core the load generator and the
    rest of the machine (HAProxy) left them, at their own CPU per journey: what the ratio could
    be here, against what it was. For information: the machine is shared with the bench."""
    cores = os.cpu_count() or 1
    med = statistics.median
    servers = med(b.server_cpu / b.seconds for _, b in pairs)
    bench = med(b.client_cpu / b.seconds for _, b in pairs)
    others = med(b.others_share for _, b in pairs)
    left = cores - bench - others
    per_journey = med(b.server_cpu / b.ok for _, b in pairs if b.ok)
    one_rate = med(a.rate for a, _ in pairs)
    ceiling = left / per_journey if per_journey else float("nan")
    return (f"cores at {users} users, {processes} processes: servers {servers:.2f}, {client} {bench:.2f}, HAProxy and the "
            f"rest {others:.2f}, idle {max(0.0, cores - servers - bench - others):.2f} of {cores}; the {left:.2f} cores "
            f"left to the servers at {per_journey * 1000:.1f} ms a journey would serve {ceiling:.0f}/s, "
            f"{ceiling / one_rate:.2f}x one process (information)")


WRK_SCRIPT = Path(__file__).with_name("journey.lua")


def wrk_people(log: Path) -> list[Journey]:
    """The people of a ``bench/journey.lua`` log: what each was shown, or why the visit failed."""
    people = []
    for i, line in enumerate(log.read_text(encoding="utf-8").splitlines()):
        name, email, status, rest = (line.split("\t", 3) + [""] * 4)[:4]
        j = Journey(i, name, email)
        if status in ("confirmed", "waitlisted"):
            j.ok, j.shown = True, (status, int(rest) if status == "waitlisted" else None)
        else:
            j.error = rest or f"unreadable line {line[:200]!r}"
        people.append(j)
    return people


def run_wrk(target: Target, users: int, seconds: int, prefix: str, workdir: Path) -> list[Journey]:
    """``users`` simultaneous visitors for ``seconds``, driven by wrk (one connection a thread,
    ``bench/journey.lua``): the people who finished their visit."""
    log = workdir / f"wrk-{prefix}.log"
    command = ["wrk", "-t", str(users), "-c", str(users), "-d", f"{int(seconds)}s", "--timeout", "60s",
               "-s", str(WRK_SCRIPT), target.url, "--", target.path, prefix, str(log)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0 or not log.exists():
        raise RuntimeError(f"wrk failed ({done.returncode}): {(done.stderr or done.stdout)[-500:]}")
    return wrk_people(log)


def check_wrk_rsvps(planner: Planner, event_id: int, people: list[Journey], capacity: int, users: int) -> list[str]:
    """``check_rsvps`` for a wrk run: the end cuts up to one visit a user, whose registration is
    stored (the server finishes a form it was sent, after wrk has gone: waited for here) but
    whose answer was never read; any more registrations than that is a problem."""
    stored, still, deadline = -1, time.monotonic(), time.monotonic() + 30
    while time.monotonic() - still < 0.5 and time.monotonic() < deadline:
        count = len(planner.registrations(event_id))
        if count != stored:
            stored, still = count, time.monotonic()
        time.sleep(0.1)
    told = {j.email for j in people}
    untold = sum(r.email not in told for r in planner.registrations(event_id))
    problems = [f"{untold} registrations nobody finished a visit for (at most {users}, one a user, at the end)"] \
        if untold > users else []
    return problems + check_rsvps(planner, event_id, people, capacity, before=untold)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def main_processes(sizes: Sizes, processes: int, wrk: bool = False) -> int:
    """``--processes N``: the app on N processes behind HAProxy (``python -m planner serve``)
    against one process in the same run, then the rushes and the doors through the proxy."""
    results: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="rush-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "one").mkdir()
        (tmp / "served").mkdir()
        # `serve` turns Streamlit's after-run collection off; the one process gets the same, so the
        # ratio is of processes, not of that setting (--flag=--runner.postScriptGC=true: both on).
        gc = [] if any(f.startswith("--runner.postScriptGC") for f in EXTRA_FLAGS) else NO_GC
        with app_server(tmp / "one", gc, name="one") as one, \
                ServedApp(tmp / "served", processes=processes, env=UNLIMITED, flags=[*server_flags(), *gc],
                          own_base_url=False) as served:
            one_planner = Planner(one.db, base_url=one.url)
            served_planner = Planner(served.db, base_url=served.url)
            token = served_planner.start_session(next(u for u in served_planner.list_users() if u.email == ADMIN_EMAIL).id)
            one_token = one_planner.start_session(next(u for u in one_planner.list_users() if u.email == ADMIN_EMAIL).id)
            await warm_up(one, [], one_planner, one_token)
            for _ in range(processes * 2):  # every process behind the proxy gets its first visits
                await warm_up(served, [], served_planner, token)
            print(f"servers: one process pid {one.pid} ({one.url}); {processes} processes {served.app_pids} behind "
                  f"HAProxy pid {served.proxy_pid} ({served.url}); flags of both {[*gc, *EXTRA_FLAGS] or 'none'}; "
                  f"{load_line()}\n",
                  flush=True)

            scale, straight, held = await scale_comparison(one, one_planner, served, served_planner, sizes,
                                                           straight=True, pinned=True)
            for pairs in scale.values():
                for a, b in pairs:
                    results += [a, b]
            results += [b for pairs in straight.values() for _, b in pairs]
            results += [b for pairs in held.values() for _, b in pairs]
            with_wrk = (await scale_comparison(one, one_planner, served, served_planner, sizes, tmp))[0] if wrk else {}
            for pairs in with_wrk.values():
                for a, b in pairs:
                    results += [a, b]

            proxy_cpu = served.proxy_cpu_seconds()
            row = await at_once_row(served, served_planner, sizes, 1, copy=False)
            results.append(row)
            print_progress([row])
            row, door_row, door_run = await spread_rows(served, served_planner, token, sizes, 1)
            results += [row, door_row]
            print_progress([row, door_row], extra=f"    counter shown: {door_run.counter}")
            camera = await camera_door(served, served_planner, sizes.camera_scans, 1)
            results.append(camera)
            print_progress([camera])
            proxy_cpu = served.proxy_cpu_seconds() - proxy_cpu

            print()
            print_table(results)
            print()
            verdict = Verdicts()
            correctness_verdict(verdict, [r for r in results if not r.scenario.startswith(("scale", "wrk"))])
            scale_rows = [r for r in results if r.scenario.startswith(("scale", "wrk"))]
            problems = [p for r in scale_rows for p in r.problems]
            verdict("scale runs without failures", not problems and all(r.failed == 0 for r in scale_rows),
                    "; ".join(problems[:5]) or "every journey ok, every database exact")
            for users, pairs in scale.items():
                ratio, line = scale_summary(f"scale, {users} users", processes, pairs)
                p95s = [b.pct(0.95) / a.pct(0.95) if a.times else float("nan") for a, b in pairs]
                print(f"{line}, p95 ratio median {statistics.median(p95s):.2f}")
                verdict(f"journeys/s at {users} users, {processes} processes / one >= 1.6", ratio >= 1.6, f"{ratio:.2f}")
                print(cpu_budget_line(users, processes, pairs))
            for users, pairs in straight.items():  # information: the same processes without the proxy hop
                print(scale_summary(f"scale straight (the processes on their own ports, no proxy, the users split "
                                    f"between them), {users} users", processes, pairs)[1]
                      + " (information: what the proxy hop costs)")
                print(cpu_budget_line(users, processes, pairs))
            for users, pairs in held.items():  # information: the one process held to one core, as serve holds each
                print(held_line(users, processes, scale[users], pairs))
            for users, pairs in with_wrk.items():  # information: the same comparison with a visitor that costs less CPU
                print(scale_summary(f"scale with wrk as the visitors, {users} users", processes, pairs)[1] + " (information)")
                print(cpu_budget_line(users, processes, pairs, client="wrk"))
            print(f"HAProxy's CPU during the rushes: {proxy_cpu:.1f} s; {load_line()}")
            errors = served.errors()
            if errors:
                print(f"\nthe {processes} processes logged {sum(errors.values())} uncaught exceptions:")
                for line, n in sorted(errors.items(), key=lambda kv: -kv[1]):
                    print(f"  {n:5d} x {line}")
    return 1 if verdict.failures else 0


def parse_args(argv=None) -> tuple[Sizes, int, bool]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller numbers, same checks")
    parser.add_argument("--repeat", type=int, help="how many times to repeat the rushes (default 3)")
    parser.add_argument("--processes", type=int, default=0, metavar="N",
                        help="run the app as `python -m planner serve --processes N` behind HAProxy, against one process")
    parser.add_argument("--wrk", action="store_true",
                        help="with --processes: the comparison again with wrk (Debian's) as the visitors, for information")
    parser.add_argument("--flag", action="append", default=[], metavar="FLAG",
                        help="an extra `streamlit run` flag for every server, e.g. --flag=--runner.postScriptGC=false")
    args = parser.parse_args(argv)
    EXTRA_FLAGS[:] = args.flag
    sizes = QUICK if args.quick else Sizes()
    if args.repeat:
        sizes.repeat = max(1, min(args.repeat, 10))
    if args.wrk and not args.processes:
        parser.error("--wrk goes with --processes N")
    return sizes, max(0, args.processes), args.wrk


if __name__ == "__main__":
    _sizes, _processes, _wrk = parse_args()
    sys.exit(asyncio.run(main_processes(_sizes, _processes, _wrk) if _processes else main(_sizes)))
