"""Text a person typed, shown inside Markdown exactly as typed.

Titles, names, addresses and door labels go through ``escape_md`` wherever an element renders
Markdown (markdown, captions, alerts, labels); the event description is the only Markdown on
purpose. Escape the data, not the sentence around it: a translation may use Markdown itself.
"""

from __future__ import annotations


def escape_md(text: str) -> str:
    """Text shown inside Markdown as it was typed (no accidental emphasis or links)."""
    for ch in "\\`*_{}[]<>()#+-.!|~$":
        text = text.replace(ch, "\\" + ch)
    return text
