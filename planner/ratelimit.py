"""Flood limits for registrations: how many a browser session, a client address and an event
take in a minute.

Why: four scripted sessions made 508 registrations in 20 s and filled an 80-place room in 3.5 s
(issue #9). Three limits, each a number per minute (settings in ``config.py``):

* per browser session (default 5): a person registering themselves and a few colleagues;
* per client address (default 60): generous, because a conference Wi-Fi puts hundreds of
  people behind one address; IPv6 addresses count per /64, the block one household or device
  usually gets, so a bot cannot step through its own block;
* per event (default 600): above the biggest rush the project plans for (``bench/rush.py``:
  500 people within 60 s on one event), while a flood spread over many addresses is held to
  ten a second: an 80-place room takes more than a minute to flood from one address, and at
  least 8 s from ten or more, time for organizers to see it in the list. Its cost: a flood from more than ten
  addresses can hold real people off one event for a minute (they are told to wait, nothing
  is lost); it cannot take more places than the per-address limits allow.

Built on the `limits` library (in-memory storage, one per Planner, so per server process) with
the **moving window** strategy: it counts the registrations of the last 60 seconds at every
attempt, so no burst can exceed the limit. A fixed window resets on the minute and lets twice
the limit through across a boundary (60 at 12:00:59 and 60 more at 12:01:00), which is the
burst that filled the room; the moving window's price, one timestamp per registration kept
for a minute, is a few kilobytes at these limits. An attempt refused by a limit counts against
none of them, so waiting a minute always works.

The store is ``limits``' ``MemoryStorage``, cleaned by its limiter instead of by the library's
timer (``_Storage``). The library walks every key 10 ms after any hit, and never drops a key
whose entries have all expired: every browser session ever seen stayed, and every pass walked
them all. In ``bench/rush.py`` (300 registrations a second, 18,000 sessions a minute) a pass took
29 ms, up to a hundred passes a second held the server's interpreter lock 6-17% of the time, and
more the longer the rush ran. Here the limiter sweeps at most every ``CLEAN_EVERY`` seconds,
under its own lock as it counts, and drops the emptied keys: memory holds the last minute's
sessions, and a sweep costs a registration every few seconds, not the server a share of its time.
The limits are decided on each entry's own time (moving window), never on the sweep.

Only valid attempts at an open event are counted (``registrations.register`` asks after
checking the input), so a stream of junk cannot use up an event's minute; an address that is
already registered counts, so nobody probes addresses for free. Callers without a
``ClientKey`` (scripts, tests, the server itself) are not limited.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from .errors import TooManyRequests

log = logging.getLogger(__name__)
UNKNOWN_ADDRESS = "unknown"  # no address known (localhost under Streamlit, AppTest): one shared key
CLEAN_EVERY = 5.0  # seconds between sweeps of expired entries (see the module's docstring)


class _Storage(MemoryStorage):
    """``limits``' in-memory storage without its clean-up timer: its owner calls ``sweep`` (under
    the owner's lock, the one every use of the storage is made under)."""

    def __init__(self) -> None:
        super().__init__()
        self.timer.cancel()  # the library's first clean-up, 10 ms away
        self.timer.join()
        self._swept = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # the name MemoryStorage's own calls resolve to
        pass  # no timer: ``sweep``

    def sweep(self) -> bool:
        """Drops expired entries and the keys they leave empty, at most every ``CLEAN_EVERY``
        seconds; whether it did."""
        now = time.monotonic()
        if now - self._swept < CLEAN_EVERY:
            return False
        self._swept = now
        try:
            self._MemoryStorage__expire_events()
            for key in [key for key, entries in self.events.items() if not entries]:
                del self.events[key]
                self.locks.pop(key, None)
        except Exception:  # noqa: BLE001 - memory only: a registration already written must not fail for it
            log.exception("sweeping the flood limits' store failed")
            return False
        return True


@dataclass(frozen=True)
class ClientKey:
    """Who is registering, as far as the server can tell: the browser session (an id the
    server made, so it cannot be forged) and the client's address (``client_address``)."""

    session: str
    address: str = UNKNOWN_ADDRESS


@dataclass(frozen=True)
class RegistrationLimits:
    """Registrations a minute allowed per browser session, per client address and per event."""

    per_session: int = 5
    per_address: int = 60
    per_event: int = 600


class RegistrationLimiter:
    """The three limits over one in-memory store; ``admit`` counts one registration or refuses."""

    def __init__(self, limits: RegistrationLimits):
        self.limits = limits
        self._storage = _Storage()
        self._window = MovingWindowRateLimiter(self._storage)
        self._per = {
            "session": RateLimitItemPerMinute(limits.per_session),
            "address": RateLimitItemPerMinute(limits.per_address),
            "event": RateLimitItemPerMinute(limits.per_event),
        }
        self._lock = threading.Lock()  # test all three, then count all three, as one step

    def check(self, client: ClientKey, event_id: int) -> list:
        """``TooManyRequests`` when the session, the address or the event has had its minute's
        worth; else what ``count`` counts once the registration is written. Nothing is counted
        here: an attempt the database then refuses (a failed write) must not use up a limit."""
        checks = [
            ("session", self._per["session"], client.session),
            ("address", self._per["address"], address_key(client.address)),
            ("event", self._per["event"], str(event_id)),
        ]
        with self._lock:
            for kind, item, key in checks:
                if not self._window.test(item, "registrations", kind, key):
                    raise TooManyRequests("registration_rate_limited_event" if kind == "event" else
                                          "registration_rate_limited")
        return checks

    def count(self, checks: list) -> None:
        """Count one registration against the limits ``check`` returned (after it was written)."""
        with self._lock:
            for kind, item, key in checks:
                self._window.hit(item, "registrations", kind, key)
            self._storage.sweep()


def address_key(address: str) -> str:
    """The key an address counts under: IPv4 as it is, IPv6 by its /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_address(peer: str | None, forwarded: list[str] | None = None) -> str:
    """The client's address: the right-most address in ``forwarded`` (the values of the header a
    trusted proxy appends to, ``PLANNER_TRUSTED_PROXY``; pass ``None`` when no proxy is trusted,
    so a header the client sent itself is never read), else the connection's own address."""
    if forwarded is not None:
        items = [item.strip() for value in forwarded for item in str(value).split(",") if item.strip()]
        if items:
            try:  # the right-most one is what the proxy saw; anything to its left the client may have written
                return str(ipaddress.ip_address(items[-1]))
            except ValueError:
                pass  # not an address: a misconfigured proxy; fall back to the connection's
    return peer or UNKNOWN_ADDRESS


class LinkRequestLimiter:
    """"Email me my private link" (issue #10), per client: 5 requests in 10 minutes per browser
    session and 30 an hour per client address (a shared Wi-Fi), moving windows as above. The
    per-address-typed limit (3 links an hour to one inbox) is kept in the database, so it
    holds across server processes (``areas/recovery.py``)."""

    def __init__(self, per_session: str = "5/10minutes", per_address: str = "30/hour"):
        from limits import parse

        self._storage = _Storage()
        self._window = MovingWindowRateLimiter(self._storage)
        self._session, self._address = parse(per_session), parse(per_address)
        self._lock = threading.Lock()  # test both, then count both, as one step

    def hit(self, client: ClientKey) -> None:
        """Counts one request, or raises ``TooManyRequests`` (counting nothing)."""
        address = address_key(client.address)
        with self._lock:
            if not (self._window.test(self._session, "links", "session", client.session)
                    and self._window.test(self._address, "links", "address", address)):
                raise TooManyRequests("link_requests_limited")
            self._window.hit(self._session, "links", "session", client.session)
            self._window.hit(self._address, "links", "address", address)
            self._storage.sweep()
