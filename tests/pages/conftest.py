"""Fixtures for the page tests (AppTest).

* ``app_planner`` — the planner the app itself opens: the environment points ``PLANNER_DB`` at a
  temporary file (demo events on, first admin ``admin@example.org``) and ``open_planner`` opens
  it the way ``app.py`` does, so AppTest's runs of the pages see the same database. Not named
  ``planner``: in the domain tests that is a bare, empty ``Planner``.
* ``handed`` — what pages hand ``st.download_button``, by key: ``{key: (data, file_name)}``.
"""

from __future__ import annotations

import pytest

from planner.config import open_planner, settings_from_env


@pytest.fixture
def app_planner(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "planner.db"))
    monkeypatch.setenv("PLANNER_DEMO", "on")
    monkeypatch.setenv("PLANNER_ADMIN_EMAIL", "admin@example.org")
    monkeypatch.setenv("PLANNER_ADMIN_PASSWORD", "correct-horse-battery")
    return open_planner(settings_from_env())


@pytest.fixture
def handed(monkeypatch) -> dict:
    """What a page hands st.download_button as data, by the button's key (callables run when
    pressed; AppTest cannot press a download), with the file name: ``{key: (data, file_name)}``."""
    import streamlit as st

    caught = {}
    real = st.download_button

    def spy(label, data=None, **kwargs):
        caught[kwargs.get("key")] = (data, kwargs.get("file_name"))
        return real(label, data=data, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return caught
