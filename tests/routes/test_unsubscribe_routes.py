"""/unsubscribe on a real `streamlit run app.py`: the address messages carry in their
List-Unsubscribe header (RFC 2369, RFC 8058; planner/mail/render.py).

A GET (a person, or a link scanner opening every link of a message) shows a page with a button
and changes nothing; the one-click POST (``List-Unsubscribe=One-Click``) turns the guest's
reminders and organizers' messages off; a token that names nothing answers 404 and writes
nothing; what the request carried is never shown unescaped.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import itertools
from urllib.parse import quote, urlsplit

import pytest

from bench.server import AppServer
from planner import Planner
from tests.conftest import table_rows

ONE_CLICK = "List-Unsubscribe=One-Click"
GUESTS = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AppServer(tmp_path_factory.mktemp("unsubscribe-routes")) as running:
        yield running


@pytest.fixture(scope="module")
def planner(server):
    return Planner(server.db)


@pytest.fixture
def guest(planner):
    """A new registration at a published event, with messages on."""
    event = next(e for e in planner.programme() if e.status == "published" and (e.capacity or 1000) > 50)
    return planner.register(event.id, name="Ana <b>Pérez</b>", email=f"ana{next(GUESTS)}@example.org")


def request(server, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read().decode()
    finally:
        conn.close()


def one_click(server, token, body=ONE_CLICK, content_type="application/x-www-form-urlencoded"):
    return request(server, "POST", f"/unsubscribe?t={quote(token)}", body=body,
                   headers={"Content-Type": content_type} if body is not None else {})


def assert_plain_page(response, body):
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Cache-Control") == "no-store"
    assert response.getheader("Referrer-Policy") == "no-referrer"
    assert "default-src 'none'" in response.getheader("Content-Security-Policy")
    assert "<script" not in body.lower() and "http" not in body.split("<body>")[1]  # nothing from elsewhere
    assert "Traceback" not in body and "Error" not in body


def test_get_shows_a_button_that_posts_and_changes_nothing(server, planner, guest):
    before = table_rows(server.db)
    response, body = request(server, "GET", f"/unsubscribe?t={guest.manage_token}")
    assert response.status == 200, body
    assert_plain_page(response, body)
    assert f'<form method="post" action="/unsubscribe?t={guest.manage_token}">' in body
    assert '<input type="hidden" name="List-Unsubscribe" value="One-Click">' in body
    assert f'href="/ticket?t={guest.manage_token}"' in body
    assert "Stop reminders and messages?" in body
    event = planner.get_event(guest.event_id)
    assert f"registered for “{event.title}”" in body.replace("&amp;", "&")
    assert "Pérez" not in body  # the page names the event, not the person
    assert table_rows(server.db) == before
    assert planner.registration(guest.manage_token).messages_off is False


def test_get_speaks_the_requests_language(server, guest):
    response, body = request(server, "GET", f"/unsubscribe?t={guest.manage_token}&lang=en-XA")
    assert response.status == 200
    assert '<html lang="en-XA">' in body and "⟦Stop reminders and messages?⟧" in body
    assert f"/unsubscribe?t={guest.manage_token}&amp;lang=en-XA" in body  # the button's answer too


def test_one_click_post_turns_messages_off_and_stays_off(server, planner, guest):
    response, body = one_click(server, guest.manage_token)
    assert response.status == 200, body
    assert_plain_page(response, body)
    assert "Reminders and messages are off" in body and "are still sent" in body
    assert planner.registration(guest.manage_token).messages_off is True

    again, body = one_click(server, guest.manage_token)  # mail apps may send it twice
    assert again.status == 200 and planner.registration(guest.manage_token).messages_off is True

    response, body = request(server, "GET", f"/unsubscribe?t={guest.manage_token}")
    assert response.status == 200 and "You already get no reminders" in body and "<form" not in body


def test_one_click_post_may_come_as_multipart(server, planner, guest):
    boundary = "b0undary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
            f"--{boundary}--\r\n")
    response, text = one_click(server, guest.manage_token, body, f"multipart/form-data; boundary={boundary}")
    assert response.status == 200, text
    assert planner.registration(guest.manage_token).messages_off is True


def test_the_header_of_a_real_message_unsubscribes(server, planner, guest):
    """The address in a message's List-Unsubscribe header (with the token derived for messages)
    reaches this route and works."""
    batch = planner.message_guests(guest.event_id, "Doors open at 6", "See you there.")
    row = next(m for m in planner.outbox(guest.event_id) if m.kind == "organizer_message"
               and m.recipient == guest.email and m.data.get("subject") == "Doors open at 6")
    assert batch
    message = email.message_from_bytes(planner.outbox_eml(row.id), policy=email.policy.default)
    assert message["List-Unsubscribe-Post"] == ONE_CLICK
    assert b"=?utf-8?" not in planner.outbox_eml(row.id).split(b"List-Unsubscribe:")[1].split(b"\n")[0]
    address = urlsplit(message["List-Unsubscribe"].strip("<>"))
    assert address.path == "/unsubscribe"
    response, body = request(server, "POST", f"{address.path}?{address.query}", body=ONE_CLICK,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 200, body
    assert planner.registration(guest.manage_token).messages_off is True


def test_a_post_that_does_not_say_one_click_changes_nothing(server, planner, guest):
    before = table_rows(server.db)
    for body, content_type in ((None, None), ("List-Unsubscribe=Maybe", "application/x-www-form-urlencoded"),
                               ("not a form", "application/json"), ("--x\r\ngarbage", "multipart/form-data; boundary=x")):
        response, text = one_click(server, guest.manage_token, body, content_type)
        assert response.status == 400, (body, response.status, text)
        assert "Nothing was changed" in text and "Traceback" not in text
    assert table_rows(server.db) == before


HOSTILE = [
    "",
    "nope",
    "x" * 43,
    "A" * 5000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "%00%0d%0aSet-Cookie: a=b",
    "../../etc/passwd",
]


@pytest.mark.parametrize("token", HOSTILE)
def test_unknown_and_hostile_tokens_answer_404_and_write_nothing(server, token):
    before = table_rows(server.db)
    for method in ("GET", "POST"):
        if method == "GET":
            response, body = request(server, "GET", f"/unsubscribe?t={quote(token, safe='%')}")
        else:
            response, body = one_click(server, token)
        assert response.status == 404, (method, token[:50], response.status)
        assert_plain_page(response, body)
        assert response.getheader("Set-Cookie") is None
        assert "Link not found" in body and "We could not find a registration for this link." in body
        assert "<script>" not in body and "<img" not in body and "AAAAAAAAAA" not in body
        assert len(body) < 2000
    assert table_rows(server.db) == before


def test_only_get_and_post_are_served(server, guest):
    for method in ("PUT", "DELETE", "PATCH"):
        response, _body = request(server, method, f"/unsubscribe?t={guest.manage_token}")
        assert response.status == 405, method
