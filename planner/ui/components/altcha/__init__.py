"""The proof-of-work check of a registration form: the ALTCHA widget as a Streamlit component.

``declare_component`` serves ``frontend/`` (its ``index.html`` and the widget script that
``npm ci --prefix planner/ui/components/altcha/frontend`` installs from the committed
``package-lock.json``) from our own server; the page passes the server's challenge in and
gets the solved payload back, which ``Planner.register(..., proof=...)`` checks. Without
the widget files (no ``npm ci`` yet) ``available()`` is False: open registration works as
always, and the editor says proof of work is unavailable.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

from planner.i18n import current
from planner.outputs.sentences import proof_strings

FRONTEND = Path(__file__).parent / "frontend"
WIDGET_SCRIPT = FRONTEND / "node_modules" / "altcha" / "dist" / "main" / "altcha.min.js"

_component = components.declare_component("altcha", path=str(FRONTEND))


def available() -> bool:
    """Whether the widget's files are installed, so a proof-of-work form can work here."""
    return WIDGET_SCRIPT.is_file()


def proof_widget(challenge: dict, *, key: str, proposing: bool = False) -> str | None:
    """The widget for one challenge; the solved payload once the person ticked the box, else None.
    ``proposing``: the words of a call's proposal form (issue #14) instead of a registration's."""
    return _component(challenge=challenge, strings=proof_strings(proposing), language=current(), key=key, default=None)
