"""PDF and CSV reports of a file: built once per file version, kept under REPORTS_DIR, listed per user."""

from core.reports.gather import ReportUnavailable, report_data
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
    "report_data",
    "report_file",
]
