"""The bench's kept-alive HTTP/1.1 connection (``bench/stclient.py``: ``HttpConnection``, and
``HtmlVisitor(keep_alive=True)`` on it), against a small HTTP server on 127.0.0.1 that counts
the connections it is opened and answers each request as the test asks: with a
Content-Length, chunked, or to the end with ``Connection: close``; or it drops the
connection after the first answer, as a server drops an idle kept-alive one.

A browser's visit to the event page (page, form, answer) is three requests on one connection;
the bench's journeys do the same, so what it measures is a browser's visit."""

from __future__ import annotations

import asyncio

import pytest

from bench.stclient import HtmlVisitor, HttpConnection, ProtocolError


class Server:
    """Answers ``/length``, ``/chunked``, ``/close`` and ``/drop`` (answered, then the
    connection is closed without a word); every request is recorded with its connection."""

    def __init__(self):
        self.connections = 0
        self.requests: list[tuple[int, str, str, bytes]] = []  # (connection, method, target, body)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ")
                headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append((number, method, target, body))
                cookie = headers.get("cookie", "")
                if target == "/chunked":
                    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n")
                elif target == "/close":
                    writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
                    await writer.drain()
                    return
                else:
                    text = f"{method} {target} cookie={cookie} body={body.decode()}".encode()
                    writer.write(b"HTTP/1.1 200 OK\r\nSet-Cookie: seen=yes; Path=/\r\nContent-Length: "
                                 + str(len(text)).encode() + b"\r\n\r\n" + text)
                await writer.drain()
                if target == "/drop":
                    return
        finally:
            writer.close()


@pytest.fixture
def run():
    """Runs the coroutine ``test(server, url)`` with the server up on a free port."""
    def go(test):
        async def main():
            server = Server()
            listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
            port = listening.sockets[0].getsockname()[1]
            try:
                async with listening:
                    return await test(server, port)
            finally:
                listening.close()
        return asyncio.run(main())
    return go


def test_a_visit_of_page_form_and_answer_is_one_connection(run):
    async def test(server, port):
        visitor = HtmlVisitor(f"http://127.0.0.1:{port}", timeout=5, keep_alive=True)
        async with visitor:
            page = await visitor.get("/e/1")
            assert page.status == 200 and visitor.cookies == {"seen": "yes"}
            answer = await visitor.post_form("/e/1", {"name": "Aïcha", "email": "a@example.org"})
            assert answer.text == "POST /e/1 cookie=seen=yes body=name=A%C3%AFcha&email=a%40example.org"
            assert (await visitor.get("/e/1?answer=x")).status == 200
        assert server.connections == 1 and visitor.connection.opened == 1
        assert [r[:3] for r in server.requests] == [(1, "GET", "/e/1"), (1, "POST", "/e/1"), (1, "GET", "/e/1?answer=x")]

        plain = HtmlVisitor(f"http://127.0.0.1:{port}", timeout=5)  # without: a connection a request
        await plain.get("/close")
        await plain.get("/close")
        assert server.connections == 3
    run(test)


def test_each_answer_is_read_by_its_own_framing_and_the_connection_goes_on(run):
    async def test(server, port):
        connection = HttpConnection("127.0.0.1", port, timeout=5)
        try:
            status, headers, body = await connection.request("GET", "/chunked")
            assert (status, body) == (200, b"hello, world") and ("transfer-encoding", "chunked") in headers
            _, _, body = await connection.request("GET", "/length")
            assert body.startswith(b"GET /length")
            assert connection.opened == 1
            _, _, body = await connection.request("GET", "/close")  # read to the end, then closed
            assert body == b"until the end" and connection.writer is None
            _, _, body = await connection.request("GET", "/length")
            assert body.startswith(b"GET /length") and connection.opened == 2 == server.connections
        finally:
            await connection.close()
    run(test)


def test_a_kept_connection_the_server_dropped_is_opened_again_and_the_request_sent_once(run):
    async def test(server, port):
        connection = HttpConnection("127.0.0.1", port, timeout=5)
        try:
            await connection.request("GET", "/drop")
            await asyncio.sleep(0.05)  # the server has closed it; the client does not know yet
            _, _, body = await connection.request("POST", "/length", body=b"x=1")
            assert body.endswith(b"body=x=1")
            assert connection.opened == 2
            assert [r[:3] for r in server.requests] == [(1, "GET", "/drop"), (2, "POST", "/length")]
        finally:
            await connection.close()
    run(test)


def test_a_server_that_closes_in_the_middle_of_an_answer_is_an_error_not_a_retry(run):
    async def test(server, port):
        async def half(reader, writer):
            server.connections += 1
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
            await writer.drain()
            writer.close()

        listening = await asyncio.start_server(half, "127.0.0.1", 0)
        async with listening:
            connection = HttpConnection("127.0.0.1", listening.sockets[0].getsockname()[1], timeout=5)
            with pytest.raises((asyncio.IncompleteReadError, ProtocolError)):
                await connection.request("GET", "/")
            assert connection.opened == 1 == server.connections
            await connection.close()
    run(test)
