"""What an event page builds from the event alone, built once per version of the event and language.

The event page is the page a registration rush opens: hundreds of sessions a second run it
for the same event, and its text (details, speakers, organizations as Markdown) is the same
for all of them until an organizer saves a change. ``per_version`` makes a builder of such a
part run once per ``(event id, version, language)`` in the server process, and hand every
later run the same value (issue #17). Parts of the page that depend on the session (the
viewer's time zone, who is signed in, the registration box) do not belong here.

The key follows the event's ``version`` (every save bumps it); the event the value was built
from is kept beside it and compared, so a change that does not bump the version (a
translation, say) still builds afresh. Each builder keeps at most ``MAX_KEPT`` values, the
least recently used going first. Builders must return values nobody changes afterwards
(strings, tuples).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import Callable, TypeVar

from ..i18n import current

T = TypeVar("T")
MAX_KEPT = 512  # values per builder: far more events than a summit's programme has


def per_version(build: Callable[..., T]) -> Callable[..., T]:
    """Decorate ``build(event) -> value`` so it runs once per event version and language.
    Its calls count in ``.builds`` (for tests)."""
    kept: OrderedDict[tuple, tuple[object, T]] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(build)
    def cached(event) -> T:
        key = (event.id, event.version, current())
        with lock:
            found = kept.get(key)
            if found is not None and found[0] == event:
                kept.move_to_end(key)
                return found[1]
        value = build(event)  # outside the lock: two first runs may both build, both right
        with lock:
            cached.builds += 1
            kept[key] = (event, value)
            kept.move_to_end(key)
            while len(kept) > MAX_KEPT:
                kept.popitem(last=False)
        return value

    cached.builds = 0
    cached.clear = kept.clear
    return cached
