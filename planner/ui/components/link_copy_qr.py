"""A link shown in full (wrapping, never cut) with a *Copy* button that says when it copied, and a
QR code with a text alternative (issue #16): door passes on the registrations page."""

from __future__ import annotations

import base64
import html
import json

import streamlit as st

from planner.i18n import _
from planner.outputs.qr import qr_png

_STYLE = (
    "<style>"
    " .planner-link { font-family: 'Source Code Pro', monospace; font-size: .9rem; white-space: pre-wrap;"
    "  word-break: break-all; background: #f0f2f6; border-radius: .5rem; padding: .5rem .75rem; margin: 0; }"
    " .planner-copy { margin-top: .5rem; display: flex; gap: .75rem; align-items: center; }"
    " .planner-copy button { font: inherit; padding: .35rem .9rem; border-radius: .5rem; cursor: pointer;"
    "  border: 1px solid #8a8d97; background: #fff; color: #262730; }"
    " .planner-copy button:focus-visible { outline: 3px solid #1c4f9c; outline-offset: 2px; }"
    " .planner-copy [role=status] { color: #1f6f3f; font-weight: 600; }"
    "</style>"
)

_SCRIPT = """
<script>
(() => {
  const doc = window.parent ? window.parent.document : document;
  const box = doc.getElementById(%(box)s);
  if (!box || box.dataset.ready) return;
  box.dataset.ready = '1';
  const button = box.querySelector('button'), status = box.querySelector('[role=status]');
  button.addEventListener('click', async () => {
    const text = %(text)s;
    let copied = false;
    try { await navigator.clipboard.writeText(text); copied = true; } catch (e) {
      const area = doc.createElement('textarea');  // no clipboard API (plain http): the old way
      area.value = text; doc.body.appendChild(area); area.select();
      try { copied = doc.execCommand('copy'); } catch (e2) { copied = false; }
      area.remove();
    }
    status.textContent = copied ? %(done)s : %(failed)s;
  });
})();
</script>
"""


def link_with_copy(url: str, key: str) -> None:
    """The whole ``url`` (wrapping on a phone) and a *Copy* button; a polite live region says
    "Copied" (or how to copy by hand) so screen readers hear it too."""
    box, copy = f"planner-copy-{key}", _("Copy")
    st.html(
        _STYLE + f'<p class="planner-link">{html.escape(url)}</p>'
        f'<div class="planner-copy" id="{box}"><button type="button">{html.escape(copy)}</button>'
        '<span role="status" aria-live="polite"></span></div>'
        + _SCRIPT % {
            "box": json.dumps(box), "text": json.dumps(url), "done": json.dumps(_("Copied: paste it in a message.")),
            "failed": json.dumps(_("Could not copy here: select the link and copy it.")),
        },
        unsafe_allow_javascript=True,
    )


def qr_image(url: str, alt: str, size: int = 220) -> None:
    """A QR code of ``url`` with ``alt`` as its text alternative."""
    data = base64.b64encode(qr_png(url)).decode("ascii")
    st.html(f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" width="{size}" height="{size}">')
