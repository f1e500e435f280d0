"""Nagle's algorithm off on the server's TCP connections (``TCP_NODELAY``), as asyncio means.

asyncio turns ``TCP_NODELAY`` on for every TCP connection it makes or accepts, but it tells a
TCP socket by its protocol number, and Streamlit 1.67 binds its listening socket itself as
``socket.socket(family)``, with protocol 0; the connections accepted from it inherit the 0, so
asyncio leaves Nagle's algorithm on for all of them. uvicorn writes a response's head and its
body apart, and once a kept-alive connection is past its first exchanges the client delays its
ACK of the head (40 ms on Linux, up to 200 ms on Windows), and the body waits for that ACK.
Measured on the public event page: the form's answer, on the connection the browser kept from
the POST, came after 44 ms instead of 1 ms, and so did every request after it on that
connection. It is uvicorn's known bug for the sockets it is handed (Kludex/uvicorn#3149),
here reached through Streamlit's own binding. Streamlit's websocket messages were held the
same way: a rerun of bench/bare_app.py's form took 64 ms with Nagle's algorithm on and 23 ms
with it off, on the same idle server.

``turn_on()`` makes asyncio set ``TCP_NODELAY`` on every stream socket of the internet
families, whatever protocol number its Python object carries. app.py calls it before uvicorn
accepts the first connection. When Streamlit or uvicorn create the socket with
``IPPROTO_TCP`` this does nothing more than asyncio already does.
"""

from __future__ import annotations

import asyncio.base_events
import socket

_INTERNET = (socket.AF_INET, socket.AF_INET6)


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in _INTERNET and sock.type == socket.SOCK_STREAM:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # not a TCP socket after all (a test's socketpair): leave it as it is
            pass


def turn_on() -> None:
    """From now on, every connection asyncio accepts or opens in this process has Nagle's
    algorithm off. Calling it again changes nothing."""
    asyncio.base_events._set_nodelay = _set_nodelay


def is_on() -> bool:
    """Whether ``turn_on()`` has been called in this process."""
    return asyncio.base_events._set_nodelay is _set_nodelay
