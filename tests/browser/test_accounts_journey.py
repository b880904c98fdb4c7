"""Accounts and brands in a real browser (issue 10): October's and November's exports of one YouTube
channel go into one account → the Explorer draws one continuous chart of both months → "This month"
shows November against the 30 days before → a TikTok export joins; both accounts go into a brand on
the Accounts page → the brand's PDF names the brand and holds the summed views.

The exports are generated here (canonical columns), so every expected number is computed from the
CSV rows, not by the app's code."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS
from tests.browser.steps import (
    choose,
    click_button,
    first_run_setup,
    go_to,
    metric_values,
    pick,
    pick_and_save,
    plotted,
    settle,
    upload_and_watch,
    visible_input,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BRAND = "Acme"
YT_ACCOUNT, TT_ACCOUNT = "Acme on YouTube", "Acme on TikTok"
COLUMNS = ("date", "views", "likes", "comments", "shares", "subscribers")


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def export(path: Path, dates: list[date], *, seed: int) -> list[dict]:
    """A daily export with distinct, irregular values; returns its rows as ints."""
    rows = []
    for i, day in enumerate(dates):
        views = 1000 + seed * 97 + (i * 37) % 211 + i * 11
        rows.append({"date": day, "views": views, "likes": views // 20 + i % 3, "comments": i % 7,
                     "shares": (i * 5) % 9, "subscribers": 3 + i % 4})  # fmt: skip
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({**r, "date": r["date"].isoformat()} for r in rows)
    return rows


def fill_upload(page, *, platform: str, account: str | None = None, new: str | None = None):
    """The rest of the upload form: the forced platform and the account (existing or new)."""

    def fill() -> None:
        choose(page, "Platform", platform)
        if account is not None:
            pick(page, "Account", account)  # created by the upload before
        if new is not None:
            visible_input(page, "Or a new account").fill(new)

    return fill


def engagements(rows: list[dict]) -> int:
    return sum(r["likes"] + r["comments"] + r["shares"] for r in rows)


def check_continuous_chart(page, shots, rows: list[dict]) -> None:
    """One account, one trace of views: a point for every day of both exports, the CSVs' values."""
    go_to(page, "Explorer")
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')].some(el => el.layout && el.layout.title
            && String(el.layout.title.text || el.layout.title).includes('Views and engagements'))"""
    )
    traces = plotted(page, "Views and engagements")
    views = [t for t in traces if t["name"].endswith("Views")]
    assert len(views) == 1, [t["name"] for t in traces]
    assert [str(x)[:10] for x in views[0]["x"]] == [r["date"].isoformat() for r in rows]
    assert views[0]["y"] == [r["views"] for r in rows]
    shots("one continuous chart")


def check_this_month(page, shots, rows: list[dict]) -> None:
    """ "This month" on the last date (30 Nov): November, against the 30 days before it."""
    settle(page)
    choose(page, "Dates", "This month")
    page.get_by_text("Nov 1, 2026 – Nov 30, 2026").first.wait_for()
    settle(page)
    november = [r for r in rows if r["date"].month == 11]
    before = [r for r in rows if date(2026, 10, 2) <= r["date"] <= date(2026, 10, 31)]
    cards = metric_values(page)
    shots("this month")
    views, previous = sum(r["views"] for r in november), sum(r["views"] for r in before)
    assert cards["Views"][0] == f"{views:,}"
    assert re.sub(r"\s+", " ", cards["Views"][1]).startswith(f"{views - previous:+,} (")
    assert cards["Engagements"][0] == f"{engagements(november):,}"
    change = engagements(november) - engagements(before)
    assert re.sub(r"\s+", " ", cards["Engagements"][1]).startswith(f"{change:+,} (")


def make_brand(page, shots) -> None:
    """Create the brand on the Accounts page and put both accounts into it."""
    go_to(page, "Accounts")
    visible_input(page, "New brand").fill(BRAND)
    click_button(page, "Create brand")
    page.locator("[data-testid='stExpander']").filter(has_text=BRAND).first.wait_for()
    for account, platform in ((YT_ACCOUNT, "YouTube"), (TT_ACCOUNT, "TikTok")):
        expander = page.locator("[data-testid='stExpander']").filter(has_text=f"{account} · {platform}")
        saved = page.locator("summary").filter(has_text=f"{account} · {platform} · {BRAND}")
        pick_and_save(page, container=expander, label="Brand", option=BRAND, save="Save", saved=saved)
    shots("brand with two accounts")


def open_brand(page, shots) -> None:
    """The Explorer on the brand alone: the account picked before is removed, the brand added."""
    go_to(page, "Explorer")
    settle(page)
    search = page.locator("[class*='st-key-explorer_scopes'] input").first
    search.click()
    page.keyboard.press("Backspace")  # removes the account the picker kept from before
    settle(page)
    search.fill("brand")
    page.get_by_role("option").filter(has_text=f"{BRAND} (brand, 2 accounts)").first.click()
    page.keyboard.press("Escape")
    page.locator("[class*='st-key-explorer_scope_brand_']").first.wait_for()
    settle(page)
    assert page.locator("[class*='st-key-explorer_scope_account_']").count() == 0
    shots("brand in the explorer")


def brand_pdf(page, shots) -> str:
    """The brand header's Download PDF: the saved file's text."""
    widget = page.locator("[class*='st-key-explorer_scope_report_pdf_brand_']")
    assert widget.count() == 1, "one brand is shown, so one Download PDF button"
    with page.expect_download() as download:
        widget.locator("button:visible").click()
    name = download.value.suggested_filename
    assert name == f"{BRAND}_2026-10-01_2026-11-30.pdf", name
    path = ARTIFACTS / name
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    settle(page)
    shots("brand pdf")
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_one_channel_over_two_months_and_a_brand_across_platforms(app_url, page, shots, tmp_path):
    october = export(
        tmp_path / "acme_youtube_2026-10.csv", days(date(2026, 10, 1), date(2026, 10, 31)), seed=1
    )
    november = export(
        tmp_path / "acme_youtube_2026-11.csv", days(date(2026, 11, 1), date(2026, 11, 30)), seed=2
    )
    tiktok = export(tmp_path / "acme_tiktok_2026-11.csv", days(date(2026, 11, 1), date(2026, 11, 30)), seed=3)
    page.goto(app_url)
    first_run_setup(page, shots)
    upload_and_watch(page, shots, tmp_path / "acme_youtube_2026-10.csv", "YouTube · Last 30 days · 31 rows",
                     form=fill_upload(page, platform="YouTube", new=YT_ACCOUNT))  # fmt: skip
    upload_and_watch(page, shots, tmp_path / "acme_youtube_2026-11.csv", "YouTube · Last 30 days · 30 rows",
                     form=fill_upload(page, platform="YouTube", account=f"{YT_ACCOUNT} · YouTube"))  # fmt: skip
    page.get_by_text(f"account {YT_ACCOUNT}").first.wait_for()
    both = october + november
    check_continuous_chart(page, shots, both)
    check_this_month(page, shots, both)
    upload_and_watch(page, shots, tmp_path / "acme_tiktok_2026-11.csv", "TikTok · Last 30 days · 30 rows",
                     form=fill_upload(page, platform="TikTok", new=TT_ACCOUNT))  # fmt: skip
    make_brand(page, shots)
    open_brand(page, shots)
    text = brand_pdf(page, shots)
    assert BRAND in text
    total = sum(r["views"] for r in both + tiktok)
    assert f"{total:,}" in text, f"the brand's summed views {total:,} are not in the PDF"
