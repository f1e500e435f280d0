"""The SMTP transport against a real SMTP server (aiosmtpd on 127.0.0.1, ``tests/support/smtp.py``):
what arrives, what the server's answers become (sent, try again, never), connections kept and
opened again; and the PLANNER_SMTP_* settings, refused in sentences naming the variable."""

from __future__ import annotations

import ssl
import threading
import time
from datetime import timedelta
from email.message import EmailMessage

import pytest

from planner.errors import ConfigurationError
from planner.mail.transport import (
    MAX_ATTEMPTS,
    PermanentFailure,
    SmtpTransport,
    TemporaryFailure,
    retry_delay,
    smtp_settings_from_env,
)
from tests.conftest import is_readable
from tests.support.smtp import SmtpServer, free_port, self_signed_certificate


def message(to="ana@example.org", subject="Your place at “Debt relief”", body="See you on Tuesday.\n", **headers):
    msg = EmailMessage()
    msg["From"] = "Side Events <events@example.org>"
    msg["To"] = to
    msg["Subject"] = subject
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


@pytest.fixture
def transport(smtp_server):
    with SmtpTransport(smtp_server.settings()) as transport:
        yield transport


# ---------------------------------------------------------------------- what arrives


def test_a_message_arrives_with_its_headers_and_body_intact(smtp_server, transport):
    sent = message(
        subject="Grüße aus Genève — Ihr Platz ist bestätigt",
        body="Bonjour Zoë,\nvotre place est réservée. 🎟\n",
        Bcc="org@example.org",
    )
    sent.replace_header("From", "Zoë’s Side Events <events@example.org>")
    transport.send(sent)
    (got,) = smtp_server.messages
    assert got.mail_from == "events@example.org"  # the envelope sender: where bounces go
    assert got.rcpt_tos == ("ana@example.org", "org@example.org")
    assert got.message["Subject"] == "Grüße aus Genève — Ihr Platz ist bestätigt"
    assert got.message["From"].addresses[0].display_name == "Zoë’s Side Events"
    assert got.message["Bcc"] is None  # Bcc reaches its recipient, not the others' copies
    # (lines end in CRLF on the wire)
    assert got.message.get_content().splitlines() == ["Bonjour Zoë,", "votre place est réservée. 🎟"]
    headers = got.raw.split(b"\r\n\r\n")[0]
    assert headers.isascii() and b"=?utf-8?" in headers  # encoded words (RFC 2047) by the email package


def test_one_connection_carries_several_messages(smtp_server, transport):
    for n in range(3):
        transport.send(message(to=f"p{n}@example.org"))
    assert [m.rcpt_tos for m in smtp_server.messages] == [(f"p{n}@example.org",) for n in range(3)]
    assert smtp_server.connections == 1


def test_closing_says_goodbye_and_the_next_send_connects_again(smtp_server, transport):
    transport.send(message())
    transport.close()
    transport.close()  # twice is fine
    transport.send(message())
    assert (len(smtp_server.messages), smtp_server.connections) == (2, 2)


def test_settings_give_the_from_header_and_keep_the_password_out_of_sight(smtp_server):
    settings = smtp_server.settings(user="events", password="s3cret-pa55", from_name="Zoë’s Side Events")
    assert settings.from_header == "Zoë’s Side Events <events@example.org>"
    assert "s3cret-pa55" not in repr(settings) and "s3cret-pa55" not in repr(SmtpTransport(settings))


# ---------------------------------------------------------------------- what the server's answers become


def test_a_recipient_the_server_does_not_know_fails_permanently_with_the_servers_reason(smtp_server, transport):
    smtp_server.refuse_permanently(550, "5.1.1 No such user", recipient="nobody@example.org")
    with pytest.raises(PermanentFailure) as failed:
        transport.send(message(to="nobody@example.org"))
    assert failed.value.reason == "550 5.1.1 No such user"
    assert failed.value.recipient == "nobody@example.org"
    transport.send(message(to="ana@example.org"))  # the same connection goes on (smtplib said RSET)
    assert [m.rcpt_tos for m in smtp_server.messages] == [("ana@example.org",)]
    assert smtp_server.connections == 1


def test_content_refused_for_good_is_a_permanent_failure(smtp_server, transport):
    smtp_server.refuse_permanently(554, "5.7.1 Message rejected as spam", stage="data")
    with pytest.raises(PermanentFailure, match="554 5.7.1 Message rejected as spam"):
        transport.send(message())


@pytest.mark.parametrize("stage", ["mail", "rcpt", "data"])
def test_a_4xx_answer_is_a_temporary_failure_with_the_servers_reason(smtp_server, transport, stage):
    smtp_server.refuse_temporarily(451, "4.3.0 Try again later", stage=stage)
    with pytest.raises(TemporaryFailure) as failed:
        transport.send(message())
    assert failed.value.reason == "451 4.3.0 Try again later"
    smtp_server.reset()
    transport.send(message())
    assert len(smtp_server.messages) == 1


def test_a_refused_sender_is_our_setting_so_messages_wait_but_a_message_too_big_fails(smtp_server, transport):
    smtp_server.refuse_permanently(553, "5.7.1 Sender address not owned by user", stage="mail")
    with pytest.raises(TemporaryFailure, match="553 5.7.1"):
        transport.send(message())
    smtp_server.reset()
    smtp_server.refuse_permanently(552, "5.3.4 Message size exceeds fixed limit", stage="mail")
    with pytest.raises(PermanentFailure, match="552 5.3.4"):
        transport.send(message())


def test_one_recipient_that_may_work_later_makes_the_failure_temporary(smtp_server, transport):
    smtp_server.refuse_permanently(recipient="gone@example.org")
    smtp_server.refuse_temporarily(452, "4.2.2 Mailbox full", recipient="full@example.org")
    with pytest.raises(TemporaryFailure) as failed:
        transport.send(message(to="gone@example.org, full@example.org"))
    assert (failed.value.recipient, failed.value.reason) == ("full@example.org", "452 4.2.2 Mailbox full")


# ---------------------------------------------------------------------- servers that go away or are slow


def test_a_server_that_went_away_is_a_temporary_failure_and_the_next_send_after_it_came_back_goes(
    smtp_server, transport
):
    transport.send(message())
    smtp_server.stop()
    with pytest.raises(TemporaryFailure) as failed:
        transport.send(message())
    assert failed.value.reason == f"could not reach the mail server 127.0.0.1:{smtp_server.port}: Connection refused"
    smtp_server.start()
    transport.send(message())
    assert (len(smtp_server.messages), smtp_server.connections) == (2, 2)


def test_a_kept_connection_the_server_closed_is_opened_again_without_a_failure(smtp_server, transport):
    transport.send(message())
    smtp_server.stop()  # cuts the kept connection, as an idle timeout on the server does
    smtp_server.start()
    transport.send(message())
    assert (len(smtp_server.messages), smtp_server.connections) == (2, 2)


def test_nothing_listening_is_a_temporary_failure():
    settings = SmtpServer(port=free_port()).settings()  # never started
    with pytest.raises(TemporaryFailure, match="could not reach the mail server"):
        SmtpTransport(settings).send(message())


def test_a_server_that_does_not_answer_in_time_is_a_temporary_failure_soon(smtp_server):
    smtp_server.delay(10)
    started = time.monotonic()
    with SmtpTransport(smtp_server.settings(timeout=0.5)) as transport, pytest.raises(TemporaryFailure) as failed:
        transport.send(message())
    assert failed.value.reason == f"the mail server 127.0.0.1:{smtp_server.port} did not answer within 0.5 seconds"
    # Not a measurement: the 10 s answer was not waited for, nor was the message sent again.
    assert time.monotonic() - started < 5


def test_a_kept_connection_that_times_out_is_not_sent_again_at_once(smtp_server):
    with SmtpTransport(smtp_server.settings(timeout=0.5)) as transport:
        transport.send(message())
        smtp_server.delay(10)
        with pytest.raises(TemporaryFailure, match="did not answer within 0.5 seconds"):
            transport.send(message())  # the server may have taken it: the outbox tries again later
        assert smtp_server.connections == 1
        smtp_server.reset()
        transport.send(message())  # a new connection for the next one
        assert smtp_server.connections == 2


# ---------------------------------------------------------------------- signing in


def test_signing_in_over_none_to_this_machine_works(smtp_server):
    smtp_server.require_login("events", "a-long-password")
    with SmtpTransport(smtp_server.settings(user="events", password="a-long-password")) as transport:
        transport.send(message())
    assert len(smtp_server.messages) == 1


def test_a_wrong_password_is_a_temporary_failure_so_messages_wait_for_the_fix(smtp_server):
    smtp_server.require_login("events", "a-long-password")
    with SmtpTransport(smtp_server.settings(user="events", password="wrong")) as transport:
        with pytest.raises(TemporaryFailure) as failed:
            transport.send(message())
    assert failed.value.reason == "535 5.7.8 Authentication credentials invalid"
    assert "wrong" not in failed.value.reason
    assert smtp_server.messages == []


def test_a_server_that_requires_login_refuses_a_sender_that_did_not_sign_in(smtp_server, transport):
    smtp_server.require_login("events", "a-long-password")
    with pytest.raises(TemporaryFailure, match="530"):
        transport.send(message())


# ---------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_message_goes_over_tls_and_signs_in_there(certificate, security):
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    with SmtpServer(tls=security, certificate=certificate) as server:
        server.require_login("events", "a-long-password")
        settings = server.settings(security=security, user="events", password="a-long-password")
        with SmtpTransport(settings, ssl_context=trusted) as transport:
            transport.send(message())
            transport.send(message())
        assert (len(server.messages), server.connections) == (2, 1)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_certificate_the_system_does_not_trust_is_a_temporary_failure(certificate, security):
    with SmtpServer(tls=security, certificate=certificate) as server:
        with pytest.raises(TemporaryFailure, match="certificate verify failed"):
            SmtpTransport(server.settings(security=security)).send(message())
        assert server.messages == []


def test_a_server_without_starttls_is_not_sent_to_in_the_clear(smtp_server):
    with pytest.raises(TemporaryFailure, match="STARTTLS extension not supported"):
        SmtpTransport(smtp_server.settings(security="starttls")).send(message())
    assert smtp_server.messages == []


# ---------------------------------------------------------------------- the test server itself


def test_the_test_server_leaves_no_thread_behind():
    before = set(threading.enumerate())
    with SmtpServer() as server, SmtpTransport(server.settings()) as transport:
        transport.send(message())
        server.stop()
        server.start()
    assert set(threading.enumerate()) == before


# ---------------------------------------------------------------------- settings from the environment

BASE = {"PLANNER_SMTP_HOST": "smtp.example.org", "PLANNER_SMTP_FROM": "events@example.org"}


@pytest.mark.parametrize("host", [None, "", "   "])
def test_no_host_means_no_email(host):
    env = {"PLANNER_SMTP_FROM": "events@example.org"}
    if host is not None:
        env["PLANNER_SMTP_HOST"] = host
    assert smtp_settings_from_env(env) is None


def test_settings_have_documented_defaults():
    s = smtp_settings_from_env(BASE)
    assert (s.host, s.port, s.security, s.user, s.password) == ("smtp.example.org", 587, "starttls", None, None)
    assert (s.from_address, s.from_name, s.reply_to, s.timeout) == ("events@example.org", "", None, 30.0)
    assert smtp_settings_from_env({**BASE, "PLANNER_SMTP_SECURITY": "SSL"}).port == 465
    assert smtp_settings_from_env({**BASE, "PLANNER_SMTP_SECURITY": "none"}).port == 25
    assert smtp_settings_from_env({**BASE, "PLANNER_SMTP_SECURITY": "none", "PLANNER_SMTP_PORT": "1025"}).port == 1025


def test_settings_read_every_variable():
    s = smtp_settings_from_env({
        "PLANNER_SMTP_HOST": " smtp.example.org ", "PLANNER_SMTP_PORT": "2525", "PLANNER_SMTP_SECURITY": "starttls",
        "PLANNER_SMTP_USER": "events", "PLANNER_SMTP_PASSWORD": " pass word ",
        "PLANNER_SMTP_FROM": "Zoë’s Side Events <Events@Example.org>",
        "PLANNER_SMTP_REPLY_TO": "Programme team <team@example.org>", "PLANNER_SMTP_TIMEOUT": "12.5",
    })
    assert (s.host, s.port, s.user, s.password, s.timeout) == ("smtp.example.org", 2525, "events", " pass word ", 12.5)
    assert (s.from_name, s.from_address) == ("Zoë’s Side Events", "events@example.org")
    assert s.reply_to == "Programme team <team@example.org>"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_a_password_may_go_unencrypted_to_this_machine(host):
    s = smtp_settings_from_env({**BASE, "PLANNER_SMTP_HOST": host, "PLANNER_SMTP_SECURITY": "none",
                                "PLANNER_SMTP_USER": "events", "PLANNER_SMTP_PASSWORD": "pw"})
    assert s.user == "events" and s.host == host.strip("[]")


@pytest.mark.parametrize(
    "changes, variable",
    [
        ({"PLANNER_SMTP_HOST": "smtp.example.org:587"}, "PLANNER_SMTP_HOST"),
        ({"PLANNER_SMTP_HOST": "smtp://smtp.example.org"}, "PLANNER_SMTP_HOST"),
        ({"PLANNER_SMTP_HOST": "smtp example org"}, "PLANNER_SMTP_HOST"),
        ({"PLANNER_SMTP_PORT": "submission"}, "PLANNER_SMTP_PORT"),
        ({"PLANNER_SMTP_PORT": "0"}, "PLANNER_SMTP_PORT"),
        ({"PLANNER_SMTP_PORT": "70000"}, "PLANNER_SMTP_PORT"),
        ({"PLANNER_SMTP_PORT": "-25"}, "PLANNER_SMTP_PORT"),
        ({"PLANNER_SMTP_SECURITY": "tls"}, "PLANNER_SMTP_SECURITY"),
        ({"PLANNER_SMTP_TIMEOUT": "soon"}, "PLANNER_SMTP_TIMEOUT"),
        ({"PLANNER_SMTP_TIMEOUT": "0"}, "PLANNER_SMTP_TIMEOUT"),
        ({"PLANNER_SMTP_TIMEOUT": "nan"}, "PLANNER_SMTP_TIMEOUT"),
        ({"PLANNER_SMTP_TIMEOUT": "inf"}, "PLANNER_SMTP_TIMEOUT"),
        ({"PLANNER_SMTP_FROM": ""}, "PLANNER_SMTP_FROM"),
        ({"PLANNER_SMTP_FROM": "events at example dot org"}, "PLANNER_SMTP_FROM"),
        ({"PLANNER_SMTP_FROM": "a@example.org, b@example.org"}, "PLANNER_SMTP_FROM"),
        ({"PLANNER_SMTP_FROM": "Events <events@>"}, "PLANNER_SMTP_FROM"),
        ({"PLANNER_SMTP_FROM": "x@"}, "PLANNER_SMTP_FROM"),
        ({"PLANNER_SMTP_REPLY_TO": "the team"}, "PLANNER_SMTP_REPLY_TO"),
        ({"PLANNER_SMTP_USER": "events"}, "PLANNER_SMTP_PASSWORD"),
        ({"PLANNER_SMTP_PASSWORD": "pw"}, "PLANNER_SMTP_USER"),
        ({"PLANNER_SMTP_SECURITY": "none", "PLANNER_SMTP_USER": "events", "PLANNER_SMTP_PASSWORD": "pw"},
         "PLANNER_SMTP_SECURITY"),
    ],
)
def test_a_bad_setting_stops_the_start_with_a_sentence_naming_the_variable(changes, variable):
    with pytest.raises(ConfigurationError) as refused:
        smtp_settings_from_env({**BASE, **changes})
    text = str(refused.value)
    assert is_readable(text) and variable in text, text
    assert refused.value.code.startswith("smtp_")
    assert "pw" not in text.split()  # a password is never repeated back


# ---------------------------------------------------------------------- when to try again


def test_retry_delays_grow_and_are_bounded():
    delays = [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert delays[:4] == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1)]
    assert delays == sorted(delays) and max(delays) == timedelta(hours=3) == retry_delay(10_000)
    assert timedelta(days=1) < sum(delays, timedelta()) <= timedelta(days=2)  # the last try ~2 days after the first
    with pytest.raises(ValueError):
        retry_delay(0)
