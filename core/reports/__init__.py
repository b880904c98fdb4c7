"""PDF and CSV reports of a file: built once per file version, kept under REPORTS_DIR, listed per user."""

from core.reports.content import ReportUnavailable
from core.reports.service import (
    FORMATS,
    ReportEntry,
    ReportNotFound,
    build_report,
    cli_report,
    download,
    download_name,
    generate_report,
    get_or_create_report,
    list_reports,
    open_report,
    ready_report,
    report_file,
)

__all__ = [
    "FORMATS",
    "ReportEntry",
    "ReportNotFound",
    "ReportUnavailable",
    "build_report",
    "cli_report",
    "download",
    "download_name",
    "generate_report",
    "get_or_create_report",
    "list_reports",
    "open_report",
    "ready_report",
    "report_data",
    "report_file",
]


def __getattr__(name: str):
    """`report_data` on first use: the rendering stack is loaded only by what builds reports."""
    if name == "report_data":
        from core.reports.gather import report_data

        return report_data
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
