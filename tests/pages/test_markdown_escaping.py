"""Data people typed shows as typed wherever Streamlit renders Markdown, and the description,
Markdown on purpose, loads nothing and nests boundedly (issue #9, text part)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from planner.errors import ValidationError
from planner.i18n import N_
from planner.outputs.markdown import MAX_DEPTH, description_html
from planner.ui.components.markdown import JOINER, error_md, escape_md

# GitHub-flavoured Markdown as Streamlit's renderer reads it: CommonMark with tables,
# strikethrough, bare links (www.…, https://…) and raw HTML on.
GFM = MarkdownIt("commonmark", {"html": True, "linkify": True}).enable(["table", "strikethrough", "linkify"])
# Streamlit's own syntax on top of it, checked on the raw text as its frontend does:
# directives (:red[…], :material/…: is rewritten to :material_…:) and emoji shortcodes.
DIRECTIVE = re.compile(r"(?<!\\):[A-Za-z]")
EMOJI = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")  # Streamlit's test for loading remark-emoji
MATH = re.compile(r"(?<!\\)\$")
# What Streamlit's renderer looks for in the text *after* parsing (backslashes gone):
# mdast-util-gfm-autolink-literal's bare links and emails, remark-emoji's shortcodes.
BARE_LINK = re.compile(r"https?://|www(?=\.)|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.IGNORECASE)
EMOJI_IN_TEXT = re.compile(r":\+1:|:-1:|:[\w-]+:")


class _Read(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def rendered(markdown: str) -> tuple[list[str], str]:
    """The tags and the text a GFM renderer makes of ``markdown``; the text must hold nothing
    Streamlit would still turn into a link or an emoji, and is returned as people see it."""
    reader = _Read()
    reader.feed(GFM.render(markdown))
    text = "".join(reader.text).strip()
    assert not BARE_LINK.search(text) and not EMOJI_IN_TEXT.search(text), text
    return reader.tags, text.replace(JOINER, "")


def shown(text: str) -> str:
    """What a paragraph shows of ``text``: white space folded, ends trimmed (and the invisible
    word joiners aside)."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip().replace(JOINER, "")


HOSTILE = [
    "![x](http://127.0.0.1:1/a.png)", "[click](javascript:alert(1))", "<img src=http://127.0.0.1:1/b>",
    "<script>alert(1)</script>", "www.example.org", "https://a.example/x", "a@b.example", "<https://a.example>",
    "**bold** _it_ ~~s~~ `code`", "# heading", "- item", "1. first", "> quote", "| a | b |", "---", "===",
    ":material/home: :red[red] :smile: :+1:", "$x^2$ $$y$$", "&lt;b&gt; &amp; &#x41;", "\\*not\\*", "[a][b]",
    "=HYPERLINK(\"http://127.0.0.1:1\")", "    indented code", "a  \nb", "<!-- c -->", "[^1]", "~~~",
]


def test_hostile_names_show_as_typed_and_make_nothing_but_a_paragraph():
    for text in HOSTILE:
        tags, words = rendered(escape_md(text))
        assert tags == ["p"], (text, tags)
        assert words == shown(text), text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_any_text_shows_literally_in_markdown(text):
    escaped = escape_md(text)
    tags, words = rendered(escaped)
    assert set(tags) <= {"p"}, (text, tags)
    assert words == shown(text).replace("\x00", "\ufffd")
    assert not DIRECTIVE.search(escaped) and not EMOJI.search(escaped) and not MATH.search(escaped), escaped
    assert ":material/" not in escaped


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="![]()<>:/.$*_`~#|-=+&;,?%'\"@^{}\\ abhtpswx0123456789\n", max_size=60))
def test_markdown_punctuation_soup_shows_literally(text):
    tags, words = rendered(escape_md(text))
    assert set(tags) <= {"p"}, (text, tags)
    assert words == shown(text)


def test_a_refusal_repeating_typed_text_escapes_it():
    err = ValidationError("email_invalid", field="email", value="![x](http://127.0.0.1:1/c)")
    tags, words = rendered(error_md(err))
    assert tags == ["p"] and "![x](http://127.0.0.1:1/c)" in words
    # A field's label may name what was typed elsewhere: "Affiliation of <speaker>".
    label = N_("Affiliation of {name}").format(name="![y](http://127.0.0.1:1/d)")
    tags, words = rendered(error_md(ValidationError("too_long", field="speakers", label=label, max=200, length=201)))
    assert tags == ["p"] and "![y](http://127.0.0.1:1/d)" in words


# ---------------------------------------------------------------------- the description


def test_the_description_keeps_its_markdown_but_no_image_html_or_script_link():
    html = description_html(
        "**All welcome** — [the call](https://example.org/call) www.example.org\n\n"
        "![poster](http://127.0.0.1:1/poster.png) ![](http://127.0.0.1:1/bare.png)\n\n"
        "<img src=http://127.0.0.1:1/raw.png> <script>alert(1)</script>\n\n"
        "[js](javascript:alert(1)) [data](data:text/html,x) [ref][r] <javascript:alert(1)>\n\n"
        "[r]: javascript:alert(2)\n"
    )
    assert "<strong>All welcome</strong>" in html
    assert '<a href="https://example.org/call"' in html and '<a href="http://www.example.org"' in html
    assert "<img" not in html and "<script" not in html and "&lt;img src=" in html
    assert '<a href="http://127.0.0.1:1/poster.png"' in html and ">poster</a>" in html
    assert ">http://127.0.0.1:1/bare.png</a>" in html
    assert 'href="javascript' not in html and 'href="data' not in html


def test_deep_quotes_and_lists_are_flattened_and_keep_their_text():
    for markdown in (">" * 20_000, "> " * 5000 + "deep", "- " * 5000 + "deep",
                     "\n".join("  " * i + "- level" for i in range(200)), "*" * 9000 + "x" + "*" * 9000):
        html = description_html(markdown)
        depth = max_depth = 0
        for tag in re.findall(r"<(/?)(blockquote|ul|ol|strong|em)>", html):
            depth += -1 if tag[0] else 1
            max_depth = max(max_depth, depth)
        assert max_depth <= MAX_DEPTH + 3, markdown[:20]
    assert "deep" in description_html("> " * 15 + "deep")
    assert description_html("\n".join("  " * i + f"- level {i}" for i in range(8))).count("level") == 8


def test_the_calendar_text_of_a_description_is_unchanged():
    from planner.outputs.calendar import plain_text

    assert plain_text("**All welcome**: see [the call](https://example.org/call)") == (
        "All welcome: see the call (https://example.org/call)"
    )
