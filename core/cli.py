"""The command line: python -m core users create | ingest | accounts list|show | report."""

from __future__ import annotations

import argparse
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

    ingest = sub.add_parser("ingest", help="upload a file and process it now")
    ingest.add_argument("path", type=Path)
    ingest.add_argument("--user", dest="email", help="owner's email (default: the command-line user)")
    ingest.add_argument("--platform", default="auto")
    ingest.add_argument("--period-days", type=int, default=None)
    ingest.add_argument("--account", help="account name or id (a new name creates it)")
    ingest.add_argument("--brand", help="put the file's account into this brand (created when missing)")
    ingest.add_argument("--json", action="store_true", help="print one JSON object")

    cli_accounts.add_parsers(sub)
    report = sub.add_parser("report", help="write a PDF or CSV report of a file, an account or a brand")
    report.add_argument("file_id", nargs="?")
    report.add_argument("--account")
    report.add_argument("--brand")
    cli_accounts.add_range(report)
    report.add_argument("--format", choices=["pdf", "csv"], required=True)
    report.add_argument("--out", type=Path)
    return parser


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


def _ingest(args) -> int:
    from core import files, pipeline

    if not args.path.is_file():
        print(f"error: no such file: {args.path}", file=sys.stderr)
        return EXIT_REJECTED
    try:
        result = pipeline.ingest_path(
            args.path,
            email=args.email,
            platform=args.platform,
            period_days=args.period_days,
            account=args.account,
            brand=args.brand,
        )
    except files.DuplicateUpload as exc:
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
    handlers = {"users": _users_create, "ingest": _ingest, "report": _report}
    handler = handlers.get(args.command, cli_accounts.accounts_command)
    return handler(args)
