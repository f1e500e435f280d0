"""Accessibility (WCAG 2.1 AA, issue #16): what Streamlit's own markup does not give, added once
per page run from the entry script, and a way to tie an error to its field.

**Contrast.** Streamlit's captions (and placeholders, and help text) are its text drawn at 60 %
opacity: #828180 on white, 3.9:1, under the 4.5:1 that text needs. They get #5f636e (6.0:1 on
white, 5.4:1 on the grey of code blocks and badges). The app has one theme, light: ``[theme]``
in ``.streamlit/config.toml`` makes it a custom theme, which Streamlit does not turn dark with
the system's preference, and the minimal toolbar offers no theme switch.

**Focus.** Every link and control shows a 3 px outline in the primary colour when reached with
the keyboard (``:focus-visible``); text fields, selects and text areas outline their whole box
(Streamlit puts the real input inside a styled wrapper — ``st…RootElement``, react-aria's
``role="group"`` — so the wrapper carries the outline).

**Errors tied to fields.** Streamlit exposes neither ``aria-invalid`` nor ``aria-describedby``.
``field_error(message, key)`` draws the error (a Streamlit alert, role="alert", so it is
announced when it appears) in a container named after the widget's key; one small script,
installed once per browser tab, watches the page and, for each such error, gives the field
``aria-invalid="true"`` and ``aria-describedby`` pointing at the error's text — and takes both
away when the error is gone. Without scripts the error still shows beside its field.

**Headings in order.** Pages give their sections ``st.header`` (h2) after the ``st.title`` (h1),
not ``st.subheader`` (h3); the CSS draws an h2 at the subheader's size.

**Heading anchors.** Streamlit adds a "link to this heading" anchor to headings; pages pass
``anchor=False``. The script also takes any left out of the tab order (one extra tab stop per
heading otherwise).
"""

from __future__ import annotations

import streamlit as st

# The primary colour (config.toml) for outlines: 6.4:1 on white.
FOCUS = "#1f5fa8"
MUTED = "#5f636e"  # captions, help and placeholders: 6.0:1 on white

CSS = (
    "<style data-planner='a11y'>"
    # Contrast: captions, widget help, placeholders.
    f" [data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p,"
    f" [data-testid='stWidgetLabel'] [data-testid='stTooltipIcon'],"
    f" [data-testid='stMarkdownContainer'] small {{ color: {MUTED} !important; opacity: 1 !important; }}"
    f" [data-testid='stMain'] :is(input, textarea)::placeholder {{ color: {MUTED} !important; opacity: 1; }}"
    # Focus: a visible outline on every link and control reached with the keyboard.
    f" :is(a, button, summary, [role='button'], [role='tab'], [role='link'], [role='checkbox'], [role='radio'],"
    f" [role='switch'], [role='option'], [tabindex]:not([tabindex='-1'])):focus-visible"
    f" {{ outline: 3px solid {FOCUS} !important; outline-offset: 2px !important; }}"
    f" [data-testid='stPageLink'] a:focus-visible {{ outline-offset: 0 !important; }}"
    f" :is([data-testid$='RootElement'], [data-testid='stNumberInputContainer'], [data-baseweb='input'],"
    f" [data-baseweb='textarea'], [data-baseweb='select'] > div,"
    f" :is([data-testid='stSelectbox'], [data-testid='stMultiSelect'], [data-testid='stDateInput'],"
    f" [data-testid='stTimeInput']) [role='group']):focus-within"
    f" {{ outline: 3px solid {FOCUS} !important; outline-offset: 1px !important; }}"
    f" label:has(input[type='checkbox']:focus-visible), label:has(input[type='radio']:focus-visible)"
    f" {{ outline: 3px solid {FOCUS}; outline-offset: 2px; border-radius: 4px; }}"
    # Sections are h2 under the page's h1 (headings in order), drawn at the size the app's
    # subheaders had (Streamlit's h3): the order changes for screen readers, not the look.
    " @media (min-width: 641px) { [data-testid='stMain'] [data-testid='stHeadingWithActionElements'] h2"
    " { font-size: 1.75rem; padding: 0.75rem 0 1rem; line-height: 1.2; } }"
    # The script's own element takes no room on the page.
    " [data-testid='stElementContainer']:has(script[data-planner='a11y']) { display: none; }"
    # Text kept for screen readers only (a page's heading that sighted people do not need).
    " .planner-sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;"
    " overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }"
    "</style>"
)

PREFIX = "a11y_error__"

# Installed once per tab (a rerun draws the same element, which React keeps as it is).
SCRIPT = """<script data-planner='a11y'>
(function () {
  if (window.__plannerA11y) return;
  window.__plannerA11y = true;
  var PREFIX = 'st-key-""" + PREFIX + """';
  var FIELDS = "input:not([type=radio]):not([type=hidden]), textarea, [role=radiogroup]";
  function keyOf(el) {
    for (var i = 0; i < el.classList.length; i++) {
      var c = el.classList[i];
      if (c.indexOf(PREFIX) === 0) return c.slice(PREFIX.length);
    }
    return null;
  }
  function describedBy(field, add, id) {
    var ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(function (x) { return x && x !== id; });
    if (add) ids.push(id);
    if (ids.length) field.setAttribute('aria-describedby', ids.join(' ')); else field.removeAttribute('aria-describedby');
  }
  function tie() {
    var live = {};
    document.querySelectorAll('[class*="' + PREFIX + '"]').forEach(function (box) {
      var key = keyOf(box);
      if (!key) return;
      var id = 'planner-error-' + key;
      var text = box.querySelector('[data-testid=stAlertContentError], [data-testid=stMarkdownContainer]') || box;
      if (text.id !== id) text.id = id;
      var alert = box.querySelector('[role=alert]');
      if (!alert) { var a = box.querySelector('[data-testid=stAlertContainer]') || box; a.setAttribute('role', 'alert'); }
      live[key] = id;
      document.querySelectorAll('.st-key-' + CSS.escape(key)).forEach(function (w) {
        w.querySelectorAll(FIELDS).forEach(function (field) {
          if (field.getAttribute('aria-invalid') !== 'true') field.setAttribute('aria-invalid', 'true');
          if ((field.getAttribute('aria-describedby') || '').split(/\\s+/).indexOf(id) < 0) describedBy(field, true, id);
          field.setAttribute('data-planner-invalid', key);
        });
      });
    });
    document.querySelectorAll('[data-planner-invalid]').forEach(function (field) {
      var key = field.getAttribute('data-planner-invalid');
      if (live[key]) return;
      field.removeAttribute('aria-invalid');
      field.removeAttribute('data-planner-invalid');
      describedBy(field, false, 'planner-error-' + key);
    });
    document.querySelectorAll('[data-testid=stHeaderActionElements] a, [data-testid=stHeadingWithActionElements] a[href^="#"]')
      .forEach(function (a) { if (a.getAttribute('tabindex') !== '-1') a.setAttribute('tabindex', '-1'); });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; tie(); });
  }).observe(document.body, { childList: true, subtree: true });
  tie();
})();
</script>"""


def install(extra_css: str = "") -> None:
    """The CSS (``extra_css``, the entry script's own layout rules, first) and the script, once
    per page run, as one element: each element is one more message to the browser on every run
    of every page (issue #17). A style applies even inside the hidden element holding it."""
    st.html(extra_css + CSS + SCRIPT, unsafe_allow_javascript=True)


def field_error(message: str, key: str) -> None:
    """``message`` (Markdown) as an error beside the widget whose key is ``key``, announced when
    it appears and tied to the field (``aria-invalid``, ``aria-describedby``)."""
    with st.container(key=f"{PREFIX}{key}"):
        st.error(message, icon=":material/error:")


def screen_reader_heading(text: str) -> None:
    """A page's first heading for screen readers only, where sighted people see the page's
    purpose without one (the door)."""
    import html

    st.html(f"<h1 class='planner-sr-only'>{html.escape(text)}</h1>")
