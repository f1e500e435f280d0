"""Styles of the organizer's pages (issue #16), injected by each of them (the global style in
``main.py`` is the public pages' and everyone's).

Streamlit's captions are drawn at 60 % opacity, about 3.8:1 on white: below the 4.5:1
WCAG 2.1 AA asks of small text. Here they are a solid grey of about 6:1 on white and 5.4:1 on the
sidebar's grey. Long links (a door pass) wrap instead of being cut.
"""

from __future__ import annotations

import streamlit as st

CSS = (
    "<style data-planner-style='organizer'>"
    " .stApp [data-testid='stCaptionContainer'], .stApp [data-testid='stCaptionContainer'] p"
    " { color: #575a66; opacity: 1; }"
    " .planner-wrap, [class*='st-key-door_link'] code { white-space: pre-wrap; word-break: break-all; }"
    "</style>"
)


def apply() -> None:
    st.html(CSS)
