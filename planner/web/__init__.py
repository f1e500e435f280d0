"""The plain HTTP front end beside the Streamlit pages: sign-in and door cookies, calendar feeds."""

from .routes import DOOR_COOKIE, SESSION_COOKIE, routes, safe_next

__all__ = ["routes", "safe_next", "SESSION_COOKIE", "DOOR_COOKIE"]
