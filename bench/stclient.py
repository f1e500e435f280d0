"""A small client for Streamlit's websocket protocol, for load tests without a browser.

One ``StClient`` is one browser tab: it asks ``GET /_stcore/health`` for the XSRF cookie,
opens ``ws://HOST:PORT/_stcore/stream`` with the subprotocol header ``streamlit, <xsrf
token>`` (and any cookies, such as a sign-in cookie, on the handshake), and then drives
script runs the way the browser does:

* the first ``BackMsg.rerun_script`` carries the query string (without ``?``) and the page's
  url path as ``page_name``; later ones carry the page's script hash from the ``navigation``
  ForwardMsg and the query string as the server last set it (``page_info_changed``);
* every rerun carries the widget values the browser holds (text inputs, text areas and
  checkboxes outside forms; a form's values only when it is submitted) plus, for a click,
  the button's ``trigger_value``; a button inside an ``st.fragment`` reruns that fragment
  alone (its ``fragment_id``), as the browser does;
* ForwardMsgs are read until ``script_finished`` (a run ended by ``st.rerun()`` is followed
  to the run that replaces it); the element deltas are collected into a flat list of
  ``Element``s (type, text, widget id, label, key, form, fragment), so a test can look for
  text, find widgets by key or label, and see ``exception`` elements — an uncaught
  exception still ends the run "successfully" and shows only as such an element;
* ``auto_rerun`` messages (``@st.fragment(run_every=...)``) are remembered; the browser's
  timer is the caller's to run: ``run_fragment(fragment_id)`` sends what the timer would.

For plain server-rendered pages (no websocket), ``HtmlVisitor`` is one browser's visits:
its requests on one kept-alive HTTP/1.1 connection (``HttpConnection``), or each on a new one
(``http_request``); an HTML form's urlencoded POST with the site's ``Origin``; the cookies it
is given kept and sent back; and ``Page.text_of(id)`` the text a person reads in one element
(tags stripped, entities unescaped, whitespace collapsed).

Nothing here is specific to the planner. It talks only to the address it is given.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
import uuid
from html.parser import HTMLParser
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.typing import Origin, Subprotocol

XSRF_COOKIE = "_streamlit_xsrf"
_ID_KEY = re.compile(r"^\$\$ID-[0-9a-f]+-(.*)$", re.S)
_DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile_error",
}
# Widgets whose value the client keeps and sends back, as the browser's widget manager does.
_VALUE_WIDGETS = {"text_input": "string_value", "text_area": "string_value", "checkbox": "bool_value"}
_BUTTONS = {"button", "download_button"}


class ProtocolError(Exception):
    """The server did something a browser would not accept, or did not answer in time."""


@dataclass
class Element:
    path: tuple[int, ...]
    type: str  # the Element oneof ("markdown", "alert", "text_input", ...) or "block:<kind>"
    text: str  # what a person reads: body, label, message
    id: str | None = None  # widget id, for widgets
    label: str = ""
    key: str | None = None  # the widget's user key, recovered from its id
    form_id: str = ""  # the form a widget belongs to (blocks: the form it is)
    fragment_id: str = ""
    proto: object = None  # the element's own message (TextInput, Alert, ...)

    def __repr__(self) -> str:  # short, for assertion messages
        key = f" key={self.key!r}" if self.key else ""
        return f"<{self.type}{key} {self.text[:80]!r}>"


@dataclass
class Run:
    """What one script run (or fragment run) did."""

    status: str  # "ok" or "compile_error"
    seconds: float
    messages: int
    reruns: int = 0  # runs that ended early for st.rerun() before this one
    elements: list[Element] = field(default_factory=list)
    deltas: int = 0  # elements and blocks the server sent in this run
    delta_fragments: set[str] = field(default_factory=set)  # the fragment ids they carried ("" outside any)


def _text_of(kind: str, e) -> str:
    if kind in ("markdown", "heading", "alert", "html", "text"):
        return e.body
    if kind == "exception":
        return f"{e.type}: {e.message}"
    if kind == "progress":
        return e.text
    if kind == "code":
        return e.code_text
    if kind == "metric":
        return f"{e.label}: {e.body}"
    return getattr(e, "label", "") or ""


def shown_value(e):
    """The value a widget shows when drawn: the one the server set, else its default (a
    selectbox's option, not its index)."""
    if e.DESCRIPTOR.name == "Selectbox":
        return e.raw_value if e.set_value else e.options[e.default]
    if e.set_value:
        return e.value
    for name in ("value", "default"):
        try:
            if e.HasField(name):
                return getattr(e, name)
        except ValueError:  # a field without presence (checkbox)
            return e.default
    return type(e.default)()


def key_of(widget_id: str | None) -> str | None:
    if not widget_id:
        return None
    m = _ID_KEY.match(widget_id)
    if not m or m.group(1) == "None":
        return None
    return m.group(1)


def _request_head(method: str, host: str, port: int, target: str, body: bytes, headers: dict[str, str] | None,
                  cookies: dict[str, str] | None, connection: str) -> bytes:
    cookie = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
    return (f"{method} {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: {connection}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
            + (f"Content-Length: {len(body)}\r\n" if body or method in ("POST", "PUT") else "") + "\r\n"
            ).encode("latin-1") + body


def _answer_head(method: str, target: str, head_bytes: bytes) -> tuple[int, list[tuple[str, str]]]:
    """The status and the headers (lower-cased names, in order, so several ``set-cookie`` stay apart)."""
    lines = head_bytes.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        raise ProtocolError(f"{method} {target}: not an HTTP status line: {lines[0][:100]!r}") from None
    return status, [(k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:] if line)]


async def http_request(host: str, port: int, method: str, target: str, *, body: bytes = b"",
                       headers: dict[str, str] | None = None, cookies: dict[str, str] | None = None,
                       timeout: float = 10.0) -> tuple[int, list[tuple[str, str]], bytes]:
    """One HTTP/1.1 request on a new connection (``Connection: close``), the whole exchange
    within ``timeout``: status, headers (lower-cased names, in order) and the body (de-chunked)."""
    connection = HttpConnection(host, port, timeout)
    try:
        return await connection.request(method, target, body=body, headers=headers, cookies=cookies, close=True)
    finally:
        await connection.close()


class HttpConnection:
    """One HTTP/1.1 connection kept alive from request to request, as a browser keeps its
    connection to a site: opened at the first request, and again when the server has closed it
    (``Connection: close``, or an idle connection the server dropped, for which the request is
    sent once more on a new one, as browsers do). Each answer is read by its own framing
    (``Content-Length``, chunked, or to the end when the server closes)."""

    def __init__(self, host: str, port: int, timeout: float = 10.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0  # connections opened so far (a test sees the reuse)

    async def request(self, method: str, target: str, *, body: bytes = b"", headers: dict[str, str] | None = None,
                      cookies: dict[str, str] | None = None, close: bool = False) -> tuple[int, list[tuple[str, str]], bytes]:
        """One request (``close``: asking the server to close the connection after it)."""
        data = _request_head(method, self.host, self.port, target, body, headers, cookies,
                             "close" if close else "keep-alive")
        async with asyncio.timeout(self.timeout):
            reused = self.writer is not None
            try:
                return await self._exchange(method, target, data)
            except (ConnectionError, asyncio.IncompleteReadError) as err:
                await self.close()
                if not reused or (isinstance(err, asyncio.IncompleteReadError) and err.partial):
                    raise
                return await self._exchange(method, target, data)  # the server had dropped the idle connection

    async def _exchange(self, method: str, target: str, data: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.opened += 1
        self.writer.write(data)
        await self.writer.drain()
        head_bytes = (await self.reader.readuntil(b"\r\n\r\n"))[:-4]
        status, answer_headers = _answer_head(method, target, head_bytes)
        values = {}
        for k, v in answer_headers:
            values.setdefault(k, v.lower())
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            content = b""
        elif "chunked" in values.get("transfer-encoding", ""):
            content = await self._chunks()
        elif "content-length" in values:
            content = await self.reader.readexactly(int(values["content-length"]))
        else:
            content = await self.reader.read()
            values["connection"] = "close"
        if "close" in values.get("connection", ""):
            await self.close()
        return status, answer_headers, content

    async def _chunks(self) -> bytes:
        out = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while (await self.reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, then the blank line
                    pass
                return b"".join(out)
            out.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def close(self) -> None:
        if self.writer is not None:
            writer, self.reader, self.writer = self.writer, None, None
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass


async def http_get(host: str, port: int, target: str, timeout: float = 10.0,
                   cookies: dict[str, str] | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
    """A plain HTTP/1.1 GET (status, headers, body): enough for the health check's cookie."""
    return await http_request(host, port, "GET", target, cookies=cookies, timeout=timeout)


def set_cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    """The cookies an answer sets (every ``Set-Cookie``), name -> value."""
    out = {}
    for name, value in headers:
        if name == "set-cookie" and "=" in value.split(";", 1)[0]:
            key, _, val = value.split(";", 1)[0].partition("=")
            out[key.strip()] = val.strip()
    return out


async def http_put_file(host: str, port: int, target: str, data: bytes, name: str, mime: str,
                        cookies: dict[str, str], headers: dict[str, str], timeout: float = 30.0) -> int:
    """A multipart PUT of one file (field ``file``), as the browser uploads a camera photo to
    ``/_stcore/upload_file/…``: the status code."""
    boundary = "----stclient" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: {mime}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    head = (f"PUT {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n")
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(head.encode() + body)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
    return int(raw.split(b"\r\n", 1)[0].split()[1])


@dataclass
class Page:
    """One plain HTTP answer: status, headers (lower-cased names, in order), body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float = 0.0

    @functools.cached_property
    def text(self) -> str:  # decoded once: the bench reads a page several times
        return self.body.decode("utf-8", errors="replace")

    @property
    def cookies_set(self) -> dict[str, str]:
        return set_cookies(self.headers)

    def header(self, name: str) -> str:
        """The first value of the header ``name`` (lower-case), or ""."""
        return next((v for k, v in self.headers if k == name), "")

    def text_of(self, element_id: str) -> str | None:
        """What a person reads in the element with this id: tags stripped, entities unescaped,
        whitespace collapsed; None when there is no such element."""
        text = self.text
        start = _element_start(text, element_id)
        if start is None:
            return None
        finder = _TextById(element_id)
        rest = text[start:]
        for at in range(0, len(rest), 256):  # from the element on, and only until it closes
            finder.feed(rest[at:at + 256])
            if finder.done:
                break
        else:
            finder.close()
        if not finder.found:
            return None
        return " ".join("".join(finder.parts).split())


@functools.lru_cache(maxsize=64)
def _id_tag(element_id: str) -> re.Pattern:
    return re.compile(r"<[A-Za-z][^<>]*\bid=[\"']?" + re.escape(element_id) + r"[\"'\s>/]")


def _element_start(text: str, element_id: str) -> int | None:
    """Where the first tag with ``id`` ``element_id`` starts in ``text``, or None. Only the
    places the id's text occurs are tried, each from the ``<`` before it: a regular expression
    tried at every tag of the page was about 15% of the bench's CPU in a rush (py-spy)."""
    tag = _id_tag(element_id)
    at = text.find(element_id)
    while at != -1:
        opened = text.rfind("<", 0, at)
        if opened != -1 and tag.match(text, opened):
            return opened
        at = text.find(element_id, at + 1)
    return None


_BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
           "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
           "table", "td", "th", "tr", "ul"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TextById(HTMLParser):
    """The text inside the first element with a given id (nested elements included)."""

    def __init__(self, element_id: str):
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.found = False
        self.depth = 0  # open elements inside the one wanted (it included), while reading it
        self.done = False
        self.parts: list[str] = []
        self.skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if self.depth:
            if tag in ("script", "style"):
                self.skip += 1
            if tag not in _VOID:
                self.depth += 1
            if tag in _BLOCKS:
                self.parts.append(" ")
        elif dict(attrs).get("id") == self.element_id:
            self.found = True
            self.depth = 0 if tag in _VOID else 1
            self.done = tag in _VOID

    def handle_endtag(self, tag):
        if self.done or not self.depth:
            return
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        self.depth -= 1
        if tag in _BLOCKS:  # inline tags (strong, a, span) join their text to what is around them
            self.parts.append(" ")
        if not self.depth:
            self.done = True

    def handle_data(self, data):
        if self.depth and not self.done and not self.skip:
            self.parts.append(data)


class HtmlVisitor:
    """One browser on plain server-rendered pages of the server at ``base_url``, each request
    within ``timeout``: the cookies the server sets are kept and sent back, and a form POST
    carries the site's own ``Origin``, as a browser's does. With ``keep_alive`` its requests
    share one connection (``HttpConnection``), as a browser's do from page to form to answer;
    without, every request is a new connection. ``last`` is the last answer; ``form_key`` is
    for the caller to keep."""

    def __init__(self, base_url: str, *, timeout: float = 60.0, headers: dict[str, str] | None = None,
                 cookies: dict[str, str] | None = None, keep_alive: bool = False):
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.cookies = dict(cookies or {})
        self.connection = HttpConnection(self.host, self.port, timeout) if keep_alive else None
        self.last: Page | None = None
        self.form_key = ""

    async def _keep(self, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Page:
        started = time.perf_counter()
        headers = {**self.headers, **(headers or {})}
        if self.connection is None:
            status, answer_headers, content = await http_request(
                self.host, self.port, method, target, body=body, headers=headers, cookies=self.cookies,
                timeout=self.timeout)
        else:
            status, answer_headers, content = await self.connection.request(
                method, target, body=body, headers=headers, cookies=self.cookies)
        self.cookies.update(set_cookies(answer_headers))
        self.last = Page(status, answer_headers, content, time.perf_counter() - started)
        return self.last

    async def get(self, target: str) -> Page:
        return await self._keep("GET", target)

    async def post_form(self, target: str, fields: dict[str, str]) -> Page:
        return await self._keep("POST", target, urlencode(fields).encode(),
                                {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.base_url})

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()

    async def __aenter__(self) -> "HtmlVisitor":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()


class StClient:
    """One browser tab on a Streamlit server at ``base_url`` (http://127.0.0.1:PORT)."""

    def __init__(self, base_url: str, *, cookies: dict[str, str] | None = None, timezone: str = "Europe/Berlin",
                 timeout: float = 60.0, headers: dict[str, str] | None = None):
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host, self.port = parts.hostname, parts.port
        self.cookies = dict(cookies or {})
        self.headers = dict(headers or {})  # more headers on the websocket handshake (X-Forwarded-For…)
        self.timezone = timezone
        self.timeout = timeout
        self.ws = None
        self.page_name = ""
        self.query_string = ""
        self.page_script_hash = ""
        self.elements_by_path: dict[tuple[int, ...], Element] = {}
        self.values: dict[str, WidgetState] = {}  # what the browser's widget manager holds
        self.auto_reruns: dict[str, float] = {}  # fragment id -> interval (s)
        self.runs = 0
        self.session_id = ""  # the server's id of this tab's session (uploads name it)
        self._fragment_run = False

    # ------------------------------------------------------------------ connection

    async def open(self, path: str = "/", query: str = "") -> Run:
        """Load a page: health check (XSRF cookie), websocket, first script run."""
        status, headers, _ = await http_get(self.host, self.port, "/_stcore/health", self.timeout, self.cookies)
        if status != 200:
            raise ProtocolError(f"health check answered {status}")
        self.keep_cookies(headers)
        protocols = [Subprotocol("streamlit")]
        if self.cookies.get(XSRF_COOKIE):
            protocols.append(Subprotocol(self.cookies[XSRF_COOKIE]))
        cookie_header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await connect(
            f"ws://{self.host}:{self.port}/_stcore/stream",
            subprotocols=protocols,
            origin=Origin(self.base_url),
            additional_headers={**self.headers, **({"Cookie": cookie_header} if cookie_header else {})} or None,
            compression=None,
            max_size=None,
            ping_interval=None,
            open_timeout=self.timeout,
            close_timeout=2,
        )
        self.page_name = path.strip("/")
        self.query_string = query.lstrip("?")
        return await self.rerun()

    def keep_cookies(self, headers: list[tuple[str, str]]) -> None:
        """Keep every cookie the server (or a proxy in front of it) sets, as a browser does:
        the XSRF token, and behind ``python -m planner serve`` HAProxy's ``planner_server``,
        which keeps this tab's websocket and uploads on one process."""
        self.cookies.update(set_cookies(headers))

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await self.ws.close()
            except Exception:  # noqa: BLE001 - closing a dead socket is not news
                pass
            self.ws = None

    async def __aenter__(self) -> "StClient":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    # ------------------------------------------------------------------ runs

    def _back_msg(self, states: list[WidgetState], fragment_id: str, is_auto_rerun: bool) -> bytes:
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query_string
        rs.page_name = self.page_name
        if self.page_script_hash:
            rs.page_script_hash = self.page_script_hash
        rs.widget_states.widgets.extend(states)
        if fragment_id:
            rs.fragment_id = fragment_id
            rs.is_auto_rerun = is_auto_rerun
        rs.context_info.timezone = self.timezone
        rs.context_info.locale = "en-GB"
        rs.context_info.url = f"{self.base_url}/{self.page_name}" + (f"?{self.query_string}" if self.query_string else "")
        rs.context_info.is_embedded = False
        rs.context_info.color_scheme = "light"
        return msg.SerializeToString()

    def browser_states(self, form_id: str | None = None) -> list[WidgetState]:
        """The values the browser would send: widgets outside forms (and one form's, on submit)."""
        out = []
        for e in self.elements_by_path.values():
            if e.id in self.values and (not e.form_id or e.form_id == form_id):
                out.append(self.values[e.id])
        return out

    async def rerun(self, states: list[WidgetState] | None = None, *, fragment_id: str = "",
                    is_auto_rerun: bool = False) -> Run:
        """Send one rerun_script and read until the run (and any st.rerun() after it) finishes."""
        if self.ws is None:
            raise ProtocolError("not connected")
        if states is None:
            states = self.browser_states()
        started = time.perf_counter()
        if fragment_id:  # the fragment's old elements are replaced by this run's
            self.elements_by_path = {p: e for p, e in self.elements_by_path.items() if e.fragment_id != fragment_id}
        self._fragment_run = bool(fragment_id)  # fragment runs start with new_session too
        await self.ws.send(self._back_msg(states, fragment_id, is_auto_rerun))
        messages = early = deltas = 0
        delta_fragments: set[str] = set()
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    data = await self.ws.recv()
                    messages += 1
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    kind = msg.WhichOneof("type")
                    if kind == "script_finished":
                        if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            early += 1
                            continue
                        status = _DONE.get(msg.script_finished, str(msg.script_finished))
                        break
                    if kind == "delta":
                        deltas += 1
                        delta_fragments.add(msg.delta.fragment_id)
                    self._apply(msg, kind)
        except TimeoutError:
            raise ProtocolError(f"no script_finished within {self.timeout:.0f} s ({messages} messages)") from None
        self.runs += 1
        if not fragment_id:  # the browser forgets widgets the run no longer drew
            live = {e.id for e in self.elements_by_path.values() if e.id}
            self.values = {i: v for i, v in self.values.items() if i in live}
        return Run(status, time.perf_counter() - started, messages, early, self.elements, deltas, delta_fragments)

    def _apply(self, msg: ForwardMsg, kind: str) -> None:
        if kind == "new_session":
            if not self._fragment_run:  # a full run starts: the page is drawn afresh
                self.elements_by_path = {}
                self.auto_reruns = {}  # announced again by the run (their ids follow their place)
            if not self.page_script_hash:
                self.page_script_hash = msg.new_session.page_script_hash
            if msg.new_session.initialize.session_id:
                self.session_id = msg.new_session.initialize.session_id
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            self.auto_reruns.clear()
        elif kind == "ref_hash":
            raise ProtocolError("server sent a cached-message reference the client never offered")
        elif kind == "delta":
            self._apply_delta(msg)

    def _apply_delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        which = delta.WhichOneof("type")
        if which == "new_element":
            kind = delta.new_element.WhichOneof("type")
            if kind is None:
                return
            e = getattr(delta.new_element, kind)
            widget_id = getattr(e, "id", None) or None
            element = Element(
                path=path, type=kind, text=_text_of(kind, e), id=widget_id, label=getattr(e, "label", "") or "",
                key=key_of(widget_id), form_id=getattr(e, "form_id", "") or "", fragment_id=delta.fragment_id, proto=e,
            )
            if kind in _VALUE_WIDGETS and widget_id:
                field_name = _VALUE_WIDGETS[kind]
                if widget_id not in self.values or e.set_value:
                    state = WidgetState(id=widget_id)
                    setattr(state, field_name, shown_value(e))
                    self.values[widget_id] = state
        elif which == "add_block":
            block = delta.add_block
            kind = block.WhichOneof("type") or "block"
            form_id = block.form.form_id if kind == "form" else ""
            label = getattr(getattr(block, kind, None), "label", "") if kind != "block" else ""
            element = Element(path=path, type=f"block:{kind}", text=label or "", form_id=form_id,
                              fragment_id=delta.fragment_id, proto=block)
        else:  # transient elements (toasts, spinners) are not part of the page
            return
        # Drawing at a path replaces what was there, and whatever was inside it.
        if which == "add_block":
            n = len(path)
            self.elements_by_path = {p: x for p, x in self.elements_by_path.items() if p[:n] != path or p == path}
        self.elements_by_path[path] = element

    # ------------------------------------------------------------------ reading the page

    @property
    def elements(self) -> list[Element]:
        return [self.elements_by_path[p] for p in sorted(self.elements_by_path)]

    def find(self, *, key: str | None = None, label: str | None = None, type: str | None = None) -> list[Element]:
        """Elements by widget key, by (whole) label or by type; all given must match."""
        return [
            e for e in self.elements
            if (key is None or e.key == key) and (label is None or e.label == label) and (type is None or e.type == type)
        ]

    def widget(self, key_or_label: str, type: str | None = None) -> Element:
        found = self.find(key=key_or_label, type=type) or self.find(label=key_or_label, type=type)
        if not found:
            raise LookupError(f"no widget {key_or_label!r} on the page: {self.elements}")
        if len(found) > 1:
            raise LookupError(f"{len(found)} widgets match {key_or_label!r}: {found}")
        return found[0]

    def texts(self, *types: str) -> list[str]:
        return [e.text for e in self.elements if not types or e.type in types]

    def has_text(self, needle: str) -> bool:
        return any(needle in e.text for e in self.elements)

    def exceptions(self) -> list[Element]:
        return [e for e in self.elements if e.type == "exception"]

    # ------------------------------------------------------------------ acting

    def _set(self, element: Element, value) -> WidgetState:
        state = WidgetState(id=element.id)
        field_name = _VALUE_WIDGETS.get(element.type)
        if field_name is None:
            raise TypeError(f"cannot type into {element!r}")
        setattr(state, field_name, value)
        self.values[element.id] = state
        return state

    async def submit_form(self, button: str, values: dict[str, str | bool]) -> Run:
        """Fill a form's fields (by key or label) and press its submit button (by key or label):
        one rerun with every value the browser holds for the page and that form, plus the
        button's trigger_value."""
        submit = self.widget(button)
        if not submit.form_id:
            raise LookupError(f"{submit!r} is not a form's submit button")
        for name, value in values.items():
            field_element = self.widget(name)
            if field_element.form_id != submit.form_id:
                raise LookupError(f"{field_element!r} is not in the form of {submit!r}")
            self._set(field_element, value)
        states = self.browser_states(form_id=submit.form_id)
        states.append(WidgetState(id=submit.id, trigger_value=True))
        return await self.rerun(states, fragment_id=submit.fragment_id)  # in a fragment: it alone reruns

    async def click(self, button: str, values: dict[str, str | bool] | None = None) -> Run:
        """Set widgets outside forms (by key or label), then press a button, in one rerun."""
        for name, value in (values or {}).items():
            self._set(self.widget(name), value)
        pressed = self.widget(button)
        if pressed.type not in _BUTTONS:
            raise LookupError(f"{pressed!r} is not a button")
        states = self.browser_states()
        states.append(WidgetState(id=pressed.id, trigger_value=True))
        return await self.rerun(states, fragment_id=pressed.fragment_id)

    async def upload(self, widget: str, data: bytes, name: str = "image.jpg", mime: str = "image/jpeg") -> Run:
        """Give a camera input or file uploader (by key or label) one file, as the browser does:
        ask the server for an upload address over the websocket, PUT the file there over plain
        HTTP (with the XSRF header and every cookie: behind a proxy, the one that routes this
        tab to the process holding its session), then rerun with the widget's new value."""
        element = self.widget(widget)
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await self.ws.send(request.SerializeToString())
        async with asyncio.timeout(self.timeout):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await self.ws.recv())
                if msg.WhichOneof("type") == "file_urls_response":
                    if msg.file_urls_response.response_id == request.file_urls_request.request_id:
                        break
        response = msg.file_urls_response
        if response.error_msg or not response.file_urls:
            raise ProtocolError(f"no upload address: {response.error_msg!r}")
        urls = response.file_urls[0]
        target = urls.upload_url
        if target.startswith("http"):
            target = "/" + target.split("/", 3)[3]
        headers = {"X-Xsrftoken": self.cookies[XSRF_COOKIE]} if self.cookies.get(XSRF_COOKIE) else {}
        headers["Origin"] = self.base_url
        status = await http_put_file(self.host, self.port, target, data, name, mime, self.cookies, headers, self.timeout)
        if status not in (200, 204):
            raise ProtocolError(f"upload answered {status}")
        state = WidgetState(id=element.id)
        state.file_uploader_state_value.uploaded_file_info.append(
            UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id, file_urls=urls))
        states = [st for st in self.browser_states() if st.id != element.id] + [state]
        return await self.rerun(states)

    async def run_fragment(self, fragment_id: str | None = None) -> Run:
        """What the browser's timer sends for ``@st.fragment(run_every=...)``."""
        if fragment_id is None:
            if len(self.auto_reruns) != 1:
                raise LookupError(f"expected one auto-rerunning fragment, found {list(self.auto_reruns)}")
            (fragment_id,) = self.auto_reruns
        return await self.rerun(fragment_id=fragment_id, is_auto_rerun=True)
