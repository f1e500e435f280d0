"""A link shown in full — wrapping on a phone, never cut off — with a *Copy* button beside it.

Streamlit's code block scrolls sideways on a phone and shows its copy icon only on hover, so the
private link is drawn here instead: the address as text that wraps anywhere (it is one long
word), read left to right even on a right-to-left page, and a real button that copies it with
the browser's own clipboard (no third-party script), then says "Copied" in a live region that
screen readers announce. Without scripts the address is still there to select.
"""

from __future__ import annotations

import html
import json

import streamlit as st

from planner.i18n import _

STYLE = (
    "display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.25rem 0 .5rem"
)
ADDRESS = (
    "flex:1 1 16rem;min-width:0;font-family:'Source Code Pro',monospace;font-size:.95rem;color:#31333f;"
    "background:#f0f2f6;border-radius:.5rem;padding:.6rem .75rem;overflow-wrap:anywhere;word-break:break-all;"
    "white-space:normal;direction:ltr;unicode-bidi:isolate;text-align:left"
)
BUTTON = (
    "min-height:2.5rem;padding:.25rem .9rem;border-radius:.5rem;border:1px solid rgba(49,51,63,.35);"
    "background:#fff;color:#31333f;font:inherit;cursor:pointer"
)


def copy_link(url: str, key: str) -> None:
    """``url`` in full with a Copy button; ``key`` names the element (tests find it by
    ``data-testid='copy-link-<key>'``)."""
    st.html(copy_link_html(url, key), unsafe_allow_javascript=True)


def copy_link_html(url: str, key: str, label: str | None = None, done: str | None = None) -> str:
    """The HTML of ``copy_link`` (to draw inside a larger block of HTML: one element, not two)."""
    label, done, failed = label or _("Copy"), done or _("Copied"), _("Select the link and copy it by hand.")
    return (
        f"<div data-testid='copy-link-{html.escape(key)}' style=\"{STYLE}\">"
        f"<span data-copy-text dir='ltr' style=\"{ADDRESS}\">{html.escape(url)}</span>"
        f"<button type='button' data-copy-button style=\"{BUTTON}\">{html.escape(label)}</button>"
        "<span data-copy-status role='status' aria-live='polite' style='min-width:4rem'></span>"
        "<script>(function(){"
        "var s=document.currentScript, box=s && s.parentNode; if(!box) return;"
        "var b=box.querySelector('[data-copy-button]'), t=box.querySelector('[data-copy-text]'),"
        " out=box.querySelector('[data-copy-status]');"
        f"var url={json.dumps(url)}, done={json.dumps(done)}, failed={json.dumps(failed)};"
        "function say(m){out.textContent='';setTimeout(function(){out.textContent=m;},50);}"
        "function byHand(){var r=document.createRange();r.selectNodeContents(t);var w=window.getSelection();"
        " w.removeAllRanges();w.addRange(r);try{if(document.execCommand('copy')){say(done);return;}}catch(e){}say(failed);}"
        "b.addEventListener('click',function(){"
        " if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(url).then(function(){say(done);},byHand);}"
        " else byHand();});"
        "})();</script></div>"
    )


# Links drawn as buttons, many in one element (each Streamlit element is one more message to the
# browser on every run of a page a rush opens): the look of Streamlit's link buttons, a focus
# outline, wrapping on a phone.
LINK_ROW = "display:flex;flex-wrap:wrap;gap:.5rem;margin:.25rem 0 .75rem"
LINK_BUTTON = (
    "display:inline-flex;align-items:center;min-height:2.5rem;padding:.25rem .75rem;border-radius:.5rem;"
    "border:1px solid rgba(49,51,63,.35);background:#fff;color:#31333f;text-decoration:none;font-size:1rem"
)


def link_row_html(links: list[tuple[str, str]], new_tab: bool = False) -> str:
    """``[(label, url), …]`` as one row of link buttons (HTML, escaped)."""
    target = " target='_blank' rel='noopener noreferrer'" if new_tab else ""
    return f"<div style=\"{LINK_ROW}\">" + "".join(
        f"<a href=\"{html.escape(url)}\"{target} style=\"{LINK_BUTTON}\">{html.escape(text)}</a>" for text, url in links
    ) + "</div>"
