"""The event description on a page: rendered by ``planner/outputs/markdown.py`` (the one
Markdown parser, with its safety rules), shown with ``st.html`` in a box of its own."""

from __future__ import annotations

import streamlit as st

from planner.outputs.markdown import description_html

__all__ = ["description_html", "show_description"]


def show_description(markdown: str) -> None:
    """The description on a page, in a box of its own."""
    st.html(f'<div class="planner-description" dir="auto">{description_html(markdown)}</div>')  # typed text: its own direction
