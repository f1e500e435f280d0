"""Fixtures for the page tests (AppTest)."""

from __future__ import annotations

import pytest

from planner.config import open_planner, settings_from_env


@pytest.fixture
def planner(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "planner.db"))
    monkeypatch.setenv("PLANNER_DEMO", "on")
    monkeypatch.setenv("PLANNER_ADMIN_EMAIL", "admin@example.org")
    monkeypatch.setenv("PLANNER_ADMIN_PASSWORD", "correct-horse-battery")
    return open_planner(settings_from_env())
