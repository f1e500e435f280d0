"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, in a thread, with knobs for what real
servers do wrong.

``SmtpServer()`` listens on a free port once ``start()``-ed; the ``smtp_server`` fixture
(``tests/conftest.py``) gives a started one per test and stops it after. What it received is in
``messages`` (``Received``: envelope sender, recipients, the parsed message and its raw bytes);
``connections`` counts the connections clients opened. Knobs, each until ``reset()``:

* ``refuse_permanently(code=550, text=…, recipient=None, stage="rcpt")`` and
  ``refuse_temporarily(code=451, …)``: answer ``code text`` at ``stage`` — ``"rcpt"`` (for
  ``recipient`` only, or for everyone), ``"mail"`` (the sender) or ``"data"`` (the content);
* ``delay(seconds)``: wait that long before answering the end of DATA (a slow or hung server,
  for client timeouts); the message is not stored when the client gave up;
* ``require_login(user, password)``: AUTH (PLAIN, LOGIN; no TLS needed, as on a loopback catcher)
  is required and checks these; without it, AUTH is offered and every attempt is refused;
* ``stop()`` / ``start()``: the server goes away (open connections are cut, new ones refused)
  and comes back on the same port.

``SmtpServer(tls="starttls" | "ssl", certificate=(cert_file, key_file))`` offers STARTTLS, or
speaks TLS from the first byte; ``self_signed_certificate(folder)`` makes a pair for 127.0.0.1
with openssl (the client trusts it with ``ssl.create_default_context(cafile=cert_file)``).

``settings(**overrides)`` is an ``SmtpSettings`` for this server (security ``"none"``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import ssl
import subprocess
import threading
import warnings
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from planner.mail.transport import SmtpSettings

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes


@dataclass(frozen=True)
class _Refusal:
    answer: str  # "550 5.1.1 No such user"
    recipient: str | None
    stage: str


def self_signed_certificate(folder: Path, host: str = HOST) -> tuple[Path, Path]:
    """A certificate and its key for ``host`` (an IP address), signed by itself, in ``folder``."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={host}",
         "-addext", f"subjectAltName=IP:{host}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class _Handler:
    """aiosmtpd's hooks, answering as the server's knobs say."""

    def __init__(self, server: SmtpServer):
        self.server = server

    def _refusal(self, stage: str, recipient: str | None = None) -> str | None:
        for refusal in self.server._refusals:
            if refusal.stage == stage and (refusal.recipient is None or refusal.recipient == recipient):
                return refusal.answer
        return None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        refused = self._refusal("mail")
        if refused:
            return refused
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refused = self._refusal("rcpt", address.lower())
        if refused:
            return refused
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refused = self._refusal("data")
        if refused:
            return refused
        if self.server._delay:
            await asyncio.sleep(self.server._delay)  # cancelled when the client hangs up first
            if server.transport is None:
                return "451 4.4.2 The client went away"  # nobody reads this; nothing is stored
        raw = envelope.original_content or envelope.content
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=tuple(envelope.rcpt_tos),
            message=message_from_bytes(raw, policy=policy.default),
            raw=raw,
        )
        with self.server._lock:
            self.server._messages.append(received)
        return "250 OK: queued"


class _Controller(Controller):
    """Controller whose SMTP sessions are made with the server's current knobs, and counted."""

    def __init__(self, server: SmtpServer):
        super().__init__(_Handler(server), hostname=server.host, port=server.port, ready_timeout=10.0,
                         ssl_context=server._tls_context if server.tls == "ssl" else None)
        self.owner = server

    def factory(self):
        with self.owner._lock:
            self.owner._connections += 1
        with warnings.catch_warnings():  # "AUTH without TLS": on loopback, as the client allows
            warnings.simplefilter("ignore", UserWarning)
            return SMTP(
                self.handler,
                hostname="smtp.test",
                enable_SMTPUTF8=True,
                authenticator=self.owner._authenticate,
                auth_require_tls=False,
                auth_required=self.owner._login is not None,
                tls_context=self.owner._tls_context if self.owner.tls == "starttls" else None,
                require_starttls=False,
            )


class SmtpServer:
    def __init__(self, host: str = HOST, port: int | None = None, *, tls: str | None = None,
                 certificate: tuple[Path, Path] | None = None):
        assert tls in (None, "starttls", "ssl") and (tls is None) == (certificate is None), (tls, certificate)
        self.host = host
        self.port = port or free_port(host)
        self.tls = tls
        self._tls_context = None
        if certificate:
            self._tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._tls_context.load_cert_chain(*certificate)
        self._lock = threading.Lock()
        self._messages: list[Received] = []
        self._connections = 0
        self._refusals: list[_Refusal] = []
        self._delay = 0.0
        self._login: tuple[str, str] | None = None
        self._controller: _Controller | None = None

    # -- running

    def start(self) -> SmtpServer:
        """Listen (again) on ``port``. A stopped aiosmtpd controller's loop is closed, so each
        start makes a new one; asyncio binds with SO_REUSEADDR, so the port is free at once."""
        assert self._controller is None, "the test SMTP server is already running"
        controller = _Controller(self)
        controller.start()
        with self._lock:
            self._connections -= 1  # start() connected once itself, to see that it answers
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening and cut open connections; the thread ends before this returns."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    @property
    def running(self) -> bool:
        return self._controller is not None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what it saw

    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._messages)

    @property
    def connections(self) -> int:
        with self._lock:
            return self._connections

    def settings(self, **overrides) -> SmtpSettings:
        base = SmtpSettings(
            host=self.host,
            port=self.port,
            user=None,
            password=None,
            security="none",
            from_address="events@example.org",
            from_name="Side Events",
            reply_to=None,
            timeout=5.0,
        )
        return dataclasses.replace(base, **overrides)

    # -- knobs

    def refuse_permanently(self, code: int = 550, text: str = "5.1.1 No such user", *,
                           recipient: str | None = None, stage: str = "rcpt") -> None:
        assert 500 <= code < 600, code
        self._refuse(code, text, recipient, stage)

    def refuse_temporarily(self, code: int = 451, text: str = "4.3.0 Try again later", *,
                           recipient: str | None = None, stage: str = "rcpt") -> None:
        assert 400 <= code < 500, code
        self._refuse(code, text, recipient, stage)

    def _refuse(self, code: int, text: str, recipient: str | None, stage: str) -> None:
        assert stage in ("mail", "rcpt", "data"), stage
        assert recipient is None or stage == "rcpt", "only RCPT is about one recipient"
        self._refusals.append(_Refusal(f"{code} {text}", recipient.lower() if recipient else None, stage))

    def delay(self, seconds: float) -> None:
        self._delay = seconds

    def require_login(self, user: str, password: str) -> None:
        self._login = (user, password)

    def reset(self) -> None:
        """Answer everything again, at once, without login; what was received stays."""
        self._refusals.clear()
        self._delay = 0.0
        self._login = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if self._login is None or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = self._login
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)
