"""The command line's accounts and brands: `accounts list|show`, `ingest --account/--brand`, `report --account/--brand`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

EXIT_REJECTED = 2
EXIT_DUPLICATE = 3


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from exc


def add_range(parser: argparse.ArgumentParser) -> None:
    """--from/--to or --period-days, as `accounts show` and `report` take them."""
    parser.add_argument("--user", dest="email", help="owner's email (default: the command-line user)")
    parser.add_argument("--from", dest="start", type=_day)
    parser.add_argument("--to", dest="end", type=_day)
    parser.add_argument("--period-days", type=int, default=None)


def add_parsers(sub) -> None:
    """The `accounts` command and its actions."""
    accounts = sub.add_parser("accounts", help="accounts and their merged timelines")
    actions = accounts.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="the user's accounts")
    listing.add_argument("--user", dest="email")
    listing.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="one account: its files, merged rows and metrics")
    show.add_argument("ref", metavar="NAME|ID")
    add_range(show)
    show.add_argument("--json", action="store_true")


def _actor(session, email: str | None):
    from core.cli_ingest import command_line_user

    return command_line_user(session, email=email)


def accounts_command(args) -> int:
    from core import accounts
    from core.accounts import summary
    from core.db import session_scope

    try:
        with session_scope() as session:
            actor = _actor(session, args.email)
            if args.action == "list":
                out = summary.overview(session, actor=actor)
            else:
                out = summary.describe(
                    session,
                    actor=actor,
                    ref=args.ref,
                    start=args.start,
                    end=args.end,
                    period_days=args.period_days,
                )
    except accounts.AccountNotFound as exc:
        print(f"error: no account {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except (accounts.AccountError, LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif args.action == "list":
        for a in out:
            brand = f"  [{a['brand']['name']}]" if a["brand"] else ""
            print(f"{a['id']:>5}  {a['platform']:<10} {a['name']}{brand}  ({a['files']} files)")
    else:
        print(f"{out['account']['name']} ({out['account']['platform']}): {out['provenance']}")
        for code, value in out["metrics"].items():
            print(f"  {code:<20} {value}")
    return 0


def scope_report(args) -> int:
    """`report --account/--brand`: the account's or brand's report over a range, written to --out; with
    --email sent too, through the same core path as a schedule's "send now"."""
    from core import accounts, reports
    from core.db import session_scope
    from core.mail import MailError
    from core.reports.mailing import mail_scope_report
    from core.reports.scoped import cli_scope_report
    from core.schedules import parse_recipients

    chosen = dict(account=args.account, brand=args.brand, start=args.start, end=args.end)
    try:
        with session_scope() as session:
            actor = _actor(session, args.email)
            session.expunge(actor)
        if args.out or not args.mail_to:
            print(str(cli_scope_report(actor=actor, **chosen, period_days=args.period_days, fmt=args.format,
                                       out=args.out)))  # fmt: skip
        if args.mail_to:
            to = parse_recipients(args.mail_to)
            mail_scope_report(
                actor=actor, **chosen, period_days=args.period_days, formats=[args.format], to=to
            )
            print(f"sent to {', '.join(to)}")
    except (accounts.AccountNotFound, accounts.BrandNotFound) as exc:
        what = "account" if args.account else "brand"
        print(f"error: no {what} {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except (reports.ReportUnavailable, accounts.AccountError, MailError, LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    return 0


def duplicate_result(exc) -> dict:
    """What `ingest --json` prints for bytes already uploaded (exit code 3)."""
    d = exc.duplicate
    return {"status": "duplicate", "duplicate_of": str(d.file_id), "error": str(exc)}
