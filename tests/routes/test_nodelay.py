"""Nagle's algorithm is off on the connections the server accepts (``planner/web/nodelay.py``).

Streamlit binds its listening socket itself, with protocol 0, and asyncio then leaves
``TCP_NODELAY`` off on every accepted connection: a kept-alive connection's answers waited
40 ms for the client's delayed ACK. The first test serves from a socket bound by Streamlit's
own ``_bind_socket`` and reads the option on the accepted connection, with and without
``turn_on()``; the second checks that app.py turns it on, as ``streamlit run app.py`` loads it
before the server accepts a connection."""

from __future__ import annotations

import asyncio
import asyncio.base_events
import os
import socket
import subprocess
import sys
from pathlib import Path

from streamlit.web.server.starlette.starlette_server import _bind_socket

from planner.web import nodelay

ROOT = Path(__file__).resolve().parents[2]


def _accepted_nodelay() -> int:
    """TCP_NODELAY on a connection accepted by an asyncio server on Streamlit's listening socket."""
    async def main() -> int:
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        class Report(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        listening = _bind_socket("127.0.0.1", 0, 8)
        server = await asyncio.get_running_loop().create_server(Report, sock=listening)
        async with server:
            _reader, writer = await asyncio.open_connection(*listening.getsockname()[:2])
            try:
                return await asyncio.wait_for(seen, 5)
            finally:
                writer.close()
    return asyncio.run(main())


def test_connections_accepted_from_streamlits_socket_have_nagle_off_once_turned_on(monkeypatch):
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)  # put back after
    assert _bind_socket("127.0.0.1", 0, 8).proto == 0  # how Streamlit binds: the cause
    if not nodelay.is_on():
        assert _accepted_nodelay() == 0, "asyncio sets TCP_NODELAY on Streamlit's connections itself now"
    nodelay.turn_on()
    nodelay.turn_on()  # twice changes nothing
    assert nodelay.is_on()
    assert _accepted_nodelay() != 0


def test_app_py_turns_it_on_as_it_loads(tmp_path):
    env = {**os.environ, "PLANNER_DB": str(tmp_path / "planner.db"), "PLANNER_DEMO": "off"}
    code = ("import runpy; from planner.web import nodelay; assert not nodelay.is_on(); "
            "runpy.run_path('app.py', run_name='app'); print('on' if nodelay.is_on() else 'off')")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "on"
