"""Online links: only http(s) addresses that cannot break out of a Markdown link or an HTML
attribute are stored (issue #9, text part)."""

from __future__ import annotations

import pytest

from planner.errors import ValidationError

HOSTILE = {
    "https://a.example/)![o](http://127.0.0.1:1/x)": "link_bad_character",
    "https://a.example/x](http://127.0.0.1:1/y": "link_bad_character",
    'https://a.example/"onmouseover="alert(1)': "link_bad_character",
    "https://a.example/'x": "link_bad_character",
    "https://a.example/<img>": "link_bad_character",
    "https://a.example/`x`": "link_bad_character",
    "https://a.example/\\x": "link_bad_character",
    "javascript:alert(1)": "link_bad_character",
    "javascript:alert`1`": "link_bad_character",
    "javascript://a.example/%0aalert%281%29": "link_not_web",
    "data:text/html,<script>alert(1)</script>": "link_bad_character",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==": "link_not_web",
    "vbscript:msgbox": "link_not_web",
    "ftp://a.example/file": "link_not_web",
    "//a.example/x": "link_not_web",
    "https://": "link_not_web",
    "https://a.example:99999/": "link_not_web",
    "https://a.example/\u0000": "link_unprintable",
    "https://a .example": "link_unprintable",
    "https://a.example/\tx": "link_unprintable",
    "https://a.example/\u200bx": "link_unprintable",
    "https://a.example/\u2028x": "link_unprintable",
    "https://a.example/x\ny": "link_unprintable",
}


@pytest.mark.parametrize("link, code", list(HOSTILE.items()), ids=lambda v: repr(v)[:40])
def test_a_link_that_could_break_out_of_markdown_or_run_script_is_refused(make_event, assert_refused, link, code):
    error = assert_refused(lambda: make_event(online_url=link, room_id=None), field="online_url")
    assert error.code == code


@pytest.mark.parametrize("link", list(HOSTILE), ids=lambda v: repr(v)[:40])
def test_an_edit_to_a_hostile_link_is_refused_and_keeps_the_old_one(planner, make_event, assert_refused, link):
    event = make_event(online_url="https://meet.example.org/abc", room_id=None)
    assert_refused(lambda: planner.update_event(event.id, version=event.version, online_url=link), field="online_url")
    assert planner.get_event(event.id).online_url == "https://meet.example.org/abc"


@pytest.mark.parametrize(
    "link",
    [
        "https://meet.example.org/abc-defg-hij",
        "https://zoom.example/j/123456789?pwd=AbC.dEf_12-3&from=addon#success",
        "http://localhost:8080/room/1",
        "https://a.example/wiki/Foo_%28bar%29?q=%E2%9C%93&x=1;y=2",
        "https://user@a.example/path/~me/!*,+=$@:",
        "https://ejemplo.org/reunión/año",
        "HTTPS://A.EXAMPLE/X",
    ],
)
def test_ordinary_web_addresses_still_pass(make_event, link):
    assert make_event(online_url=link, room_id=None).online_url == link


def test_the_refusal_says_how_to_write_the_character(make_event):
    with pytest.raises(ValidationError) as info:
        make_event(online_url="https://a.example/wiki/Foo_(bar)", room_id=None)
    assert info.value.params["value"] == "(" and "%28" in str(info.value)
