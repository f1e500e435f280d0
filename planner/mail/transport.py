"""Handing a finished message to the mail server over SMTP, and saying what came of it.

The delivery loop (``planner.mail``) asks ``SmtpTransport.send`` to send one message and gets
back nothing (the server took it), a ``TemporaryFailure`` (keep it, try again after
``retry_delay``) or a ``PermanentFailure`` (this message will never go: mark it failed). The
line between the two follows RFC 5321 §4.2.1: a 4xx answer is transient, a 5xx answer is
permanent — for the message the server answered about. What goes wrong before a message is
offered (connecting, TLS, signing in) is about the server or our settings, never about one
message, so it is always temporary: the messages wait in the outbox until the server is back
or the operator fixed the setting, instead of all being marked failed in one run. Two answers
are classified against their code for the same reason:

* a refused sign-in (535 and the other ``SMTPAuthenticationError`` codes) is our password,
  not the message: temporary, so the messages go once ``PLANNER_SMTP_PASSWORD`` is fixed;
* a refused sender at ``MAIL FROM`` (5xx other than 552) is our ``PLANNER_SMTP_FROM`` (a
  provider that only sends as the account's own address), the same for every message:
  temporary too. 552 there is the message's size: permanent.

Connections are kept open between messages (a burst of confirmations costs one TLS handshake
and one sign-in) and opened again, once and transparently, when the server closed a kept one
while it was idle (servers do after a few minutes). A reply that did not come within the
timeout is not sent again at once: the server may have taken the message, and the outbox's
next try is soon enough.

The transport holds the password and never writes it anywhere: ``SmtpSettings`` leaves it
out of its repr, the reasons carry the server's words only, and smtplib's debug output (which
would print the AUTH exchange) is never switched on.

Settings come from ``PLANNER_SMTP_*`` (``smtp_settings_from_env``, documented in
``planner/config.py`` and the README); a bad value stops the start with a sentence naming the
variable (``ConfigurationError``).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import smtplib
import ssl
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage

from ..errors import ConfigurationError, ValidationError
from ..validate import email as check_email

log = logging.getLogger(__name__)

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 600.0


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. ``security``: ``"starttls"`` (connect in the clear, then upgrade
    before signing in; port 587), ``"ssl"`` (TLS from the first byte; port 465) or ``"none"``
    (a local catcher or relay). ``user``/``password``: sign in when set (both or neither).
    ``from_address`` is the envelope sender (where bounces go) and, with ``from_name``
    (``""``: none), the ``From`` header (``from_header``); ``reply_to``: a ``Reply-To`` header
    value or None. ``timeout``: seconds to wait for the server at each step."""

    host: str
    port: int
    user: str | None
    password: str | None = field(repr=False)
    security: str  # "starttls" | "ssl" | "none"
    from_address: str
    from_name: str
    reply_to: str | None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def from_header(self) -> str:
        """The ``From`` header's value: ``Side Events <events@example.org>`` (the email
        package encodes a non-ASCII name when the message is sent)."""
        return str(Address(display_name=self.from_name, addr_spec=self.from_address))


# ---------------------------------------------------------------------- settings from the environment


def smtp_settings_from_env(env=os.environ) -> SmtpSettings | None:
    """The mail server settings from ``PLANNER_SMTP_*``, or None when ``PLANNER_SMTP_HOST`` is
    unset or blank (no email is sent).

    Raises ``ConfigurationError`` naming the variable when a value cannot be used: a host with
    a port or a scheme in it, a port outside 1–65535, a security other than starttls, ssl or
    none, a timeout that is not a positive number of seconds (at most 600), a missing or
    malformed ``PLANNER_SMTP_FROM`` or ``PLANNER_SMTP_REPLY_TO``, a user without a password
    (or the reverse), and a password sent with security ``none`` to a server that is not on
    this machine (it would cross the network in clear text)."""
    host = (env.get("PLANNER_SMTP_HOST") or "").strip()
    if not host:
        return None
    host = _host(host)
    raw_security = (env.get("PLANNER_SMTP_SECURITY") or "").strip()
    security = raw_security.lower() or "starttls"
    if security not in SECURITY:
        raise ConfigurationError("smtp_security_invalid", value=raw_security[:100])
    port = _port(env.get("PLANNER_SMTP_PORT"), DEFAULT_PORTS[security])
    user = (env.get("PLANNER_SMTP_USER") or "").strip() or None
    password = env.get("PLANNER_SMTP_PASSWORD") or None  # not trimmed: spaces may be part of it
    if password is not None and not password.strip():
        password = None
    if (user is None) != (password is None):
        raise ConfigurationError("smtp_login_incomplete")
    if password is not None and security == "none" and not is_loopback(host):
        raise ConfigurationError("smtp_password_in_clear", value=host)
    raw_from = env.get("PLANNER_SMTP_FROM") or ""
    if not raw_from.strip():
        raise ConfigurationError("smtp_from_required")
    from_name, from_address = _address("PLANNER_SMTP_FROM", raw_from)
    raw_reply_to = env.get("PLANNER_SMTP_REPLY_TO") or ""
    reply_to = None
    if raw_reply_to.strip():
        name, address = _address("PLANNER_SMTP_REPLY_TO", raw_reply_to)
        reply_to = str(Address(display_name=name, addr_spec=address))
    return SmtpSettings(
        host=host,
        port=port,
        user=user,
        password=password,
        security=security,
        from_address=from_address,
        from_name=from_name,
        reply_to=reply_to,
        timeout=_timeout(env.get("PLANNER_SMTP_TIMEOUT")),
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine without asking DNS: ``localhost`` or a loopback
    address (127.0.0.0/8, ::1). Anything else may be across a network."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host(raw: str) -> str:
    host = raw[1:-1] if raw.startswith("[") and raw.endswith("]") else raw  # [::1] as in a URL
    if (
        len(host) > 253
        or any(ch.isspace() or not ch.isprintable() or ch in "/@[]" for ch in host)
        or host.count(":") == 1  # smtp.example.org:587 (an IPv6 address has more)
    ):
        raise ConfigurationError("smtp_host_invalid", value=raw[:100])
    return host


def _port(raw: str | None, default: int) -> int:
    raw = (raw or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 65535:
        raise ConfigurationError("smtp_port_invalid", value=raw[:100])
    return int(raw)


def _timeout(raw: str | None) -> float:
    raw = (raw or "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (0 < seconds <= MAX_TIMEOUT):  # also refuses nan and inf
        raise ConfigurationError("smtp_timeout_invalid", value=raw[:100])
    return seconds


def _address(name: str, raw: str) -> tuple[str, str]:
    """(display name, address) from ``events@example.org`` or ``Side Events <events@example.org>``;
    exactly one address, checked by the project's one email validator."""
    try:
        header = policy.default.header_factory("Reply-To", raw.strip())
        (address,) = header.addresses
        if header.defects:
            raise ValueError(header.defects)
        return address.display_name, check_email(address.addr_spec, field=name.lower())
    except (ValueError, IndexError, ValidationError):  # IndexError: the parser on "x@"
        raise ConfigurationError("smtp_address_invalid", name=name, value=raw.strip()[:254]) from None


# ---------------------------------------------------------------------- what came of a send


class _Failure(Exception):
    def __init__(self, reason: str, recipient: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.recipient = recipient


class TemporaryFailure(_Failure):
    """The message was not sent this time; trying again later may work (the server is down or
    busy, answered 4xx, our sign-in or sender was refused). ``reason``: the server's code and
    text (``"451 4.3.0 Try again later"``) or what happened in plain words (``"could not reach
    the mail server smtp.example.org:587: Connection refused"``), for the operator, in English.
    ``recipient``: the address the answer was about, when it was about one."""


class PermanentFailure(_Failure):
    """The server refused this message for good (a 5xx answer to a recipient or to its
    content): sending it again will not help. ``reason`` and ``recipient`` as for
    ``TemporaryFailure`` (``"550 5.1.1 No such user"``, ``"ana@example.org"``)."""


# ---------------------------------------------------------------------- the transport


class SmtpTransport:
    """One connection to the mail server, opened on the first ``send`` and kept for the next.

    Use it from one delivery loop (sends are serialized by a lock, so sharing it is safe but
    gains nothing), and ``close()`` it or use it as a context manager. ``ssl_context``: the
    certificates to trust, for a server with a private CA (default: the system's, with host
    name checks)."""

    def __init__(self, settings: SmtpSettings, *, ssl_context: ssl.SSLContext | None = None):
        if settings.security not in SECURITY:
            raise ConfigurationError("smtp_security_invalid", value=settings.security)
        self.settings = settings
        self._ssl_context = ssl_context
        self._smtp: smtplib.SMTP | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SmtpTransport({self.settings!r})"

    @property
    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def send(self, message: EmailMessage) -> None:
        """Send ``message`` to the recipients of its To, Cc and Bcc headers (Bcc is not
        transmitted), from ``settings.from_address`` as the envelope sender. The message goes
        as it is: its ``From`` header is the caller's (``settings.from_header``).

        Returns when the server took the message for every recipient. Raises
        ``PermanentFailure`` when the server refused it for good, ``TemporaryFailure`` when
        it may go later (see the module's docstring for which is which). When the server
        refused some recipients and took it for the others, the refusal is raised all the
        same, naming one refused ``recipient``: send one message per recipient (as the
        outbox does) to have one answer per person."""
        with self._lock:
            reused = self._connected()
            smtp = self._connect()
            try:
                self._offer(smtp, message)
                return
            except smtplib.SMTPServerDisconnected as disconnected:
                self._drop()
                if not reused or isinstance(disconnected.__context__, TimeoutError):
                    raise self._lost(disconnected) from disconnected
                log.info("the mail server %s closed the kept connection; connecting again", self._where)
            smtp = self._connect()
            try:
                self._offer(smtp, message)
            except smtplib.SMTPServerDisconnected as disconnected:
                self._drop()
                raise self._lost(disconnected) from disconnected

    def close(self) -> None:
        """Say goodbye to the server (QUIT) and close the connection, if one is open. Safe to
        call twice; the next ``send`` connects again."""
        with self._lock:
            smtp, self._smtp = self._smtp, None
            if smtp is None:
                return
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            finally:
                smtp.close()

    # -- connecting

    def _connected(self) -> bool:
        # smtplib sets sock to None when it closed the connection itself (a 421, a read error).
        return self._smtp is not None and self._smtp.sock is not None

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _connect(self) -> smtplib.SMTP:
        """The open connection, or a new one: connected, upgraded to TLS and signed in.
        Anything refused here is temporary (module docstring)."""
        if self._connected():
            return self._smtp
        self._drop()
        s = self.settings
        smtp = None
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                smtp.starttls(context=self._context())  # says EHLO first; raises unless offered
                smtp.ehlo()  # again, over TLS: the extensions (AUTH) may differ
            if s.user:
                smtp.login(s.user, s.password or "")
        except smtplib.SMTPResponseException as refused:  # greeting, STARTTLS or AUTH refused
            _close(smtp)
            raise TemporaryFailure(_reason(refused)) from refused
        except smtplib.SMTPServerDisconnected as disconnected:
            _close(smtp)
            raise self._lost(disconnected) from disconnected
        except smtplib.SMTPException as refused:  # no STARTTLS or AUTH offered, no usable mechanism
            _close(smtp)
            raise TemporaryFailure(f"the mail server {self._where} cannot do this: {refused}") from refused
        except TimeoutError as slow:
            _close(smtp)
            raise TemporaryFailure(self._no_answer()) from slow
        except OSError as error:  # refused, unreachable, name unknown, TLS certificate refused
            _close(smtp)
            raise TemporaryFailure(f"could not reach the mail server {self._where}: {_words(error)}") from error
        log.debug("connected to the mail server %s (%s)", self._where, s.security)
        self._smtp = smtp
        return smtp

    def _context(self) -> ssl.SSLContext:
        return self._ssl_context or ssl.create_default_context()

    # -- sending

    def _offer(self, smtp: smtplib.SMTP, message: EmailMessage) -> None:
        """One MAIL/RCPT/DATA exchange, its answer classified. A lost connection is left to
        ``send`` (which may connect again); everything else raises a failure."""
        try:
            refused = smtp.send_message(message, from_addr=self.settings.from_address)
        except smtplib.SMTPRecipientsRefused as error:  # every recipient refused (smtplib said RSET)
            raise _recipients(error.recipients) from error
        except smtplib.SMTPSenderRefused as error:
            if error.smtp_code == 421:  # the server is closing: smtplib closed the connection
                self._drop()
            if 500 <= error.smtp_code < 600 and error.smtp_code != 552:
                raise TemporaryFailure(_reason(error)) from error  # our sender: module docstring
            raise _by_code(error) from error
        except smtplib.SMTPNotSupportedError as error:  # e.g. an international address, no SMTPUTF8
            raise PermanentFailure(str(error)) from error
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPResponseException as error:  # SMTPDataError and the rest: by their code
            raise _by_code(error) from error
        except smtplib.SMTPException as error:
            self._drop()
            raise TemporaryFailure(f"the mail server {self._where} answered unexpectedly: {error}") from error
        except TimeoutError as slow:
            self._drop()
            raise TemporaryFailure(self._no_answer()) from slow
        except OSError as error:
            self._drop()
            raise TemporaryFailure(f"lost the connection to the mail server {self._where}: {_words(error)}") from error
        if refused:  # some recipients took it, these did not
            raise _recipients(refused)

    def _no_answer(self) -> str:
        return f"the mail server {self._where} did not answer within {self.settings.timeout:g} seconds"

    def _lost(self, disconnected: smtplib.SMTPServerDisconnected) -> TemporaryFailure:
        if isinstance(disconnected.__context__, TimeoutError):
            return TemporaryFailure(self._no_answer())
        return TemporaryFailure(f"the mail server {self._where} closed the connection")


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        smtp.close()


def _words(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def _reason(error: smtplib.SMTPResponseException) -> str:
    """The server's answer as one line: ``"550 5.1.1 No such user"``."""
    text = error.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(f"{error.smtp_code} {text}".split())


def _by_code(error: smtplib.SMTPResponseException, recipient: str | None = None) -> Exception:
    kind = PermanentFailure if 500 <= error.smtp_code < 600 else TemporaryFailure
    return kind(_reason(error), recipient)


def _recipients(refused: dict) -> Exception:
    """One failure for the refused recipients: permanent only when every refusal is (a 4xx
    for anyone is worth another try)."""
    if not refused:
        return PermanentFailure("the message has no recipients (no To, Cc or Bcc)")
    answers = [(rcpt, smtplib.SMTPResponseException(code, text)) for rcpt, (code, text) in refused.items()]
    temporary = [(rcpt, a) for rcpt, a in answers if not 500 <= a.smtp_code < 600]
    rcpt, answer = (temporary or answers)[0]
    return _by_code(answer, rcpt)


# ---------------------------------------------------------------------- when to try again

#: Failed tries after which a temporary failure counts as failed. With the delays of
#: ``retry_delay``, the last try comes about 46 hours after the first: an invitation or a
#: confirmation that took two days is of little use around an event, and an operator who
#: fixes a wrong password within that time loses nothing. (Mail servers keep trying for up
#: to 5 days, Postfix's ``maximal_queue_lifetime``; ours is shorter on purpose.)
MAX_ATTEMPTS = 20

_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
_LONGEST = timedelta(hours=3)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before the next try of a message that failed temporarily
    ``attempts`` times (1 after the first failure): 1 minute, 5, 15, 1 hour, then every
    3 hours — quick at first for a server that blinked, then rarely for one that is down.
    Never longer than 3 hours. Raises ``ValueError`` for fewer than 1 attempt."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")
    return _DELAYS[attempts - 1] if attempts <= len(_DELAYS) else _LONGEST
