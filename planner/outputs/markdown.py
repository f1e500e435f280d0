"""Markdown people type, as safe HTML: the event description (the one text that is Markdown on
purpose on a page) and the body of an organizer's message to their guests (issue #10).

It is parsed and rendered to HTML here by markdown-it-py (CommonMark, with GFM tables,
strikethrough and bare links), then shown with ``st.html`` (or put in an email's HTML part), so
exactly one parser, this one, decides what it becomes. Handing the Markdown to ``st.markdown`` instead would let the
browser's renderer load every image from any host for every visitor, and a description of
20,000 ``>`` made it recurse until "Maximum call stack size exceeded". Here:

- raw HTML is text (``html`` off): ``<img src=…>`` or ``<script>`` show as typed;
- an image becomes a link to it (its alt text, else its address), so nothing is fetched
  from another host unless the reader clicks;
- links and bare addresses keep only http(s), mailto and addresses within the app
  (``javascript:``, ``data:`` and other schemes stay text); they open in a new tab;
- nesting is bounded: markdown-it stops at ``MAX_NESTING`` levels (what lies deeper is
  dropped, as its own guard against pathological input does), and block quotes and lists
  deeper than ``MAX_DEPTH`` (emphasis deeper than ``MAX_INLINE_DEPTH``) are flattened into
  the level above, their text kept.

``st.html`` sanitizes the result once more (DOMPurify) and runs no scripts; mail clients run none.
"""

from __future__ import annotations

import functools
from html import escape
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

MAX_NESTING = 20  # markdown-it's own bound (its CommonMark preset's value)
MAX_DEPTH = 4  # block quotes and lists shown inside one another
SCHEMES = ("http", "https", "mailto")
MAX_INLINE_DEPTH = 3  # emphasis, strong and strikethrough inside one another
CONTAINERS = {"blockquote", "bullet_list", "ordered_list"}
INLINE = {"em", "strong", "s"}


def _allowed_link(url: str) -> bool:
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in SCHEMES or (scheme == "" and not url.strip().startswith("//"))


def _image_as_link(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = token.attrGet("src") or ""
    text = renderer.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{escape(src)}" target="_blank" rel="nofollow noopener noreferrer">{escape(text)}</a>'


def _link_open(renderer, tokens, idx, options, env) -> str:
    tokens[idx].attrSet("target", "_blank")
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    return renderer.renderToken(tokens, idx, options, env)


def _flatten(tokens, kinds=CONTAINERS, max_depth=MAX_DEPTH) -> list:
    """Drop the open and close tokens of ``kinds`` nested deeper than ``max_depth``, keeping
    what they hold: a list item's paragraphs become paragraphs, emphasis inside emphasis
    inside emphasis… stays text of the outer ones."""
    kept, stack = [], []  # stack: (kind, dropped) of each open container and list item
    for token in tokens:
        if token.children:
            token.children = _flatten(token.children, INLINE, MAX_INLINE_DEPTH)
        kind = token.type.rsplit("_", 1)[0]
        if token.nesting and (kind in kinds or kind == "list_item"):
            if token.nesting == 1:
                if kind == "list_item":
                    dropped = bool(stack) and stack[-1][1]
                else:
                    dropped = sum(1 for k, d in stack if k != "list_item" and not d) >= max_depth
                stack.append((kind, dropped))
            else:
                dropped = stack.pop()[1]
            if not dropped:
                kept.append(token)
            continue
        if token.type in ("paragraph_open", "paragraph_close") and stack and stack[-1][1]:
            token.hidden = False  # a tight list's paragraph, its list gone: a paragraph again
        kept.append(token)
    return kept


_parser = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "maxNesting": MAX_NESTING})
    .enable(["table", "strikethrough", "linkify"])
)
_parser.validateLink = _allowed_link
_parser.add_render_rule("image", _image_as_link)
_parser.add_render_rule("link_open", _link_open)


@functools.lru_cache(maxsize=512)  # the event page reruns often; the description seldom changes
def description_html(markdown: str) -> str:
    """The description's Markdown as safe HTML (see the module's docstring)."""
    env: dict = {}
    tokens = _flatten(_parser.parse(markdown or "", env))
    return _parser.renderer.render(tokens, _parser.options, env)
