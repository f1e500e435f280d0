"""Styles of the organizer's pages (issue #16), injected by each of them: long links (a door
pass) wrap instead of being cut. Contrast and focus are everyone's, in ``components/a11y.py``
(installed by ``main.py`` on every page)."""

from __future__ import annotations

import streamlit as st

CSS = (
    "<style data-planner-style='organizer'>"
    " .planner-wrap, [class*='st-key-door_link'] code { white-space: pre-wrap; word-break: break-all; }"
    "</style>"
)


def apply() -> None:
    st.html(CSS)
