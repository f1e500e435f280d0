"""``components.event_cache.per_version``: a part of the event page built once per event version
and language (issue #17), never a stale one."""

from __future__ import annotations

import dataclasses

from planner.i18n import using
from planner.outputs.event_cache import per_version
from tests.pages.apptest import dialogue


def test_a_part_is_built_once_per_version_and_language_and_again_after_a_save(app_planner):
    @per_version
    def title_line(event) -> str:
        return f"{event.title} ({event.version})"

    event = dialogue(app_planner)
    with using("en"):
        first = title_line(event)
        assert title_line(event) is first and title_line(app_planner.get_event(event.id)) is first
    assert title_line.builds == 1
    with using("fr"):
        title_line(event)
    assert title_line.builds == 2  # each language its own

    saved = app_planner.update_event(event.id, version=event.version, title="A new title for the dialogue")
    with using("en"):
        assert title_line(saved) == f"A new title for the dialogue ({saved.version})"
    assert title_line.builds == 3


def test_a_change_that_keeps_the_version_is_built_afresh(app_planner):
    @per_version
    def title_line(event) -> str:
        return event.title

    event = dialogue(app_planner)
    with using("en"):
        assert title_line(event) == event.title
        other = dataclasses.replace(event, title="Translated title")  # same id and version, other content
        assert title_line(other) == "Translated title"
    assert title_line.builds == 2
