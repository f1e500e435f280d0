"""Text a person typed, shown inside Markdown exactly as typed: the rules are in
``planner/outputs/sentences.py`` (plain Python, no Streamlit), which the plain HTML event page
(``planner/web/event_page.py``) shares with the Streamlit pages."""

from planner.outputs.sentences import JOINER, MARKUP, conflict_md, error_md, escape_md, escape_params, sentence_md

__all__ = ["JOINER", "MARKUP", "conflict_md", "error_md", "escape_md", "escape_params", "sentence_md"]
