"""What the bench reads of a plain page (``bench/stclient.py``: ``Page.text_of``): the text a
person reads in the first element with an id, found by trying only the places the id occurs
(a regular expression tried at every tag of the page was about 15% of the bench's CPU in a
rush). These are the cases that lookup must get right: the same tag as that search finds."""

from __future__ import annotations

import re

import pytest

from bench.stclient import Page, _element_start


def page(html: str) -> Page:
    return Page(200, [], html.encode("utf-8"))


def every_tag(html: str, element_id: str) -> int | None:
    """The plain search the lookup replaces, as the reference."""
    found = re.search(r"<[A-Za-z][^<>]*\bid=[\"']?" + re.escape(element_id) + r"[\"'\s>/]", html)
    return None if found is None else found.start()


CASES = [
    # the id's text first in prose, in another attribute and in a longer id, then the element
    ('<p>answer: see below</p><a href="#answer">x</a><div id="answer-box">no</div>'
     '<section class="a" id="answer"><strong>You&rsquo;re registered</strong>, Ana!</section><p id="answer">2</p>',
     "answer", "You’re registered, Ana!"),
    ("<main><div id='form-errors'><ul><li>Name is missing</li><li>Email &amp; more</li></ul></div></main>",
     "form-errors", "Name is missing Email & more"),
    ("<div id=answer>bare <em>attribute</em></div>", "answer", "bare attribute"),
    ('<div id="answer"><script>var answer = "no";</script>shown<style>#answer{}</style></div>', "answer", "shown"),
    ('<input id="answer" value="v"><p>after</p>', "answer", ""),
    # the plain search stops at data-id (\bid), and the parser reads on to the real id
    ('<div data-id="answer">data</div><div id="answer">own</div>', "answer", "own"),
    ("<p>no such element, only the word answer</p>", "answer", None),
    ("", "answer", None),
    ('<div id="a.b">dots are not patterns</div><div id="axb">no</div>', "a.b", "dots are not patterns"),
]


@pytest.mark.parametrize("html,element_id,text", CASES)
def test_the_text_of_the_first_element_with_the_id(html, element_id, text):
    assert page(html).text_of(element_id) == text


@pytest.mark.parametrize("html,element_id,text", CASES)
def test_the_lookup_finds_the_tag_the_plain_search_finds(html, element_id, text):
    assert _element_start(html, element_id) == every_tag(html, element_id)


def test_an_element_longer_than_one_piece_of_the_parser_is_read_to_its_end():
    words = " ".join(f"word{i}" for i in range(400))  # far past one 256-character piece
    html = f'<div id="answer"><p>{words}</p><p>end</p></div><p>after</p>'
    assert page(html).text_of("answer") == f"{words} end"
