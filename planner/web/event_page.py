"""The public event page as plain HTML: ``/e/<id>`` (issue #17).

The page people open from a shared link, a poster's QR code, an email or a partner's embedded
programme, and the page a registration rush opens when the programme is announced. It is one
HTML document built on the server, with the registration form as an HTML form: no Streamlit
session, no websocket, no script run per visitor, so a visit costs one plain request and a
registration two (the form's POST answers 303 with the page holding the answer: Post/Redirect/Get;
``bench/rush.py`` measures it against a bare Streamlit form), and a phone downloads a few kilobytes
instead of the Streamlit application. The in-app page, ``/event?id=`` (a Streamlit
page), stays for the programme's own navigation and for organizers' drafts; both show the same
event through ``Planner``, with the same sentences (one catalogue of translations).

What it shows: the link preview tags of issue #15 (Open Graph, Twitter), the language list, the
summit, title and a cancellation, when (the venue's day and times with the zone named, and the
visitor's own times written in by ``event-page.js`` from the browser's zone), where (room, venue,
address with a map link, online), the calendar file and web-calendar links, the registration box
(closed, full with the waiting list, places left, the form with the event's questions, the privacy
choices, the proof-of-work check when the event asks for it), the answer with the private link,
"Lost your private link?", the description (``outputs/markdown.description_html``, as on every page),
speakers and organizations by the one visibility rule of issue #14, and the share links.

Security: everything people typed is escaped (``escape``, ``inline``); the form is protected
against cross-site posting by a browser key (``planner_browser``, an HttpOnly cookie the server
makes, repeated in the form; the double-submit pattern) and by refusing an ``Origin`` of another
site; the browser key and the client's address are the flood limits' ``ClientKey``. Like a new
Streamlit session, a script can start afresh with a key of its own (of the key's form and size):
the per-address and per-event limits are the ones it cannot leave. The
Content-Security-Policy allows this site's own scripts and images only, and no framing.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, urlsplit

from markdown_it import MarkdownIt
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from .. import access, clock, i18n
from ..codes import (GENDER_LABELS, GENDERS, ORGANIZATION_ROLE_HEADINGS, ORGANIZATION_TYPE_LABELS,
                     ORGANIZATION_TYPES, REGISTRATION_CLOSED, SPEAKER_ROLE_HEADINGS, YES_NO_LABELS, label)
from ..config import open_planner, settings_from_env
from ..errors import NotFound, PlannerError, TooManyRequests, ValidationError
from ..i18n import N_, _, format_number, ngettext
from ..mail.render import private_url
from ..models import PendingConfirmation, Registration
from ..outputs import sentences
from ..outputs.event_cache import per_version
from ..outputs.markdown import description_html
from ..outputs.sentences import JOINER, LINK_SENT, error_md, escape_md
from ..ratelimit import ClientKey, client_address
from ..security import new_token

BROWSER_COOKIE = "planner_browser"
# A form that was answered (registered, "check your email", "already registered", the lost link
# "sent") answers 303 to the page with ``answer=<nonce>`` (Post/Redirect/Get), and this cookie
# (HttpOnly, for that event's path only, half an hour) holds the nonce and what the answer needs
# (the private link's token, the address typed, or only its kind), so the page shows the answer
# and a reload shows it again instead of asking to send the form once more. The address never
# holds the private link. Refusals come back at once, with what was typed. The page without the
# nonce ends the cookie (``page``): nobody goes back to the last person's answer at a shared desk.
ANSWER_COOKIE = "planner_answer"
ANSWER_COOKIE_MAX_AGE = 30 * 60
ANSWER_NONCE = re.compile(r"[A-Za-z0-9_-]{16,40}")
BROWSER_COOKIE_MAX_AGE = 365 * 24 * 3600
BROWSER_KEY = re.compile(r"[A-Za-z0-9_-]{20,100}")  # what new_token makes; anything else is not ours
FIELDS = ("name", "email", "organization", "needs")
MAX_FORM_BYTES = 64 * 1024  # a filled-in form is a few KB; a proof-of-work payload under 1 KB
ASSETS = Path(__file__).parent / "assets"
ALTCHA_SCRIPT = (Path(__file__).parents[1] / "ui" / "components" / "altcha" / "frontend" / "node_modules" / "altcha"
                 / "dist" / "main" / "altcha.min.js")
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# Our own sentences' emphasis (``**…**``) only; descriptions go through outputs/markdown.py.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


# The words written inside the page's HTML templates (f-strings, which the catalogue's extractor
# cannot read before Python 3.12): marked here, translated when shown (``t``).
TEXT_SHARE_THIS_EVENT = N_("Share this event")
TEXT_COPY_LINK = N_("Copy link")
TEXT_LINK_COPIED = N_("Link copied")
TEXT_SELECT_THE_LINK_AND_COPY_IT_BY_HAND = N_("Select the link and copy it by hand.")
TEXT_ORGANIZATIONS = N_("Organizations")
TEXT_SPEAKERS = N_("Speakers")
TEXT_EMAIL_ME_MY_PRIVATE_LINK = N_("Email me my private link")
TEXT_YOU_EXAMPLE_ORG = N_("you@example.org")
TEXT_YOUR_EMAIL = N_("Your email")
TEXT_REGISTERED_ALREADY_TYPE_THE_EMAIL_YOU_RE = N_("Registered already? Type the email you registered with and we will send you your private link.")
TEXT_LOST_YOUR_PRIVATE_LINK = N_("Lost your private link?")
TEXT_ADD_TO_MY_CALENDAR_ICS = N_("Add to my calendar (.ics)")
TEXT_OPEN_MY_PRIVATE_PAGE = N_("Open my private page")
TEXT_COPY = N_("Copy")
TEXT_COPIED = N_("Copied")
TEXT_REGISTER_SOMEONE_ELSE = N_("Register someone else")
TEXT_REGISTER = N_("Register")
TEXT_START_END_YOUR_TIME = N_("{start}–{end} your time")
TEXT_PROGRAMME = N_("Programme")
TEXT_LANGUAGE = N_("Language")
TEXT_ABOUT = N_("About")
TEXT_SEE_THE_WHOLE_PROGRAMME = N_("See the whole programme")
TEXT_THE_FORM_WAS_NOT_SENT = N_("The form was not sent")
TEXT_EXPIRED = N_("This form has expired or was sent from another site. Open the event page again and send it "
                  "from there.")
TEXT_TOO_LARGE = N_("The form was too large to be sent. Please try again.")
TEXT_UNREADABLE = N_("The form could not be read. Please try again.")


def t(text) -> str:
    """A marked text in the active language, escaped for HTML."""
    return escape(str(text))

# ---------------------------------------------------------------------- text


def md(markdown: str) -> str:
    """A sentence of the pages (``outputs/sentences.py``: Markdown, what people typed already
    escaped by ``escape_md``) as HTML. Without GFM's bare links or emoji here, the invisible
    joiners ``escape_md`` puts into such patterns are not needed, and go."""
    return _markdown.renderInline(markdown).replace(JOINER, "")


def said(err: PlannerError) -> str:
    """A refusal's sentence as HTML, as the Streamlit pages say it (``error_md``)."""
    return md(error_md(err))


# ---------------------------------------------------------------------- what one request brings


@dataclass
class Form:
    """What the form holds: typed values (kept when the form is refused), the refusal, the answer."""

    values: dict = field(default_factory=dict)
    error: tuple[str | None, str] | None = None  # (field or None, message as HTML)
    more: dict = field(default_factory=dict)  # the other fields refused with it: field -> message as HTML
    answer: Registration | PendingConfirmation | None = None
    link_answer: tuple[str, str] | None = None  # ("sent" | "field" | "refused", message as HTML)
    already: str | None = None  # kept by the answer cookie: "already registered", the address typed

    @property
    def answered(self) -> bool:
        return self.answer is not None or self.already is not None

    def value(self, key: str) -> str:
        v = self.values.get(key, "")
        return v if isinstance(v, str) else ""

    def chosen(self, key: str) -> list[str]:
        v = self.values.get(key, [])
        return list(v) if isinstance(v, (list, tuple)) else [v] if v else []


def _browser(request: Request) -> str:
    """The browser's key (cookie), or a new one the response will set."""
    key = request.cookies.get(BROWSER_COOKIE, "")
    return key if BROWSER_KEY.fullmatch(key) else new_token()


def _client(request: Request, browser: str) -> ClientKey:
    settings = settings_from_env()
    forwarded = request.headers.getlist(settings.trusted_proxy) if settings.trusted_proxy else None
    peer = request.client.host if request.client else None
    return ClientKey(session=browser, address=client_address(peer, forwarded))


def _same_site(request: Request) -> bool:
    """A form sent from this site: no ``Origin`` (an old browser, a script), or this host's."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    allowed = {host, urlsplit(settings_from_env().base_url).netloc}
    return urlsplit(origin).netloc in allowed and origin != "null"


def event_id_of(request: Request) -> int | None:
    """The event's id in the address (``/e/<id>…``), None when it is not a whole number."""
    value = request.path_params.get("event_id", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def no_such_event() -> Response:
    """The plain 404 of the event page and its files (drafts, unknown and malformed ids)."""
    return PlainTextResponse(_("There is no such event."), status_code=404, headers={"Cache-Control": "no-cache"})


def back_to_page(request: Request, language: str, anchor: str) -> Response:
    """303 to the event page in ``language``, at the element ``anchor`` (a form's own address
    opened with GET: a reload of a refused form's answer, a bookmark of it)."""
    event_id = event_id_of(request)
    if event_id is None:
        return no_such_event()
    address = i18n.in_address(f"/e/{event_id}", language) + (f"#{anchor}" if anchor else "")
    return Response(status_code=303, headers={"Location": address, "Cache-Control": "no-store"})


# ---------------------------------------------------------------------- routes


def page(request: Request, language: str) -> Response:
    """GET ``/e/<id>``: the page of a public event; a plain 404 for drafts and unknown ids. With
    ``answer=<nonce>`` and this browser's answer cookie for it, the answer to its registration.
    The page without ``answer`` (*Register someone else*, a new visit) ends the answer cookie, so
    the next person at a shared computer (a registration desk) cannot go back to the answer."""
    event = _public_event(event_id_of(request), language)
    if event is None:
        return no_such_event()
    response = _respond(request, event, language, _kept(request, event.id))
    if "answer" not in request.query_params and ANSWER_COOKIE in request.cookies:
        response.delete_cookie(ANSWER_COOKIE, path=f"/e/{event.id}", httponly=True, samesite="lax",
                               secure=settings_from_env().secure_cookies)
    return response


def _kept(request: Request, event_id: int) -> Form:
    """The form with the answer the answer cookie keeps for the ``answer`` nonce of the address
    (else an empty form): the registration as it stands now (still confirmed or waiting), the
    email-confirmation answer, "already registered" with the address typed, or the lost link's
    "sent"."""
    nonce = request.query_params.get("answer", "")
    cookie_nonce, _dot, what = request.cookies.get(ANSWER_COOKIE, "").partition(".")
    if not (ANSWER_NONCE.fullmatch(nonce) and what and hmac.compare_digest(cookie_nonce.encode(), nonce.encode())):
        return Form()
    kind, _dot, rest = what.partition(".")
    if kind == "pending":
        return Form(answer=PendingConfirmation(event_id))
    if kind == "link":
        return Form(link_answer=("sent", escape(str(LINK_SENT))))
    if kind == "already":
        try:
            return Form(already=base64.urlsafe_b64decode(rest + "=" * (-len(rest) % 4)).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return Form()
    try:
        found = open_planner().registration(what)
    except (NotFound, ValidationError):
        return Form()
    if found.event_id != event_id or found.status not in ("confirmed", "waitlisted"):
        return Form()
    return Form(answer=found)


def _kept_as(what: str, form: Form) -> str | None:
    """What the answer cookie keeps of an answer just given (None: a refusal, shown at once)."""
    done = form.answer
    if what == "link":
        return "link" if form.link_answer and form.link_answer[0] == "sent" else None
    if isinstance(done, PendingConfirmation):
        return "pending"
    if done is not None and done.already_registered:
        return "already." + base64.urlsafe_b64encode(done.email.encode("utf-8")).decode().rstrip("=")  # a bare cookie value
    if done is not None and done.manage_token:
        return done.manage_token
    return None


def _see_answer(event, language: str, kept: str) -> Response:
    """303 to the page with the answer (Post/Redirect/Get), the answer kept in the cookie."""
    nonce = new_token()[:24]
    address = i18n.in_address(f"/e/{event.id}?answer={nonce}", language) + ("#lost" if kept == "link" else "#register")
    response = Response(status_code=303, headers={"Location": address, "Cache-Control": "no-store",
                                                  "Referrer-Policy": "same-origin"})
    response.set_cookie(ANSWER_COOKIE, f"{nonce}.{kept}", max_age=ANSWER_COOKIE_MAX_AGE, httponly=True,
                        samesite="lax", secure=settings_from_env().secure_cookies, path=f"/e/{event.id}")
    return response


def _public_event(event_id: int | None, language: str):
    """The public event of that id in ``language`` (made active), or None (drafts, unknown ids)."""
    i18n.activate(language)
    if event_id is None:
        return None
    try:
        return open_planner().get_event(event_id, actor=access.PUBLIC).localized(language)
    except NotFound:
        return None


async def register(request: Request, language: str) -> Response:
    """POST ``/e/<id>``: the registration form. Refused forms come back with their values."""
    return await _post(request, language, "register")


async def lost_link(request: Request, language: str) -> Response:
    """POST ``/e/<id>/link``: "Email me my private link"; one answer whatever the address."""
    return await _post(request, language, "link")


async def _body_of(request: Request) -> bytes | None:
    """The request's body, or None past ``MAX_FORM_BYTES`` (counted as it arrives, so a chunked
    body without a Content-Length is held to the same size)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    return bytes(body)


async def _post(request: Request, language: str, what: str) -> Response:
    event_id = event_id_of(request)
    if event_id is None:
        return no_such_event()
    browser = request.cookies.get(BROWSER_COOKIE, "")
    if not _same_site(request) or not BROWSER_KEY.fullmatch(browser):  # before reading anything sent
        return _refused(language, TEXT_EXPIRED, 403)
    body = await _body_of(request)
    if body is None:
        return _refused(language, TEXT_TOO_LARGE, 413)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:  # the page's forms are urlencoded (no file); anything else is not from them
        if kind != "application/x-www-form-urlencoded":
            raise ValueError(kind)
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
    except ValueError:  # another type, bytes that are not UTF-8, too many fields
        return _refused(language, TEXT_UNREADABLE, 400)
    sent_key = next((v for k, v in pairs if k == "form_key"), "")
    if not hmac.compare_digest(browser.encode(), sent_key.encode()):
        return _refused(language, TEXT_EXPIRED, 403)
    values: dict = {}
    for key, value in pairs:
        values[key] = [*values[key], value] if isinstance(values.get(key), list) else (
            [values[key], value] if key in values else value)
    form = Form(values=values)
    client = _client(request, browser)
    return await run_in_threadpool(_answer_form, request, what, event_id, form, client, language)


def _answer_form(request: Request, what: str, event_id: int, form: Form, client: ClientKey, language: str) -> Response:
    """Does what the form asks and draws the page with the answer (one trip to the thread pool).
    A draft or an unknown event: nothing is done (not even a link request counted)."""
    event = _public_event(event_id, language)
    if event is None:
        return no_such_event()
    status = _act(what, event.id, form, client, language)
    if status == 404:
        return no_such_event()
    kept = _kept_as(what, form) if status == 200 else None
    if kept is not None:
        return _see_answer(event, language, kept)
    return _respond(request, event, language, form, status)


def _act(what: str, event_id: int, form: Form, client: ClientKey, language: str) -> int:
    """Does what the form asks, through the Planner; the answer or refusal goes into ``form``.
    The response's status code: 200, 429 for the flood limits, 404 when the event went meanwhile."""
    planner = open_planner()
    if what == "link":
        try:
            planner.send_private_link(form.value("email"), event_id, client=client)
        except ValidationError as err:
            form.link_answer = ("field", said(err))
        except TooManyRequests as err:
            form.link_answer = ("refused", said(err))
            return 429
        except PlannerError as err:
            form.link_answer = ("refused", said(err))
        else:
            form.link_answer = ("sent", escape(str(LINK_SENT)))
        return 200
    answers = {}
    for q in planner.event_questions(event_id):
        for key in q.answer_keys:
            answers[key] = _answer(q, form, f"q_{key}")
    try:
        form.answer = planner.register(
            event_id, **{f: form.value(f) for f in FIELDS}, proof=form.value("altcha") or None, client=client,
            language=language, answers=answers, no_photos=bool(form.value("no_photos")),
            hide_name=bool(form.value("hide_name")))
    except ValidationError as err:
        form.error = (err.field, said(err))
        for other in planner.registration_problems(event_id, **{f: form.value(f) for f in FIELDS}, answers=answers,
                                                   besides=err):  # the other fields refused with it too
            form.more.setdefault(other.field, said(other))
    except TooManyRequests as err:
        form.error = (None, said(err))
        return 429
    except NotFound:
        return 404
    except PlannerError as err:
        form.error = (None, said(err))
    return 200


def _answer(q, form: Form, key: str):
    """A question's answer as ``register(answers=…)`` takes it, from the posted form."""
    if q.kind == "several_choices":
        return form.chosen(key)
    value = form.value(key).strip()
    if q.kind == "yes_no":
        return {"yes": True, "no": False}.get(value)
    return value or None


def _refused(language: str, message, status_code: int) -> HTMLResponse:
    """A form refused before anything was done (``message`` marked, said in ``language``): the
    event loop's thread, where this runs, has not been given the request's language."""
    i18n.activate(language)
    body = (f'<main class="narrow"><h1>{t(TEXT_THE_FORM_WAS_NOT_SENT)}</h1><p role="alert">{t(message)}</p>'
            f'<p><a href="/">{t(TEXT_SEE_THE_WHOLE_PROGRAMME)}</a></p></main>')
    return HTMLResponse(_document(language, str(TEXT_THE_FORM_WAS_NOT_SENT), body), status_code=status_code,
                        headers=_headers())


def _respond(request: Request, event, language: str, form: Form, status_code: int = 200) -> Response:
    """The page of ``event`` (public, in ``language``) with the form as ``form`` holds it."""
    browser = _browser(request)
    before, after = _around_the_box(event)
    body = before + _registration(open_planner(), event, language, form, browser) + after
    response = HTMLResponse(body, status_code=status_code, headers=_headers())
    if request.cookies.get(BROWSER_COOKIE) != browser:
        response.set_cookie(BROWSER_COOKIE, browser, max_age=BROWSER_COOKIE_MAX_AGE, httponly=True, samesite="lax",
                            secure=settings_from_env().secure_cookies, path="/")
    return response


def _headers() -> dict[str, str]:
    return {"Cache-Control": "no-store", "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff"}


def picture(request: Request) -> Response:
    """GET ``/e/<id>/picture/<name>``: a logo or photo the event shows publicly (a confirmed
    speaker's photo, a confirmed organization's logo); 404 for any other name."""
    event_id = event_id_of(request)
    name = request.path_params.get("name", "")
    if event_id is None:
        return no_such_event()
    planner = open_planner()
    try:
        event = planner.get_event(event_id, actor=access.PUBLIC)
    except NotFound:
        return no_such_event()
    shown = {s.photo for s in event.public_speakers if s.photo}
    shown |= {o.logo for o in event.public_organizations if o.logo and not o.invited}
    if name not in shown:
        return no_such_event()
    try:
        data = planner.picture(name)
    except (NotFound, PlannerError):
        return no_such_event()
    media = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg" if data.startswith(b"\xff\xd8") else None
    if media is None:
        return no_such_event()
    return Response(data, media_type=media, headers={"Cache-Control": "public, max-age=600",  # an erased photo leaves caches soon
                                                     "X-Content-Type-Options": "nosniff"})


def asset(request: Request) -> Response:
    """GET ``/assets/<name>``: the page's own script and style, and the proof-of-work widget."""
    files = {"event-page.js": ASSETS / "event-page.js", "event-page.css": ASSETS / "event-page.css",
             "altcha.min.js": ALTCHA_SCRIPT}
    path = files.get(request.path_params.get("name", ""))
    if path is None or not path.is_file():
        return PlainTextResponse("Not found", status_code=404)
    media = "text/css" if path.suffix == ".css" else "text/javascript"
    return Response(path.read_bytes(), media_type=f"{media}; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})


# ---------------------------------------------------------------------- the document

_DOCUMENT = """<!doctype html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}<link rel="stylesheet" href="/assets/event-page.css">
<script type="module" src="/assets/event-page.js"></script>
</head>
<body>
{body}
</body></html>
"""


def _document(language: str, title: str, body: str, head: str = "") -> str:
    return _DOCUMENT.format(lang=escape(language), dir=i18n.direction(language), title=escape(title), head=head,
                            body=body)


def _head(preview: dict) -> str:
    """The link preview's tags (issue #15): what a chat app or a social network shows for the link."""
    p = {k: escape(str(v)) for k, v in preview.items()}
    locale = p["language"].replace("-", "_")
    return (
        f'<meta name="description" content="{p["description"]}">\n<link rel="canonical" href="{p["url"]}">\n'
        f'<meta property="og:type" content="website">\n<meta property="og:site_name" content="{p["site_name"]}">\n'
        f'<meta property="og:title" content="{p["title"]}">\n<meta property="og:description" content="{p["description"]}">\n'
        f'<meta property="og:url" content="{p["url"]}">\n<meta property="og:locale" content="{locale}">\n'
        f'<meta property="og:image" content="{p["image"]}">\n<meta property="og:image:type" content="image/png">\n'
        f'<meta property="og:image:width" content="{p["image_width"]}">\n'
        f'<meta property="og:image:height" content="{p["image_height"]}">\n'
        f'<meta property="og:image:alt" content="{p["title"]}">\n<meta name="twitter:card" content="summary_large_image">\n'
        f'<meta name="twitter:title" content="{p["title"]}">\n<meta name="twitter:description" content="{p["description"]}">\n'
        f'<meta name="twitter:image" content="{p["image"]}">\n'
    )


@per_version
def _around_the_box(event) -> tuple[str, str]:
    """The page before and after the registration box: the same for every visitor of a version
    of the event in a language, so made once per version (``per_version``, issue #17: a rush
    opens this page)."""
    planner, language = open_planner(), i18n.current()
    before = [_top(event, language), '<main id="main">']
    if event.summit:
        before.append(f'<p class="summit">{escape(event.summit.name)}</p>')
    before.append(f'<h1 dir="auto">{escape(event.title)}</h1>')
    if event.status == "cancelled":
        before.append('<div class="notice error" role="note">' + md(
            _("**This event is cancelled.** {reason}").format(reason=i18n.typed(escape_md(event.cancel_reason)))) + "</div>")
    before.append(_when_where(event, language))
    after = [_calendar(planner, event, language)]
    if event.description:
        after.append(f'<h2>{t(TEXT_ABOUT)}</h2><div class="description" dir="auto">{description_html(event.description)}</div>')
    after.append(_people(event))
    after.append(_share(planner, event, language))
    after.append("</main>")
    head, tail = _document(language, event.title, "\x00", _head(planner.link_preview(event.id, language))).split("\x00")
    return head + "\n".join(before) + "\n", "\n" + "\n".join(after) + tail


def _top(event, language: str) -> str:
    """The way back to the programme and the language list (links that remember the choice)."""
    here = f"/e/{event.id}"
    languages = "".join(
        (f'<li><a href="/language?to={code}&amp;next={quote_plus(here)}" lang="{code}" hreflang="{code}"'
         + (' aria-current="true"' if code == language else "") + f">{escape(i18n.name(code))}</a></li>")
        for code in i18n.available())
    arrow = "→" if i18n.direction(language) == "rtl" else "←"  # back points the way the page reads
    return (f'<header class="top"><a class="back" href="{escape(i18n.in_address("/", language))}">{arrow} '
            f'{t(TEXT_PROGRAMME)}</a><nav aria-label="{t(TEXT_LANGUAGE)}"><ul class="languages">'
            f"{languages}</ul></nav></header>")


def _twelve_hours() -> bool:
    """Whether the language's clock (CLDR, as the server writes the venue's times) has 12 hours."""
    return "h" in i18n.locale().time_formats["short"].pattern.replace("'", "")


def _when_where(event, language: str) -> str:
    zone_day = event.local_start.date().isoformat()
    viewer = (f'<p class="caption" data-viewer-time data-start="{event.starts_at.isoformat()}" '
              f'data-end="{event.ends_at.isoformat()}" data-zone="{escape(event.timezone)}" data-day="{zone_day}" '
              f'data-lang="{escape(language)}" data-h12="{str(_twelve_hours()).lower()}" data-template="{t(TEXT_START_END_YOUR_TIME)}" '
              f'data-plus="{escape(json.dumps([i18n.day_mark(d) for d in (1, 2)]))}" '
              f'data-minus="{escape(json.dumps([i18n.day_mark(-d) for d in (1, 2)]))}" hidden></p>')
    when = (f'<div class="when"><p><strong>{escape(i18n.long_date(event.local_start))}</strong><br>'
            f"{escape(i18n.time_range(event.local_start, event.local_end, event.timezone))}</p>{viewer}</div>")
    shown = {  # each line of sentences.where_lines as HTML
        "room": lambda text, _link: f'<strong dir="auto">{escape(text)}</strong>',
        "venue": lambda text, _link: f'<span dir="auto">{escape(text)}</span>',
        "address": lambda text, link: f'<a href="{escape(link)}" rel="noopener" target="_blank" dir="auto">{escape(text)}</a>',
        "join": lambda text, link: f'<a href="{escape(link)}" rel="noopener">{escape(text)}</a>',
    }
    lines = [shown[kind](text, link) if kind in shown else escape(text)
             for kind, text, link in sentences.where_lines(event)]
    notes = [f'<p class="caption" dir="auto">{"♿ " if kind == "access" else ""}{escape(text)}</p>'
             for kind, text in sentences.detail_notes(event)]
    where = f'<div class="where"><p>{"<br>".join(lines)}</p>{"".join(notes)}</div>'
    return f'<section class="facts">{when}{where}</section>'


def _file_label(text: str) -> str:
    """A button's words naming a file type: ".ics" keeps its dot first in a right-to-left sentence."""
    return escape(text).replace(".ics", '<bdi dir="ltr">.ics</bdi>')


def _calendar(planner, event, language: str) -> str:
    from ..outputs import calendar_links

    ics = i18n.in_address(f"/events/{event.id}.ics", language)
    labels = {"google": _("Add to Google Calendar"), "outlook": _("Add to Outlook.com")}
    own_file = _("Event's calendar file (.ics)")
    links = [f'<a class="button" href="{escape(ics)}">{_file_label(own_file)}</a>']
    for key, url in calendar_links.public_links(event, planner.base_url, language).items():
        links.append(f'<a class="button" href="{escape(url)}" target="_blank" rel="noopener">{escape(labels[key])}</a>')
    return f'<div class="row">{"".join(links)}</div>'


# ---------------------------------------------------------------------- registration


def _registration(planner, event, language: str, form: Form, browser: str) -> str:
    out = [f'<section class="box" aria-labelledby="register"><h2 id="register">{t(TEXT_REGISTER)}</h2>']
    closed = event.registration_closed(clock.now())
    if closed and not form.answered:  # an answer just given shows even if the event closed meanwhile
        out.append(f'<p class="caption">{escape(str(REGISTRATION_CLOSED[closed]))}</p></section>')
        return "".join(out)
    if form.answered:
        out.append(_answered(planner, form, language))
        out.append(f'<p><a class="button" href="{escape(i18n.in_address(f"/e/{event.id}", language))}#register">'
                   f'{t(TEXT_REGISTER_SOMEONE_ELSE)}</a></p></section>')
        return "".join(out)
    counts = planner.event_counts(event.id)
    if counts.is_full:
        out.append(f'<div class="notice warning">{md(sentences.full_notice(counts))}</div>')
    elif counts.seats_left is not None and counts.seats_left <= 10:
        out.append(f'<p class="caption">{escape(sentences.places_left(counts.seats_left))}</p>')
    out.append(_form(planner, event, language, form, browser, counts.is_full))
    out.append(_lost_link(event, language, form, browser))
    out.append("</section>")
    return "".join(out)


class _Fields:
    """Writes the form's fields, each tied to its error (``aria-describedby``) when refused."""

    def __init__(self, form: Form):
        self.form = form
        self.error_field, self.error = form.error if form.error else (None, None)
        self.errors = {**form.more, **({self.error_field: self.error} if self.error else {})}
        self.shown = 0  # fields drawn with their refusal

    @property
    def shown_error(self) -> bool:
        return self.shown > 0

    def error_for(self, name: str) -> tuple[str, str]:
        """The attributes of a refused field, and its message under it."""
        message = self.errors.get(name)
        if message:
            self.shown += 1
            return (f' aria-invalid="true" aria-describedby="error-{name}"',
                    f'<p class="field-error" id="error-{name}">{message}</p>')
        return "", ""

    def text(self, name: str, text: str, *, autocomplete: str = "", placeholder: str = "", kind: str = "text",
             max_length: int = 200, required: bool = False, hint: str = "", long: bool = False) -> str:
        attrs, message = self.error_for(name.removeprefix("q_"))
        extra = (f' autocomplete="{autocomplete}"' if autocomplete else "") + (
            f' placeholder="{escape(placeholder)}"' if placeholder else "") + (" required" if required else "")
        hint_html = f'<p class="hint" id="hint-{name}">{escape(hint)}</p>' if hint else ""
        if hint and "aria-describedby" not in attrs:
            attrs += f' aria-describedby="hint-{name}"'
        value = escape(self.form.value(name))
        if long:
            control = (f'<textarea id="f-{name}" name="{name}" maxlength="{max_length}" rows="3"{attrs}{extra} '
                       f'dir="auto">{value}</textarea>')
        else:
            control = (f'<input id="f-{name}" name="{name}" type="{kind}" maxlength="{max_length}" value="{value}"'
                       f'{attrs}{extra}' + (' dir="ltr"' if kind == "email" else ' dir="auto"') + ">")
        return f'<div class="field"><label for="f-{name}">{escape(text)}</label>{hint_html}{control}{message}</div>'

    def select(self, name: str, text: str, options: list[tuple[str, str]], placeholder: str) -> str:
        attrs, message = self.error_for(name.removeprefix("q_"))
        chosen = self.form.value(name)
        items = [f'<option value="">{escape(placeholder)}</option>'] + [
            f'<option value="{escape(v)}"' + (" selected" if v == chosen else "") + f">{escape(t)}</option>"
            for v, t in options]
        return (f'<div class="field"><label for="f-{name}">{escape(text)}</label>'
                f'<select id="f-{name}" name="{name}"{attrs}>{"".join(items)}</select>{message}</div>')

    def choices(self, name: str, text: str, options: list[tuple[str, str]], *, several: bool, hint: str = "") -> str:
        attrs, message = self.error_for(name.removeprefix("q_"))
        chosen = set(self.form.chosen(name))
        kind = "checkbox" if several else "radio"
        items = "".join(
            f'<label class="choice"><input type="{kind}" name="{name}" value="{escape(v)}"'
            + (" checked" if v in chosen else "") + f'> <span dir="auto">{escape(t)}</span></label>'
            for v, t in options)
        hint_html = f'<p class="hint">{escape(hint)}</p>' if hint else ""
        return (f'<fieldset class="field"{attrs}><legend>{escape(text)}</legend>{hint_html}'
                f'<div class="choices">{items}</div>{message}</fieldset>')

    def checkbox(self, name: str, text: str, hint: str) -> str:
        checked = " checked" if self.form.value(name) else ""
        return (f'<div class="field check"><label><input type="checkbox" name="{name}" value="1"{checked} '
                f'aria-describedby="hint-{name}"> {escape(text)}</label><p class="hint" id="hint-{name}">'
                f"{escape(hint)}</p></div>")


def _question(fields: _Fields, q) -> str:
    from ..areas.questions import countries

    if q.builtin == "id_names":
        return "".join(fields.text(f"q_{key}", sentences.question_label(q, key), hint=str(sentences.ID_NAMES_HINT))
                       for key in q.answer_keys)
    key, text = f"q_{q.key}", sentences.question_label(q, q.key)
    if q.builtin == "country":
        return fields.select(key, text, list(countries().items()), _("Choose a country"))
    if q.builtin == "organization_type":
        return fields.select(key, text, [(c, str(ORGANIZATION_TYPE_LABELS[c])) for c in ORGANIZATION_TYPES],
                             _("Choose one"))
    if q.builtin == "gender":
        return fields.select(key, text, [(c, str(GENDER_LABELS[c])) for c in GENDERS], _("Choose one"))
    if q.kind in ("short_text", "long_text"):
        return fields.text(key, text, hint=q.help, long=q.kind == "long_text",
                           max_length=200 if q.kind == "short_text" else 2000)
    if q.kind in ("one_choice", "several_choices"):
        return fields.choices(key, text, [(c, c) for c in q.choices], several=q.kind == "several_choices", hint=q.help)
    if q.kind == "yes_no":
        return fields.choices(key, text, [("yes", str(YES_NO_LABELS[True])), ("no", str(YES_NO_LABELS[False]))],
                              several=False, hint=q.help)
    return ""


def _form(planner, event, language: str, form: Form, browser: str, full: bool) -> str:
    fields = _Fields(form)
    asked = planner.event_questions(event.id)
    parts = [f'<form method="post" action="/e/{event.id}?lang={escape(language)}#register" '
             f'id="register-form" novalidate>', f'<input type="hidden" name="form_key" value="{escape(browser)}">']
    summary = len(parts)
    parts.append(fields.text("name", _("Your name"), autocomplete="name", required=True))
    parts.append(fields.text("email", _("Email"), autocomplete="email", kind="email", required=True,
                             placeholder=_("you@example.org"), max_length=320))
    parts.append(fields.text("organization", _("Organization (optional)"), autocomplete="organization"))
    parts += [_question(fields, q) for q in asked if q.builtin != "needs"]
    needs = next((q for q in asked if q.builtin == "needs"), None)
    if needs is not None:
        parts.append(fields.text(
            "needs", sentences.needs_label(needs.required), placeholder=str(sentences.NEEDS_PLACEHOLDER), long=True,
            max_length=500))
    parts += [fields.checkbox(key, str(text), str(hint)) for key, text, hint in sentences.PRIVACY_CHOICES]
    unpassable = False
    if event.registration_mode == "proof_of_work":
        if ALTCHA_SCRIPT.is_file():
            parts.append(_proof(planner, event, language, fields))
        else:
            unpassable = True
            parts.append(f'<div class="notice warning">{t(sentences.PROOF_UNAVAILABLE)}</div>')
    if event.registration_mode == "email":
        parts.append(f'<p class="caption">{t(sentences.EMAIL_MODE_NOTE)}</p>')
    notice = sentences.privacy_notice(planner.retention_days, any("given_names" in q.answer_keys for q in asked))
    parts.append(f'<p class="caption">{escape(notice)}</p>')
    button = _("Join the waiting list") if full else _("Register")
    parts.append(f'<button type="submit" class="primary"{" disabled" if unpassable else ""}>{escape(button)}</button>')
    parts.append("</form>")
    if fields.error is not None:
        # The refusal, announced and first in the form; beside its field too when it names one.
        text = fields.error if not fields.shown_error else escape(ngettext(
            "Please correct the field marked below.", "Please correct the {count} fields marked below.",
            fields.shown).format(count=format_number(fields.shown)))
        parts.insert(summary, f'<div id="form-errors" class="notice error" role="alert" tabindex="-1">{text}</div>')
    return "".join(parts)


def _proof(planner, event, language: str, fields: _Fields) -> str:
    """The ALTCHA widget with a challenge of this event (solved in the browser; nothing fetched).
    A form refused for another field than the check, after the person had done it, comes back
    with a new challenge that the page solves by itself (``data-again``): they correct the field,
    not tick the box again."""
    challenge = planner.registration_challenge(event.id)
    strings = sentences.proof_strings()
    attrs, message = fields.error_for("proof")  # tied to the widget, as every other field's
    again = " data-again" if fields.form.value("altcha") and not message else ""
    return (f'<div class="field proof"><altcha-widget name="altcha" type="checkbox" display="standard"{attrs}{again} '
            f'data-challenge="{escape(json.dumps(challenge))}" data-strings="{escape(json.dumps(strings))}" '
            f'data-language="{escape(language)}"></altcha-widget>{message}</div>'
            '<script type="module" src="/assets/altcha.min.js"></script>')


def _answered(planner, form: Form, language: str) -> str:
    """The answer the answer cookie kept (``sentences``); with the private link once registered."""
    done = form.answer
    kind, sentence = ("info", sentences.already_registered(form.already)) if form.already is not None else (
        sentences.answer_md(done))
    answer = f'<div id="answer" class="notice {kind}" role="status">{md(sentence)}</div>'
    if form.already is not None or isinstance(done, PendingConfirmation):
        return answer
    link = private_url(planner.base_url, done.manage_token, language)
    ics = f"/r/calendar.ics?t={done.manage_token}"
    keep = md(sentences.private_link_note())
    return (
        f"{answer}"
        f"<p>{keep}</p>"
        f'<div class="copy" data-copy><a id="private-link" class="address" dir="ltr" href="{escape(link)}">'
        f'{escape(link)}</a><button type="button" data-copy-button data-done="{t(TEXT_COPIED)}" '
        f'data-failed="{t(TEXT_SELECT_THE_LINK_AND_COPY_IT_BY_HAND)}" hidden>{t(TEXT_COPY)}</button>'
        '<span data-copy-status role="status" aria-live="polite"></span></div>'
        f'<div class="row"><a class="button primary" href="{escape(link)}">{t(TEXT_OPEN_MY_PRIVATE_PAGE)}</a>'
        f'<a class="button" href="{escape(ics)}" download>{_file_label(str(TEXT_ADD_TO_MY_CALENDAR_ICS))}</a></div>'
    )


def _lost_link(event, language: str, form: Form, browser: str) -> str:
    kind, text = form.link_answer or (None, None)
    opened = " open" if kind else ""
    error = ""
    attrs = ""
    if kind == "field":
        attrs = ' aria-invalid="true" aria-describedby="error-link-email" data-take-focus'
        error = f'<p class="field-error" id="error-link-email">{text}</p>'
    answer = ""  # an answer takes the focus, so a phone shows it, not the top of the form above
    if kind == "sent":
        answer = f'<div id="answer" class="notice info" role="status" tabindex="-1" data-take-focus>{text}</div>'
    elif kind == "refused":
        answer = f'<div id="answer" class="notice error" role="alert" tabindex="-1" data-take-focus>{text}</div>'
    action = f"/e/{event.id}/link?lang={escape(language)}"  # the answer and the email in the page's language
    value = escape(form.value("email")) if kind else ""
    return (
        f'<details class="lost" id="lost"{opened}><summary>{t(TEXT_LOST_YOUR_PRIVATE_LINK)}</summary>'
        f'<p class="caption">{t(TEXT_REGISTERED_ALREADY_TYPE_THE_EMAIL_YOU_RE)}</p>'
        f'<form method="post" action="{action}#lost" novalidate>'
        f'<input type="hidden" name="form_key" value="{escape(browser)}">'
        f'<div class="field"><label for="f-link-email">{t(TEXT_YOUR_EMAIL)}</label>'
        f'<input id="f-link-email" name="email" type="email" autocomplete="email" dir="ltr" value="{value}" '
        f'placeholder="{t(TEXT_YOU_EXAMPLE_ORG)}"{attrs}>{error}</div>'
        f'<button type="submit">{t(TEXT_EMAIL_ME_MY_PRIVATE_LINK)}</button></form>{answer}</details>'
    )


# ---------------------------------------------------------------------- people and sharing


def _people(event) -> str:
    out = []
    if event.public_speakers:
        out.append(f'<h2>{t(TEXT_SPEAKERS)}</h2>')
        for role in ("chair", "moderator", "speaker", "video message"):
            people = [s for s in event.public_speakers if s.role == role]
            if not people:
                continue
            if {s.role for s in event.public_speakers} != {"speaker"}:  # not "Speakers" under "Speakers"
                out.append(f'<h3>{escape(label(SPEAKER_ROLE_HEADINGS, role))}</h3>')
            out.append('<ul class="people">')
            for s in people:
                photo = (f'<img src="/e/{event.id}/picture/{escape(s.photo)}" alt="" width="72" height="72">'
                         if s.photo else "")
                affiliation = f' — <span dir="auto">{escape(s.affiliation)}</span>' if s.affiliation else ""
                bio = f'<p class="caption" dir="auto">{escape(s.bio)}</p>' if s.bio else ""
                out.append(f'<li>{photo}<div><strong dir="auto">{escape(s.name)}</strong>{affiliation}{bio}</div></li>')
            out.append("</ul>")
    if event.public_organizations:
        out.append(f'<h2>{t(TEXT_ORGANIZATIONS)}</h2>')
        for role in ("host", "endorser", "co-sponsor"):
            orgs = event.public_organizations_with_role(role)
            if not orgs:
                continue
            out.append(f'<h3>{escape(label(ORGANIZATION_ROLE_HEADINGS, role))}</h3><ul class="organizations">')
            for o in orgs:
                logo = (f'<img src="/e/{event.id}/picture/{escape(o.logo)}" alt="" height="48">'
                        if o.logo and not o.invited else "")
                if o.invited:
                    # Translators: an organization asked to co-sponsor that has not answered yet, shown as invited.
                    name = escape(_("{name} (invited)").format(name=o.shown_name))
                else:
                    name = escape(o.shown_name)
                out.append(f'<li>{logo}<span dir="auto">{name}</span></li>')
            out.append("</ul>")
    return "".join(out)


def _share(planner, event, language: str) -> str:
    links = planner.share_links(event.id, language)
    services, files = sentences.share_rows(links, event.id, language)

    def row(items) -> str:
        return '<div class="row">' + "".join(
            f'<a class="button" href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(text)}</a>'
            for text, url in items) + "</div>"

    copy = (f'<div class="copy" data-copy><span class="address" dir="ltr">{escape(links["link"])}</span>'
            f'<button type="button" data-copy-button data-text="{escape(links["link"])}" '
            f'data-done="{t(TEXT_LINK_COPIED)}" data-failed="{t(TEXT_SELECT_THE_LINK_AND_COPY_IT_BY_HAND)}" '
            f'hidden>{t(TEXT_COPY_LINK)}</button><span data-copy-status role="status" aria-live="polite"></span></div>')
    return f'<h2>{t(TEXT_SHARE_THIS_EVENT)}</h2>{copy}{row(services)}{row(files)}'
