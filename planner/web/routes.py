"""Plain HTTP routes served beside the Streamlit pages (see app.py): a front end like the
pages, so it lives outside the domain and goes through ``Planner`` only.

Streamlit pages cannot set cookies, so signing in ends here: the sign-in page swaps a
correct password for a single-use code and sends the browser to ``/auth/sign-in``, which
swaps the code for a session cookie (HttpOnly, SameSite=Lax). These routes are GET-only and
guarded by their single-use tokens, since Streamlit's XSRF protection does not cover them.
The one POST, ``/unsubscribe`` (the one-click unsubscribe of RFC 8058), is guarded by the
private link's token in its address and changes one thing only, in one direction.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import access, i18n
from ..config import open_planner, settings_from_env
from ..errors import NotFound, PlannerError, ValidationError
from ..i18n import _
from ..outputs import embed as embed_output
from . import event_page as event_html

SESSION_COOKIE = "planner_session"
SESSION_COOKIE_MAX_AGE = 30 * 24 * 3600  # the server ends idle sessions after 12 hours


def _language(request: Request, cookie: bool = True) -> str:
    """This request's language: ``?lang=``, else the switcher's cookie (unless ``cookie`` is
    False), else the browser's Accept-Language (first supported)."""
    asked = [request.query_params.get("lang", ""), request.cookies.get("planner_lang", "") if cookie else ""]
    for part in request.headers.get("accept-language", "").split(",")[:8]:  # a browser sends a few; never thousands
        code, _sep, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        if code and weight > 0:
            asked.append(code)
    for code in asked:
        supported = i18n.normalize(code)
        if code and (supported != i18n.DEFAULT or code.lower().startswith(i18n.DEFAULT)):
            return i18n.activate(supported)
    return i18n.activate(i18n.DEFAULT)


def safe_next(value: str | None, default: str = "/organize") -> str:
    """Only paths on this site: never "//elsewhere" or "https://elsewhere"."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def sign_in(request: Request) -> Response:
    planner = open_planner()
    token = planner.redeem_sign_in_code(request.query_params.get("code"))
    if token is None:
        return RedirectResponse("/organize?signin=expired", status_code=303)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings_from_env().secure_cookies,
        path="/",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def sign_out(request: Request) -> Response:
    planner = open_planner()
    planner.end_session(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


DOOR_COOKIE = "planner_door"
DOOR_COOKIE_MAX_AGE = 3 * 24 * 3600


def door(request: Request) -> Response:
    """A volunteer opened a door link: remember the pass in a cookie, so that the phone
    camera's own browser tab (opening a ticket's /checkin?code=… URL) is recognised too,
    and take the secret out of the address bar."""
    secret = request.query_params.get("pass")
    door_pass = open_planner().door_pass(secret)
    if door_pass is None:
        return RedirectResponse("/checkin?door=invalid", status_code=303)
    response = RedirectResponse(i18n.in_address("/checkin", i18n.normalize(request.query_params.get("lang"))),
                                status_code=303)
    response.set_cookie(
        DOOR_COOKIE, secret, max_age=DOOR_COOKIE_MAX_AGE, httponly=True, samesite="lax",
        secure=settings_from_env().secure_cookies, path="/",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


LANGUAGE_COOKIE = "planner_lang"  # read by planner/ui/components/language.py
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


def language(request: Request) -> Response:
    """The language switcher's link: remember the choice in a cookie (a preference, not a secret;
    Streamlit pages can read cookies but not set them) and go back to the page, with ``?lang=`` in
    its address so that this first load already speaks it. Only this site's own paths are followed."""
    chosen = i18n.normalize(request.query_params.get("to"))
    back = i18n.in_address(safe_next(request.query_params.get("next"), "/"), chosen)
    response = RedirectResponse(back, status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_MAX_AGE, httponly=True, samesite="lax",
                        secure=settings_from_env().secure_cookies, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------- calendar files
#
# Public .ics files built by planner/outputs/calendar.py, in the request's language: the whole programme and one summit's (to
# subscribe to; "inline" so calendar apps take the URL as a feed) and one event (to add once;
# "attachment" so browsers hand the file to the calendar app). "no-cache" makes browsers and
# proxies ask again each time, so a cancelled or moved event is never served stale.


def _calendar(body: bytes, filename: str, disposition: str = "inline") -> Response:
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "no-cache",
        },
    )


def _path_id(request: Request, name: str) -> int:
    """A whole number from the path; ValueError for anything else ("abc", "1.5", "²", huge)."""
    value = request.path_params[name]
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise ValueError(f"{value!r} is not an id")
    return int(value)


def programme_calendar(request: Request) -> Response:
    _language(request)
    try:  # ?organization= (id, name or slug) narrows it to one organization's events, as /embed does
        body = open_planner().programme_ics(organization=request.query_params.get("organization"))
    except NotFound:
        return PlainTextResponse(_("There is no such organization on the public programme."), status_code=404)
    return _calendar(body, "side-events.ics")


def summit_calendar(request: Request) -> Response:
    _language(request)
    try:
        summit_id = _path_id(request, "summit_id")
        open_planner().get_summit(summit_id)
    except (NotFound, ValueError):
        return PlainTextResponse(_("There is no such summit."), status_code=404)
    try:
        body = open_planner().programme_ics(summit_id, request.query_params.get("organization"))
    except NotFound:
        return PlainTextResponse(_("There is no such organization on the public programme."), status_code=404)
    return _calendar(body, f"summit-{summit_id}.ics")


def event_calendar(request: Request) -> Response:
    _language(request)
    try:
        event_id = _path_id(request, "event_id")
        body = open_planner().event_ics(event_id)
    except (NotFound, ValueError):
        return PlainTextResponse(_("There is no such event."), status_code=404)
    return _calendar(body, f"event-{event_id}.ics", "attachment")


# ---------------------------------------------------------------------- unsubscribe
#
# Reminders and organizers' messages carry ``List-Unsubscribe: <{base_url}/unsubscribe?t=TOKEN>``
# and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 2369, RFC 8058; see
# planner/mail/render.py). The mail app's one-click unsubscribe is a POST of that body to that
# address: it turns the registration's messages off (``Planner.set_messages``). A GET (a person
# following the link, or a link scanner that opens every link of a message) changes nothing: it
# shows a page whose button makes the same POST. Pages are small and self-contained: no script,
# no resource from anywhere (the policy below forbids them), everything from the database and
# the request escaped; the token never shows, and leaves in no Referer.

_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>{title}</title>
<style>
body {{ font: 1.05rem/1.5 system-ui, sans-serif; max-width: 34rem; margin: 2.5rem auto; padding: 0 1rem;
       color: #1f2328; background: #fff; }}
h1 {{ font-size: 1.5rem; line-height: 1.25; }}
button {{ font: inherit; padding: .7rem 1.2rem; border: 0; border-radius: .5rem; background: #c62828;
          color: #fff; cursor: pointer; width: 100%; max-width: 22rem; }}
a {{ color: #0b57d0; }}
</style></head>
<body><h1>{title}</h1>
{body}
</body></html>
"""
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
}


def _html_page(language: str, title: str, paragraphs: list[str], status_code: int = 200) -> HTMLResponse:
    """A small page: ``title`` and ``paragraphs`` are text (escaped here) or, from ``_markup``, HTML."""
    body = "\n".join(p if isinstance(p, _Markup) else f"<p>{escape(p)}</p>" for p in paragraphs)
    return HTMLResponse(_PAGE.format(lang=escape(language), title=escape(title), body=body),
                        status_code=status_code, headers=_PAGE_HEADERS)


class _Markup(str):
    """HTML built here from escaped parts."""


def _private_page_link(token: str, language: str | None) -> _Markup:
    query = {"t": token} | ({"lang": language} if language else {})
    label = _("Open my private page")
    return _Markup(f'<p><a href="/ticket?{escape(urlencode(query))}">{escape(label)}</a></p>')


def _unsubscribe_not_found(language: str) -> HTMLResponse:
    return _html_page(language, _("Link not found"), [
        _("We could not find a registration for this link. Check that you opened the whole link from your email."),
    ], status_code=404)


def _unsubscribe(request: Request, one_click: bool | None) -> Response:
    """The work of ``unsubscribe``, in a worker thread (the database is synchronous).
    ``one_click`` is None for a GET, else whether the POST said ``List-Unsubscribe=One-Click``."""
    language = _language(request)
    asked = request.query_params.get("lang") or None
    token = request.query_params.get("t", "")
    planner = open_planner()
    try:
        registration = planner.registration(token)
        title = planner.get_event(registration.event_id).title
    except (NotFound, ValueError):
        return _unsubscribe_not_found(language)
    back = [_("You can turn them back on at any time on your private page."), _private_page_link(token, asked)]
    if one_click is None:
        if registration.messages_off:
            return _html_page(language, _("Reminders and messages are off"), [
                _("You already get no reminders and no messages from the organizers of “{event}”. Your "
                  "confirmation and any change to the event (its time, its place, a cancellation) are still "
                  "sent.").format(event=title), *back])
        query = {"t": token} | ({"lang": asked} if asked else {})
        label = _("Stop reminders and messages")
        button = _Markup(
            f'<form method="post" action="/unsubscribe?{escape(urlencode(query))}">'
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
            f'<button type="submit">{escape(label)}</button></form>'
        )
        return _html_page(language, _("Stop reminders and messages?"), [
            _("You are registered for “{event}”. Stop the reminders and the messages its organizers send? Your "
              "confirmation and any change to the event (its time, its place, a cancellation) are still "
              "sent.").format(event=title), button, _private_page_link(token, asked)])
    if not one_click:
        return _html_page(language, _("Nothing was changed"), [
            _("This request did not say what to do, so nothing was changed. Use the button on the page of this "
              "link."), _private_page_link(token, asked)], status_code=400)
    try:
        planner.set_messages(token, False)
    except NotFound:  # cancelled in between, or a token gone
        return _unsubscribe_not_found(language)
    except PlannerError as err:  # a failed write: said in words, nothing changed
        return _html_page(language, _("Nothing was changed"), [str(err)], status_code=503)
    return _html_page(language, _("Reminders and messages are off"), [
        _("You get no more reminders and no more messages from the organizers of “{event}”. Your confirmation "
          "and any change to the event (its time, its place, a cancellation) are still sent.").format(event=title),
        *back])


async def unsubscribe(request: Request) -> Response:
    """GET: a page with a button; POST with ``List-Unsubscribe=One-Click``: messages off."""
    one_click = None
    if request.method == "POST":
        try:  # url-encoded or multipart, as RFC 8058 allows; a few short fields, no files
            async with request.form(max_files=0, max_fields=8, max_part_size=1024) as form:
                one_click = form.get("List-Unsubscribe") == "One-Click"
        except Exception:  # a body that is not a form: the request said nothing
            one_click = False
    return await run_in_threadpool(_unsubscribe, request, one_click)


# ---------------------------------------------------------------------- the programme on partners' websites
#
# Issue #14: ``/embed`` (an HTML programme for an iframe on any site) and ``/programme.json`` (the
# same events for partners who build their own page), both narrowed by ``?summit=<id>`` and
# ``?organization=<id, name or slug>``, in the language of ``?lang=`` (else the browser's: the
# switcher's cookie is this site's, and a partner's page chooses its own language). Both are
# public and read-only. They are cached for a short while and revalidated by ETag: the tag is the
# programme's version (``ProgrammeFeed.etag``), so an unchanged programme is answered 304 without
# being rendered, and a changed one never served stale beyond ``max-age``.

FEED_MAX_AGE = 60  # seconds a partner's page (or a proxy) may reuse an answer without asking


def _not_modified(request: Request, etag: str) -> bool:
    """The client's copy (If-None-Match, one tag or several, weak or strong) is this one."""
    asked = request.headers.get("if-none-match", "")
    return asked.strip() == "*" or etag.removeprefix("W/") in {t.strip().removeprefix("W/") for t in asked.split(",")}


def _feed_headers(etag: str) -> dict[str, str]:
    return {"Cache-Control": f"public, max-age={FEED_MAX_AGE}", "ETag": etag, "Vary": "Accept-Language"}


def _feed(request: Request):
    """``(planner, feed, None)`` for the ``ProgrammeFeed`` the query asks for, else
    ``(planner, None, (code, sentence))`` saying why not, in the request's language and without
    repeating what the query said: "no_summit" or "no_public_organization"."""
    planner = open_planner()
    query = request.query_params
    try:
        return planner, planner.programme_feed(query.get("summit") or None, query.get("organization") or None), None
    except NotFound as err:
        if err.code == "no_public_organization":
            return planner, None, (err.code, _("There is no such organization on the public programme."))
        return planner, None, ("no_summit", _("There is no such summit."))


_EMBED_HEADERS = {"Content-Security-Policy": embed_output.CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff"}


def programme_embed(request: Request) -> Response:
    """The compact programme for an iframe: framing allowed to any site (CSP ``frame-ancestors *``,
    no X-Frame-Options), its own CSS, one script allowed by hash (its height, for the snippet)."""
    language = _language(request, cookie=False)
    planner, feed, refused = _feed(request)
    if refused:
        return HTMLResponse(embed_output.not_found(language, refused[1]), status_code=404,
                            headers={**_EMBED_HEADERS, "Cache-Control": "no-cache"})
    headers = {**_feed_headers(feed.etag), **_EMBED_HEADERS}
    if _not_modified(request, feed.etag):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(planner.programme_embed(feed), headers=headers)


_CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}


def programme_json(request: Request) -> Response:
    """The JSON feed: open to every site's scripts for reading (CORS ``*``; GET only, no cookie read)."""
    _language(request, cookie=False)
    planner, feed, refused = _feed(request)
    if refused:
        body = json.dumps({"error": {"code": refused[0], "message": refused[1]}}, ensure_ascii=False)
        return Response(body.encode("utf-8"), status_code=404, media_type="application/json",
                        headers={**_CORS, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
    headers = {**_feed_headers(feed.etag), **_CORS}
    if _not_modified(request, feed.etag):
        return Response(status_code=304, headers=headers)
    return Response(planner.programme_json(feed), media_type="application/json", headers=headers)


# ---------------------------------------------------------------------- sharing an event (issue #15)
#
# /e/<id> is the short address people paste into chats and posts, and the public event page
# itself (plain HTML with the registration form, event_page.py, issue #17): its Open Graph and
# Twitter card tags give link previews the event's title, day and time in the venue's zone,
# place and host, and its 1200×630 card.
# The card and the posters are drawn by planner/outputs/poster.py once per version of what they
# show; their ETag says which, so a preview robot or a browser asking again gets a 304.


async def event_page(request: Request) -> Response:
    """``/e/<id>``: the public event page as plain HTML, its link preview tags included (issue #17,
    ``event_page.py``); a plain 404 for drafts and unknown ids.

    Drawn on the server's event loop, not in its thread pool: a warm page is a few reads from
    SQLite's WAL (which never wait for a writer) and 0.3 ms of string joining, and the trip to
    a worker thread and back cost more than that under a rush (measured: one process served
    about 45% more journeys a second without it). A new version of the event is drawn once,
    in 1-9 ms. The form's POST still goes to the pool: a write may wait for its turn."""
    return event_html.page(request, _language(request))


async def event_register(request: Request) -> Response:
    """The event page's registration form (POST ``/e/<id>``)."""
    return await event_html.register(request, _language(request))


async def event_lost_link(request: Request) -> Response:
    """The event page's "Email me my private link" (POST ``/e/<id>/link``)."""
    return await event_html.lost_link(request, _language(request))


def event_lost_link_opened(request: Request) -> Response:
    """GET ``/e/<id>/link``: the address a refused "Email me my private link" leaves in the
    address bar, opened again (a reload, a bookmark): the event page, at that form."""
    return event_html.back_to_page(request, _language(request), "lost")


def event_nothing_here(request: Request) -> Response:
    """GET of any other address under ``/e/<id>/``: the plain 404 (not Streamlit's page, whose
    files a nested address cannot find, which left a blank screen); ``/e/<id>/`` (a slash a
    website or a link shortener added) is the event page."""
    if not request.path_params.get("rest"):
        return event_html.back_to_page(request, _language(request), "")
    return event_html.no_such_event()


def registration_calendar(request: Request) -> Response:
    """``/r/calendar.ics?t=<private link token>``: the registration's calendar file (its private
    link in it), the event page's *Add to my calendar* right after registering."""
    _language(request)
    try:
        body = open_planner().registration_ics(request.query_params.get("t", ""))
    except (NotFound, ValidationError):
        return PlainTextResponse(_("There is no such registration."), status_code=404)
    response = _calendar(body, "side-event.ics", "attachment")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _shared_file(request: Request, kind: str, media_type: str, filename: str) -> Response:
    language = _language(request)
    event_id = event_html.event_id_of(request)
    if event_id is None:
        return event_html.no_such_event()
    theme = request.query_params.get("theme") or None
    planner = open_planner()
    try:
        tag = planner.share_file_tag(event_id, kind, theme, language, actor=access.PUBLIC)
        if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "public, max-age=300"})
        if kind in ("a4", "letter"):
            body = planner.poster_pdf(event_id, kind, theme, language, actor=access.PUBLIC)
        else:
            body = planner.social_card_png(event_id, kind, theme, language, actor=access.PUBLIC)
    except NotFound:
        return event_html.no_such_event()
    except ValidationError as err:
        return PlainTextResponse(str(err), status_code=400)
    return Response(body, media_type=media_type, headers={
        "ETag": tag, "Cache-Control": "public, max-age=300",
        "Content-Disposition": f'inline; filename="{filename}"',
    })


def event_card(request: Request) -> Response:
    """``/e/<id>/card.png?size=1200x630|1080x1080&theme=&lang=``: the social card of a public event."""
    size = request.query_params.get("size") or "1200x630"
    if size not in ("1200x630", "1080x1080"):
        return PlainTextResponse(_("Choose the size 1200x630 or 1080x1080."), status_code=400)
    return _shared_file(request, size, "image/png", f"event-{request.path_params['event_id']}-{size}.png")


def event_poster(request: Request) -> Response:
    """``/e/<id>/poster.pdf?paper=a4|letter&theme=&lang=``: the poster of a public event."""
    paper = request.query_params.get("paper") or "a4"
    if paper not in ("a4", "letter"):
        return PlainTextResponse(_("Choose the paper a4 or letter."), status_code=400)
    return _shared_file(request, paper, "application/pdf", f"event-{request.path_params['event_id']}-{paper}.pdf")


routes = [
    Route("/auth/sign-in", sign_in, methods=["GET"]),
    Route("/auth/sign-out", sign_out, methods=["GET"]),
    Route("/auth/door", door, methods=["GET"]),
    Route("/language", language, methods=["GET"]),
    Route("/calendar.ics", programme_calendar, methods=["GET"]),
    Route("/calendar/{summit_id}.ics", summit_calendar, methods=["GET"]),
    Route("/events/{event_id}.ics", event_calendar, methods=["GET"]),
    Route("/unsubscribe", unsubscribe, methods=["GET", "POST"]),
    Route("/embed", programme_embed, methods=["GET"]),
    Route("/programme.json", programme_json, methods=["GET"]),
    Route("/e/{event_id}", event_page, methods=["GET"]),
    Route("/e/{event_id}", event_register, methods=["POST"]),
    Route("/e/{event_id}/link", event_lost_link, methods=["POST"]),
    Route("/e/{event_id}/picture/{name}", event_html.picture, methods=["GET"]),
    Route("/assets/{name}", event_html.asset, methods=["GET"]),
    Route("/r/calendar.ics", registration_calendar, methods=["GET"]),
    Route("/e/{event_id}/card.png", event_card, methods=["GET"]),
    Route("/e/{event_id}/poster.pdf", event_poster, methods=["GET"]),
    Route("/e/{event_id}/link", event_lost_link_opened, methods=["GET"]),
    Route("/e/{event_id}/{rest:path}", event_nothing_here, methods=["GET"]),
]
