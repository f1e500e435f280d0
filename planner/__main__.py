"""``python -m planner backup PATH`` and ``python -m planner restore PATH``: the database named by
``PLANNER_DB`` (see README, "Backups and restore", and ``planner/backups.py``);
``python -m planner serve --processes N``: the app on N processes behind HAProxy (README,
"Serving a rush on all cores", and ``planner/serve.py``).

``backup`` may run while the app serves: it writes a consistent snapshot to PATH and the
check-in key to PATH.checkin.key (given a folder, a file named by the time inside it).
``restore`` needs the app stopped: it checks the backup, keeps the database it replaces, and
refuses while another process has the database open."""

from __future__ import annotations

import argparse
import sys

from .errors import PlannerError


def main(argv: list[str] | None = None) -> int:
    from .config import settings_from_env

    parser = argparse.ArgumentParser(prog="python -m planner", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("backup", help="write a snapshot of the database and its check-in key")
    backup.add_argument("path", help="the backup file to write (PATH.checkin.key is written beside it), or a folder")
    restore = commands.add_parser("restore", help="replace the database with a backup (stop the app first)")
    restore.add_argument("path", help="the backup file (its PATH.checkin.key beside it)")
    restore.add_argument("--without-key", action="store_true",
                         help="restore without the check-in key: tickets and private links made before stop working")
    serve = commands.add_parser("serve", help="run N app processes behind HAProxy on one address (stop with Ctrl-C)")
    serve.add_argument("--processes", type=int, default=None, help="how many app processes (default: one per core)")
    serve.add_argument("--address", default="0.0.0.0", help="the address HAProxy listens on (default 0.0.0.0)")
    serve.add_argument("--port", type=int, default=8501, help="the port HAProxy listens on (default 8501)")
    serve.add_argument("--log-dir", default=None, help="write each process's output to a file there (app1.log…)")
    serve.add_argument("--no-pin", action="store_true",
                       help="leave the processes free to run on any core (default: each held to a core of its own)")
    serve.add_argument("streamlit_flags", nargs=argparse.REMAINDER,
                       help="after --: more `streamlit run` flags for every process, e.g. -- --server.maxUploadSize=5")
    args = parser.parse_args(argv)
    if args.command == "serve":
        from pathlib import Path

        from .serve import default_processes, run

        flags = [f for f in args.streamlit_flags if f != "--"]
        return run(args.processes or default_processes(), args.address, args.port, flags,
                   Path(args.log_dir) if args.log_dir else None, pin=not args.no_pin)
    try:
        settings = settings_from_env()
        if args.command == "backup":
            return _backup(settings, args.path)
        return _restore(settings, args.path, without_key=args.without_key)
    except PlannerError as err:
        print(str(err), file=sys.stderr)
        return 2


def _backup(settings, path: str) -> int:
    from .planner import Planner

    if not settings.db_path.exists() or settings.db_path.stat().st_size == 0:
        print(f"There is no database at {settings.db_path} (PLANNER_DB) to back up.", file=sys.stderr)
        return 2
    planner = Planner(settings.db_path, base_url=settings.base_url, contact_email=settings.contact_email)
    done = planner.backup(path)
    print(f"Backed up {planner.path} to {done.database}, with its check-in key in {done.key}.")
    print("Keep the two together: without the key no ticket can be checked in and no private link works.")
    return 0


def _restore(settings, path: str, *, without_key: bool) -> int:
    from .backups import restore

    done = restore(path, settings.db_path, without_key=without_key)
    print(f"Restored {done.database} from {path} (schema version {done.schema_version}).")
    if done.replaced is not None:
        print(f"The database it replaced is kept as {done.replaced}.")
    if done.key_replaced is not None:
        print(f"The check-in key it replaced is kept as {done.key_replaced}.")
    if not done.key_restored:
        print("Restored WITHOUT its check-in key: tickets and private links made before will not work.")
    print("Start the app again.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
