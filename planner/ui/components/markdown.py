"""Text a person typed, shown inside Markdown exactly as typed.

Titles, names, addresses and door labels go through ``escape_md`` wherever an element renders
Markdown: st.markdown, st.caption, the alerts (info, success, warning, error), st.title,
header and subheader, st.progress and st.toast text, and every *label* (buttons, link
buttons, page links, tabs, expanders, metrics, radio options), where images show as icons and
so are fetched. Selectbox options and dataframe cells are plain text: data goes there as it is
(escaping would show the backslashes). Escape the data, not the sentence around it: a
translation may use Markdown itself. The event description is the only Markdown on purpose:
``components/description.py`` renders it.

Why these characters: CommonMark lets a backslash make any ASCII punctuation literal (spec
§2.4), and every Markdown construct Streamlit's renderer knows needs one of ``MARKUP``:
links and images (``[`` ``!``), autolinks (``<``, and GFM's ``www.``, ``https://`` and
``a@b.org`` literals, which need the ``.``, ``:`` and ``@``), HTML (``<``), entities (``&``),
emphasis, headings, lists, tables, LaTeX (``$``), Streamlit's directives (``:red[…]``,
``:material/…:``) and emoji shortcodes (``:smile:``; Streamlit loads the emoji plugin only
when the raw text holds a colon pair with no backslash between). The rest (``, ; ? % / ' "``)
means nothing outside those constructs and stays as typed, so the source stays readable.
GFM's bare links and the emoji shortcodes are found in the parsed text, where backslashes are
gone, so those patterns are also broken by an invisible word joiner (U+2060). White space is
folded to single spaces, which is what a Markdown paragraph shows anyway, so no line of data
can start a block (a list, a quote, a heading, an indented code block) or end one.
"""

from __future__ import annotations

import re

from planner import PlannerError
from planner.codes import MESSAGES, message
from planner.i18n import Lazy

MARKUP = "\\`*_{}[]<>()#+-.!|~$:&@=^"
_MARKUP = re.compile("([" + re.escape(MARKUP) + "])")
_WHITE = re.compile(r"[ \t\n\r\f\v]+")
# Where GFM's bare links (https://…, www.…, a@b.org) and emoji shortcodes would be found in
# the text *after* parsing, where backslashes are gone: after a colon followed by "/" or a
# word character, between "www" and its dot, between a word and "@". An invisible WORD JOINER
# there breaks the pattern and shows nothing; elsewhere ("rights: a dialogue") the text is
# left alone, so it reads, searches and speaks as typed.
JOINER = "\u2060"
_BARE_LINK = re.compile(r"(?<=:)(?=[/\w+-])|(?<=www)(?=\.)|(?<=[-.\w+])(?=@)", re.IGNORECASE)


def escape_md(text: str) -> str:
    """Text shown inside Markdown as it was typed: no links, images, HTML, emphasis, icons."""
    text = _BARE_LINK.sub(JOINER, _WHITE.sub(" ", str(text)).strip())
    return _MARKUP.sub(r"\\\1", text)


def escape_params(params: dict) -> dict:
    """A sentence's parameters with the text in them escaped (labels, numbers and dates are
    ours and stay as they are)."""

    def escaped(value):
        if isinstance(value, str):
            return escape_md(value)
        if isinstance(value, Lazy) and value.params:  # a field's label naming a speaker
            return Lazy(value.msgid, escape_params(value.params))
        if isinstance(value, (list, tuple)):
            return [escaped(v) for v in value]
        return value

    return {name: escaped(value) for name, value in params.items()}


def sentence_md(code: str, params: dict) -> str:
    """The sentence for ``code`` with its parameters escaped, to show in a Markdown element."""
    return message(code, escape_params(params))


def error_md(err: PlannerError) -> str:
    """A refusal's sentence for a Markdown element: the names, titles and values it repeats
    from what people typed are escaped."""
    if err.code not in MESSAGES:  # an old sentence-style raise: the whole text is data
        return escape_md(str(err))
    return sentence_md(err.code, err.params)


def conflict_md(conflict) -> str:
    """A clash's sentence for a Markdown element (titles, rooms and speakers escaped)."""
    return sentence_md(f"conflict_{conflict.kind}", conflict.params)
