"""The sender: delivers the outbox through SMTP, beside the app or apart from it.

In the server process (the default when ``PLANNER_SMTP_HOST`` is set) one daemon thread per
Planner runs ``Planner.deliver_outbox`` in a loop: it wakes when a change has written
messages (``Planner.outbox_wakeup``, set after the change commits) or every ``interval``
seconds for retries and reminders, so page runs never wait for the mail server. Deployments
that want it apart set ``PLANNER_MAIL_SENDER=separate`` and run ``python -m planner.mail``
(same settings, same database). Several senders at once are safe: each message is claimed
by one (``areas/outbox.claim``); a sender that stops mid-batch leaves claims that lapse
after five minutes and are taken again.

The SMTP connection is kept between passes and opened again when the server closed it; a
server that is down makes each message wait with growing delays (``transport.retry_delay``),
and the loop itself never stops on an error: it logs it and tries again after ``interval``.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)
INTERVAL = 10.0  # seconds between passes when nothing wakes the sender
_started: dict[int, "BackgroundSender"] = {}
_lock = threading.Lock()


class BackgroundSender:
    """Runs ``planner.deliver_outbox`` until ``stop()``."""

    def __init__(self, planner, *, interval: float = INTERVAL, transport=None):
        from .transport import SmtpTransport

        self.planner = planner
        self.interval = interval
        self.transport = transport or SmtpTransport(planner.smtp)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self.run, name="planner-mail-sender", daemon=True)
        self.passes = 0

    def start(self) -> "BackgroundSender":
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self.planner.outbox_wakeup.set()
        self._thread.join(timeout)
        self.transport.close()

    def run(self) -> None:
        while not self._stopping.is_set():
            self.planner.outbox_wakeup.clear()
            try:
                done = self.planner.deliver_outbox(transport=self.transport)
                if any(done.values()):
                    log.info("outbox: %s", done)
            except Exception:  # the loop outlives a full disk, a bug in one pass, anything
                log.exception("the mail sender's pass failed; trying again in %s s", self.interval)
            self.passes += 1
            self.planner.outbox_wakeup.wait(self.interval)


def start_in_process(planner, *, interval: float = INTERVAL) -> BackgroundSender | None:
    """The one background sender of this Planner (started on first call), or None without SMTP."""
    if planner.smtp is None:
        return None
    with _lock:
        sender = _started.get(id(planner))
        if sender is None:
            sender = _started[id(planner)] = BackgroundSender(planner, interval=interval).start()
        return sender


def main(argv: list[str] | None = None) -> int:
    """``python -m planner.mail [--once]``: deliver the outbox of ``PLANNER_DB`` with the
    ``PLANNER_SMTP_*`` settings, until stopped (Ctrl-C), or one pass with ``--once``."""
    import argparse

    from ..config import open_planner, settings_from_env
    from ..errors import PlannerError

    parser = argparse.ArgumentParser(prog="python -m planner.mail", description=main.__doc__)
    parser.add_argument("--once", action="store_true", help="deliver what is due once, then stop")
    parser.add_argument("--interval", type=float, default=INTERVAL, help="seconds between passes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        settings = settings_from_env()
        if settings.smtp is None:
            print("PLANNER_SMTP_HOST is not set: there is no mail server to deliver to (see README, Email).")
            return 2
        planner = open_planner(settings, start_sender=False)
        if args.once:
            print(planner.deliver_outbox())
            return 0
        sender = BackgroundSender(planner, interval=args.interval)
        print(f"Delivering the outbox of {planner.path} through {settings.smtp.host}:{settings.smtp.port}"
              " (Ctrl-C stops).", flush=True)
        try:
            sender.run()
        except KeyboardInterrupt:
            pass
        finally:
            sender.transport.close()
        return 0
    except PlannerError as err:
        print(str(err))
        return 2
