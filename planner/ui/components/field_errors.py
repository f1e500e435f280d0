"""Errors tied to their fields for screen readers (WCAG 1.3.1, 3.3.1; issue #16).

Streamlit draws a field's problem as an alert beside it but cannot mark the field itself. Given
``{widget key: key of the container holding its message}``, ``tie_errors`` sets, in the page,
``aria-invalid="true"`` on the field and ``aria-describedby`` pointing at the message (Streamlit
gives every keyed element the class ``st-key-<key>``); fields no longer at fault lose both. The
alerts themselves have ``role="alert"``, so they are announced when they appear.

``a11y.field_error`` does the same for a message drawn right under its field (its container
named after the widget); this one is for the editor, whose messages go into places laid out
beforehand (one under both times, one under each row). The two mark the fields they tie with
their own attribute (``data-planner-tied`` here), so neither undoes the other's.
"""

from __future__ import annotations

import json

import streamlit as st

_SCRIPT = """
<script>
(() => {
  const pairs = %(pairs)s;  // run %(run)d
  const doc = window.parent ? window.parent.document : document;
  const fields = (key) => doc.querySelectorAll(
    `.st-key-${CSS.escape(key)} input, .st-key-${CSS.escape(key)} textarea`);
  let tries = 0;
  const tie = () => {
    doc.querySelectorAll('[data-planner-tied]').forEach((el) => {
      if (!Object.keys(pairs).some((key) => el.closest(`.st-key-${CSS.escape(key)}`))) {
        el.removeAttribute('aria-invalid');
        el.removeAttribute('aria-describedby');
        el.removeAttribute('data-planner-tied');
      }
    });
    let missing = false;
    for (const [key, box] of Object.entries(pairs)) {
      const message = doc.querySelector(`.st-key-${CSS.escape(box)}`);
      const inputs = fields(key);
      if (!message || !inputs.length) { missing = true; continue; }
      message.id = `planner-error-${box}`;
      inputs.forEach((el) => {
        el.setAttribute('aria-invalid', 'true');
        el.setAttribute('aria-describedby', message.id);
        el.setAttribute('data-planner-tied', '');
      });
    }
    if (missing && tries++ < 20) setTimeout(tie, 100);
  };
  tie();
})();
</script>
"""


def tie_errors(pairs: dict[str, str]) -> None:
    """Mark each field (by widget key) invalid and described by its message's container."""
    s = st.session_state
    s["_field_errors_run"] = run = s.get("_field_errors_run", 0) + 1
    st.html(_SCRIPT % {"pairs": json.dumps(pairs), "run": run}, unsafe_allow_javascript=True)
