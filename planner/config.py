"""Settings from environment variables, and the first start of a new database.

| variable               | default                  | meaning                                  |
|------------------------|--------------------------|------------------------------------------|
| PLANNER_DB             | data/planner.db          | the SQLite file                          |
| PLANNER_BASE_URL       | http://localhost:8501    | the public address, used in links        |
| PLANNER_DEMO           | on                       | seed the demo events into an empty db    |
| PLANNER_ADMIN_EMAIL    | (none)                   | the first admin's email                  |
| PLANNER_ADMIN_PASSWORD | (none)                   | the first admin's password               |
| PLANNER_CONTACT_EMAIL  | events@example.org       | ORGANIZER address in calendar files      |
| PLANNER_TRUSTED_PROXY  | (none)                   | header a trusted proxy appends client addresses to |
| PLANNER_REGISTRATIONS_PER_SESSION | 5             | registrations a minute per browser session |
| PLANNER_REGISTRATIONS_PER_ADDRESS | 60            | registrations a minute per client address |
| PLANNER_REGISTRATIONS_PER_EVENT   | 600           | registrations a minute per event         |
| PLANNER_RETENTION_DAYS | 180                      | days after an event ends before its registrations are anonymized |
| PLANNER_MAIL_SENDER    | app                      | "app": send from the server process; "separate": run python -m planner.mail |
| PLANNER_SMTP_HOST      | (none)                   | the mail server; unset: no email is sent |
| PLANNER_SMTP_PORT      | 587 / 465 / 25           | its port (by security: starttls/ssl/none) |
| PLANNER_SMTP_SECURITY  | starttls                 | starttls, ssl or none                    |
| PLANNER_SMTP_USER      | (none)                   | sign-in name (with the password)         |
| PLANNER_SMTP_PASSWORD  | (none)                   | sign-in password (never in clear text to another machine) |
| PLANNER_SMTP_FROM      | (required with the host) | sender: events@example.org or Name <events@example.org> |
| PLANNER_SMTP_REPLY_TO  | (none)                   | Reply-To address for the messages        |
| PLANNER_SMTP_TIMEOUT   | 30                       | seconds to wait for the mail server      |

The PLANNER_SMTP_* variables are read by ``planner.mail.transport.smtp_settings_from_env``.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import security
from .files import PASSWORD_FILE_NAME, setup_lock
from .errors import ConfigurationError
from .ratelimit import RegistrationLimits
from .validate import base_url as check_base_url
from .i18n import _
from .planner import Planner

DEFAULT_ADMIN_EMAIL = "admin@example.org"


@dataclass(frozen=True)
class Settings:
    db_path: Path
    base_url: str
    demo: bool
    admin_email: str | None
    admin_password: str | None
    contact_email: str = "events@example.org"
    trusted_proxy: str | None = None  # a header name, lower case; None: trust no forwarded header
    registration_limits: RegistrationLimits = field(default_factory=RegistrationLimits)
    smtp: object | None = None  # mail.transport.SmtpSettings; None: messages wait in the outbox
    mail_sender: str = "app"  # "app": a sender thread in the server process; "separate": python -m planner.mail
    retention_days: int = 180  # registrations of events that ended longer ago are anonymized (face/care.py)

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.lower().startswith("https://")


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "off", "no", "false")


HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")  # an HTTP header name (RFC 9110 token)


def _count(env, name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigurationError("setting_not_a_count", name=name, value=raw)
    return int(raw)


def _trusted_proxy(value: str | None) -> str | None:
    """PLANNER_TRUSTED_PROXY: the header a trusted proxy appends the client's address to."""
    value = (value or "").strip()
    if not value:
        return None
    if not HEADER_NAME.fullmatch(value):
        raise ConfigurationError("trusted_proxy_invalid", value=value)
    return value.lower()


def _mail_sender(value: str | None) -> str:
    value = (value or "").strip().lower() or "app"
    if value not in ("app", "separate"):
        raise ConfigurationError("mail_sender_invalid", value=value)
    return value


def settings_from_env(env=os.environ) -> Settings:
    from .mail.transport import smtp_settings_from_env

    return Settings(
        db_path=Path(env.get("PLANNER_DB") or "data/planner.db"),
        # Checked and normalized here, so links, cookies and the Planner all use one value.
        base_url=check_base_url(env.get("PLANNER_BASE_URL") or "http://localhost:8501", "PLANNER_BASE_URL"),
        demo=_flag(env.get("PLANNER_DEMO"), True),
        admin_email=(env.get("PLANNER_ADMIN_EMAIL") or "").strip() or None,
        admin_password=env.get("PLANNER_ADMIN_PASSWORD") or None,
        contact_email=(env.get("PLANNER_CONTACT_EMAIL") or "").strip() or "events@example.org",
        trusted_proxy=_trusted_proxy(env.get("PLANNER_TRUSTED_PROXY")),
        registration_limits=RegistrationLimits(
            per_session=_count(env, "PLANNER_REGISTRATIONS_PER_SESSION", RegistrationLimits.per_session),
            per_address=_count(env, "PLANNER_REGISTRATIONS_PER_ADDRESS", RegistrationLimits.per_address),
            per_event=_count(env, "PLANNER_REGISTRATIONS_PER_EVENT", RegistrationLimits.per_event),
        ),
        smtp=smtp_settings_from_env(env),
        mail_sender=_mail_sender(env.get("PLANNER_MAIL_SENDER")),
        retention_days=_count(env, "PLANNER_RETENTION_DAYS", 180),
    )


def ensure_admin(planner: Planner, settings: Settings) -> str | None:
    """Make sure the database has an admin; say (once) how to sign in as the new one.

    With PLANNER_ADMIN_EMAIL and PLANNER_ADMIN_PASSWORD, that account is created. Without,
    a random password is written to a file under the database's folder, readable only by
    its owner, and the returned message says where.
    """
    if planner.has_admin():
        return None
    if settings.admin_email and settings.admin_password:
        planner.add_user(email=settings.admin_email, name="Administrator", password=settings.admin_password, role="admin")
        return _("Created the admin account {email} (password from PLANNER_ADMIN_PASSWORD).").format(
            email=settings.admin_email
        )
    email = settings.admin_email or DEFAULT_ADMIN_EMAIL
    password = security.new_password()
    planner.add_user(email=email, name="Administrator", password=password, role="admin")
    path = planner.path.parent / PASSWORD_FILE_NAME
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"email: {email}\npassword: {password}\n")
    os.chmod(path, 0o600)
    return _("Created the admin account {email}; its password is in {path} (readable only by you).").format(
        email=email, path=path
    )


_planners: dict[Path, Planner] = {}
_by_setting: dict[tuple[str, str], Planner] = {}
_lock = threading.Lock()


def open_planner(settings: Settings | None = None, *, start_sender: bool = True) -> Planner:
    """The process's Planner for the configured database, set up on first use: schema,
    first admin, and demo events when the database is empty and PLANNER_DEMO is on, under the
    database's set-up lock, so two processes starting together do it once. With a mail
    server set and PLANNER_MAIL_SENDER=app (the default), the process's mail sender starts
    with it (``mail/sender.py``); so does the daily retention run (``face/care.py``), unless
    ``start_sender`` is False (scripts)."""
    settings = settings or settings_from_env()
    # Every page run asks for the planner: skip resolving the path (file-system calls) when
    # this exact setting was seen before from this working directory.
    seen = (str(settings.db_path), os.getcwd())
    planner = _by_setting.get(seen)
    if planner is not None:
        return planner
    key = settings.db_path.resolve()
    with _lock:
        planner = _planners.get(key)
        if planner is None:
            # Another process may be starting on the same new database: one sets it up, the
            # other waits here and finds the admin and the demo there (issue #9).
            with setup_lock(settings.db_path):
                planner = Planner(settings.db_path, base_url=settings.base_url, contact_email=settings.contact_email,
                                  registration_limits=settings.registration_limits, smtp=settings.smtp,
                                  retention_days=settings.retention_days)
                message = ensure_admin(planner, settings)
                if message:
                    print(message, flush=True)
                if settings.demo:
                    from .demo import seed_demo

                    seed_demo(planner)
            _planners[key] = planner
            if start_sender and settings.mail_sender == "app":
                from .mail.sender import start_in_process

                start_in_process(planner)
            if start_sender:  # the daily anonymization of old registrations (once a day across processes)
                from .face.care import start_retention

                start_retention(planner)
        _by_setting[seen] = planner
    return planner
