"""The command line: python -m core users create|unlock|set-password | ingest | accounts list|show | report
| storage sweep."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from core import cli_accounts
from core.models import FileStatus

EXIT_REJECTED = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="Social Analytics without the UI.")
    sub = parser.add_subparsers(dest="command", required=True)

    users = sub.add_parser("users", help="manage accounts").add_subparsers(dest="action", required=True)
    create = users.add_parser("create", help="create an account")
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--name", default="")
    create.add_argument("--role", choices=["admin", "user"], default="user")
    unlock = users.add_parser("unlock", help="lift an account's sign-in lock now")
    unlock.add_argument("email")
    set_password = users.add_parser(
        "set-password",
        help="give an account a new password, read from a prompt (or the first line of standard input); "
        "this ends its sessions and lifts any lock",
    )
    set_password.add_argument("email")

    ingest = sub.add_parser("ingest", help="upload a file and process it now")
    ingest.add_argument("path", type=Path)
    ingest.add_argument("--user", dest="email", help="owner's email (default: the command-line user)")
    ingest.add_argument("--platform", default="auto")
    ingest.add_argument("--period-days", type=int, default=None)
    ingest.add_argument("--account", help="account name or id (a new name creates it)")
    ingest.add_argument("--brand", help="put the file's account into this brand (created when missing)")
    ingest.add_argument("--delimiter", help="the field delimiter: , ; tab or | (default: detected)")
    ingest.add_argument("--decimal", choices=[",", "."], help="the decimal mark (default: detected)")
    ingest.add_argument("--encoding", help="utf-8, utf-16, cp1251, cp1252 or koi8-r (default: detected)")
    ingest.add_argument("--date-order", choices=["dmy", "mdy", "ymd"], help="default: detected")
    ingest.add_argument("--json", action="store_true", help="print one JSON object")

    cli_accounts.add_parsers(sub)
    report = sub.add_parser("report", help="write a PDF or CSV report of a file, an account or a brand")
    report.add_argument("file_id", nargs="?")
    report.add_argument("--account")
    report.add_argument("--brand")
    cli_accounts.add_range(report)
    report.add_argument("--format", choices=["pdf", "csv"], required=True)
    report.add_argument("--out", type=Path)
    report.add_argument("--lang", choices=["en", "ru"], default="en", help="the report's language")
    report.add_argument(
        "--email", dest="mail_to", action="append", help="also send the report to this address (repeatable)"
    )
    storage = sub.add_parser("storage", help="the stored uploads and reports")
    sweep = storage.add_subparsers(dest="action", required=True).add_parser(
        "sweep", help="delete the stored objects no file or report names (left by a crash)"
    )
    sweep.add_argument("--grace-hours", type=float, default=None, help="spare younger ones (default: 6)")
    return parser


def _storage(args) -> int:
    from datetime import timedelta

    from core import store_sweep

    grace = store_sweep.GRACE if args.grace_hours is None else timedelta(hours=args.grace_hours)
    removed = store_sweep.sweep_orphans(grace=grace)
    print(f"deleted {len(removed)} object(s) no row names", *removed, sep="\n")
    return 0


def _users_create(args) -> int:
    from core import users
    from core.db import session_scope

    try:
        with session_scope() as session:
            user = users.create_user(
                session, email=args.email, password=args.password, name=args.name, role=args.role
            )
            print(f"created {user.role} {user.email} (id {user.id})")
    except users.UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    return 0


def _read_new_password() -> str:
    """Typed twice at a prompt, or the first line of standard input (never an argument: ps shows those)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise ValueError("The two passwords differ.")
    return first


def _users_change(args) -> int:
    """unlock | set-password EMAIL: the way back in for anyone, an administrator included."""
    from core import lockout, users
    from core.db import session_scope

    try:
        password = _read_new_password() if args.action == "set-password" else None
        with session_scope() as session:
            user = users.get_user_by_email(session, email=args.email)
            if user is None:
                raise users.UserError(f"No account has the email {args.email}.")
            if password is None:
                lockout.clear(session, user)
                print(f"unlocked {user.email}")
            else:
                users.set_password(session, user=user, password=password)
                print(f"new password set for {user.email}; its sessions have ended")
    except (users.UserError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    return 0


def _users(args) -> int:
    return _users_create(args) if args.action == "create" else _users_change(args)


def _ingest(args) -> int:
    from core import cli_ingest, uploads

    if not args.path.is_file():
        print(f"error: no such file: {args.path}", file=sys.stderr)
        return EXIT_REJECTED
    from core.parsing import ReadOptions

    try:
        options = ReadOptions.from_dict(
            {"delimiter": args.delimiter, "decimal": args.decimal, "encoding": args.encoding}
            | {"date_order": args.date_order}
        )
        result = cli_ingest.ingest_path(
            args.path,
            email=args.email,
            platform=args.platform,
            period_days=args.period_days,
            account=args.account,
            brand=args.brand,
            options=options,
        )
    except uploads.DuplicateUpload as exc:
        result = cli_accounts.duplicate_result(exc)
    except Exception as exc:  # rejected before processing (size, unknown user): same shape as a rejection
        result = {"status": FileStatus.ERROR, "error": str(exc)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif result["status"] in (FileStatus.ERROR, "duplicate"):
        print(f"rejected: {result['error']}")
    else:
        print(
            f"{result['status']}: {result['rows']} rows, platform {result['platform']}, file {result['file_id']}"
        )
        for code, value in result["metrics"].items():
            print(f"  {code:<20} {value}")
    if result["status"] == "duplicate":
        return cli_accounts.EXIT_DUPLICATE
    return EXIT_REJECTED if result["status"] == FileStatus.ERROR else 0


def _report(args) -> int:
    """Write the report in --lang; with --email, send it too (written to a scratch directory without --out)."""
    import tempfile

    from core.i18n import use_language

    with use_language(args.lang), tempfile.TemporaryDirectory() as scratch:
        if args.account or args.brand:  # written and/or sent in core (cli_accounts.scope_report)
            return _write_report(args)
        if args.mail_to and not args.out:
            args.out = Path(scratch)
        code = _write_report(args)
        if code or not args.mail_to:
            return code
        from core.mail import MailError
        from core.reports.mailing import mail_reports, title_of

        path = (
            max(Path(args.out).glob("*"), key=lambda p: p.stat().st_mtime)
            if Path(args.out).is_dir()
            else args.out
        )
        try:
            mail_reports(to=args.mail_to, paths=[Path(path)], title=title_of(Path(path)))
        except MailError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_REJECTED
        print(f"sent to {', '.join(args.mail_to)}")
        return 0


def _write_report(args) -> int:
    from core import files, reports

    if args.account or args.brand:
        return cli_accounts.scope_report(args)
    if not args.file_id or not args.out:
        print("error: give a FILE_ID and --out, or --account/--brand", file=sys.stderr)
        return EXIT_REJECTED
    try:
        path = reports.cli_report(args.file_id, args.format, args.out)
    except files.FileNotFound:
        print(f"error: no file with the id {args.file_id}", file=sys.stderr)
        return EXIT_REJECTED
    except reports.ReportUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(str(path))
    return 0


def main(argv: list[str] | None = None) -> int:
    from core.db import migrate

    args = _parser().parse_args(argv)
    migrate()
    handlers = {"users": _users, "ingest": _ingest, "report": _report, "storage": _storage}
    handler = handlers.get(args.command, cli_accounts.accounts_command)
    return handler(args)
