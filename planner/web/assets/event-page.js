// The public event page's few scripts (planner/web/event_page.py). The page works without them:
// they add the visitor's own times, the Copy buttons, the proof-of-work widget's words and
// challenge, and move the focus to a refusal.

// The event's times on the visitor's clock, when the browser's zone reads them differently:
// "21:00–00:00 (+1 day) your time" (the sentence and day marks come translated from the server).
for (const el of document.querySelectorAll("[data-viewer-time]")) {
  try {
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!own || own === el.dataset.zone) continue;
    const start = new Date(el.dataset.start), end = new Date(el.dataset.end);
    const clock = (d, zone) => new Intl.DateTimeFormat(el.dataset.lang, { hour: "numeric", minute: "2-digit", hourCycle: el.dataset.h12 === "true" ? "h12" : "h23", timeZone: zone }).format(d);
    if (clock(start, own) === clock(start, el.dataset.zone) && clock(end, own) === clock(end, el.dataset.zone)) continue;
    const day = (d) => {
      const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: own, year: "numeric", month: "2-digit", day: "2-digit" })
        .formatToParts(d).map((x) => [x.type, x.value]));
      return Date.UTC(+p.year, +p.month - 1, +p.day);
    };
    const [y, m, d] = el.dataset.day.split("-").map(Number);
    const listed = Date.UTC(y, m - 1, d);
    const plus = JSON.parse(el.dataset.plus), minus = JSON.parse(el.dataset.minus);
    const mark = (moment) => {
      const days = Math.round((day(moment) - listed) / 86400000);
      if (days === 0) return "";
      const list = days > 0 ? plus : minus;
      return " " + (list[Math.min(Math.abs(days), list.length) - 1] || "");
    };
    const startMark = mark(start), endMark = mark(end);
    const first = clock(start, own) + (startMark !== endMark ? startMark : "");
    const last = clock(end, own) + endMark;
    el.textContent = el.dataset.template.replace("{start}", first).replace("{end}", last);
    el.hidden = false;
  } catch (e) { /* an old browser without time zones: the venue's times stay */ }
}

// Copy buttons: the address goes on the clipboard, then "Copied" is said in a live region.
for (const box of document.querySelectorAll("[data-copy]")) {
  const button = box.querySelector("[data-copy-button]");
  const out = box.querySelector("[data-copy-status]");
  const shown = box.querySelector(".address");
  const text = button.dataset.text || shown.textContent;
  const say = (m) => { out.textContent = ""; setTimeout(() => { out.textContent = m; }, 50); };
  const byHand = () => {
    const r = document.createRange(); r.selectNodeContents(shown);
    const w = window.getSelection(); w.removeAllRanges(); w.addRange(r);
    try { if (document.execCommand("copy")) { say(button.dataset.done); return; } } catch (e) { /* below */ }
    say(button.dataset.failed);
  };
  button.hidden = false;
  button.addEventListener("click", () => {
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(() => say(button.dataset.done), byHand);
    else byHand();
  });
}

// The proof-of-work widget: this event's challenge (in the page: the widget fetches nothing)
// and its words in the page's language; solved again by itself on a form refused for another field.
for (const widget of document.querySelectorAll("altcha-widget[data-challenge]")) {
  const setUp = () => {
    if (typeof widget.configure !== "function") return false;
    if (window.$altcha && $altcha.i18n) {
      $altcha.i18n.set("planner", Object.assign({}, $altcha.i18n.get("en"), JSON.parse(widget.dataset.strings)));
    }
    const configured = widget.configure({ challenge: JSON.parse(widget.dataset.challenge), language: "planner",
                                          hideFooter: true, hideLogo: true, humanInteractionSignature: false });
    // A form refused for another field after the check was done: the page does the new check itself.
    if (widget.dataset.again !== undefined) Promise.resolve(configured).then(() => widget.verify());
    return true;
  };
  customElements.whenDefined("altcha-widget").then(() => { if (!setUp()) widget.addEventListener("load", setUp, { once: true }); });
}

// A refused form: the summary of what to correct takes the focus (it is also announced); the
// lost link's answer, or its field when refused, likewise (on a phone it is below the fold).
const errors = document.getElementById("form-errors") || document.querySelector("[data-take-focus]");
if (errors) {
  errors.focus();
  // Chromium applies the address's #register after the load, which clears the focus: give it back.
  window.addEventListener("load", () => setTimeout(() => errors.focus(), 0), { once: true });
}

// A form is sent once: a second press while the answer is on its way (a slow rush) would send
// it again and answer "already registered" instead of showing the private link.
for (const form of document.querySelectorAll("form[method=post]")) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    for (const button of form.querySelectorAll("button[type=submit]")) button.setAttribute("aria-disabled", "true");
  });
}
