"""Plain HTTP routes served beside the Streamlit pages (see app.py): a front end like the
pages, so it lives outside the domain and goes through ``Planner`` only.

Streamlit pages cannot set cookies, so signing in ends here: the sign-in page swaps a
correct password for a single-use code and sends the browser to ``/auth/sign-in``, which
swaps the code for a session cookie (HttpOnly, SameSite=Lax). These routes are GET-only and
guarded by their single-use tokens, since Streamlit's XSRF protection does not cover them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import i18n
from ..config import open_planner, settings_from_env
from ..errors import NotFound
from ..i18n import _

SESSION_COOKIE = "planner_session"
SESSION_COOKIE_MAX_AGE = 30 * 24 * 3600  # the server ends idle sessions after 12 hours


def _language(request: Request) -> str:
    """This request's language: ``?lang=``, else the browser's Accept-Language (first supported)."""
    asked = [request.query_params.get("lang", "")]
    for part in request.headers.get("accept-language", "").split(","):
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
    response = RedirectResponse("/checkin", status_code=303)
    response.set_cookie(
        DOOR_COOKIE, secret, max_age=DOOR_COOKIE_MAX_AGE, httponly=True, samesite="lax",
        secure=settings_from_env().secure_cookies, path="/",
    )
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
    return _calendar(open_planner().programme_ics(), "side-events.ics")


def summit_calendar(request: Request) -> Response:
    _language(request)
    try:
        summit_id = _path_id(request, "summit_id")
        body = open_planner().programme_ics(summit_id)
    except (NotFound, ValueError):
        return PlainTextResponse(_("There is no such summit."), status_code=404)
    return _calendar(body, f"summit-{summit_id}.ics")


def event_calendar(request: Request) -> Response:
    _language(request)
    try:
        event_id = _path_id(request, "event_id")
        body = open_planner().event_ics(event_id)
    except (NotFound, ValueError):
        return PlainTextResponse(_("There is no such event."), status_code=404)
    return _calendar(body, f"event-{event_id}.ics", "attachment")


routes = [
    Route("/auth/sign-in", sign_in, methods=["GET"]),
    Route("/auth/sign-out", sign_out, methods=["GET"]),
    Route("/auth/door", door, methods=["GET"]),
    Route("/calendar.ics", programme_calendar, methods=["GET"]),
    Route("/calendar/{summit_id}.ics", summit_calendar, methods=["GET"]),
    Route("/events/{event_id}.ics", event_calendar, methods=["GET"]),
]
