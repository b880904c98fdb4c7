"""Request and response bodies, with the examples /docs shows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core.auth import aware

FILE_ID = "0b6f3c8e-3f0a-4c53-9a55-6f7f5f2d1c10"
Stamp = Annotated[datetime, AfterValidator(aware)]  # always with its UTC offset (SQLite drops it)


class ErrorBody(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["No such file."])
    details: object | None = Field(default=None, examples=[None])


class ErrorResponse(BaseModel):
    error: ErrorBody


class Credentials(BaseModel):
    email: str = Field(examples=["marketer@example.com"])
    password: str = Field(examples=["correct horse battery staple"])


class Registration(Credentials):
    name: str = Field(default="", examples=["Ada Marketer"])


class TokenPair(BaseModel):
    access: str = Field(examples=["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…"])
    refresh: str = Field(examples=["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…"])
    token_type: str = Field(default="bearer", examples=["bearer"])
    expires_in: int = Field(description="Seconds the access token lives.", examples=[900])


class RefreshRequest(BaseModel):
    refresh: str = Field(examples=["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…"])


class AccessToken(BaseModel):
    access: str = Field(examples=["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…"])
    token_type: str = Field(default="bearer", examples=["bearer"])
    expires_in: int = Field(examples=[900])


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[7])
    email: str = Field(examples=["marketer@example.com"])
    name: str = Field(examples=["Ada Marketer"])
    role: str = Field(examples=["user"])
    created_at: Stamp


class Accepted(BaseModel):
    file_id: uuid.UUID = Field(examples=[FILE_ID])
    status: str = Field(default="queued", examples=["queued"])


class UploadStatus(BaseModel):
    file_id: uuid.UUID = Field(examples=[FILE_ID])
    name: str = Field(examples=["youtube_november.csv"])
    status: str = Field(examples=["processing"], description="uploading, queued, processing, ready or error")
    progress: int = Field(ge=0, le=100, examples=[42])
    rows: int = Field(examples=[0])
    error_text: str | None = Field(default=None, examples=[None])
    error_details: list[dict] | None = Field(
        default=None,
        description="For a rejected file: each problem with its line, column and value.",
        examples=[[{"message": "is not a number.", "line": 57, "column": "Views", "value": "12abc"}]],
    )


class MetricOut(BaseModel):
    metric_code: str = Field(examples=["views"])
    value: int | float | str | None = Field(examples=[12840])
    period: str = Field(examples=["current"], description="current or previous")
    period_start: date | None = Field(examples=["2026-11-01"])
    period_end: date | None = Field(examples=["2026-11-30"])


class FileMetrics(BaseModel):
    file_id: uuid.UUID = Field(examples=[FILE_ID])
    metrics: list[MetricOut]


class ReportQueued(BaseModel):
    status: str = Field(examples=["queued"])
    file_id: uuid.UUID = Field(examples=[FILE_ID])
    format: str = Field(examples=["pdf"])


class ReportOut(BaseModel):
    id: uuid.UUID
    kind: str = Field(examples=["file"], description="file, account or brand: what the report is of.")
    file_id: uuid.UUID | None = Field(examples=[FILE_ID], description="None for an account's or brand's.")
    file_name: str = Field(
        examples=["youtube_november.csv"], description="The file's, account's or brand's name."
    )
    range_start: date | None = Field(default=None, description="An account's or brand's report: its range.")
    range_end: date | None = None
    format: str = Field(examples=["pdf"])
    created_at: Stamp
    size_bytes: int = Field(examples=[48213])
    current: bool = Field(description="False once the file was processed again: older data.")
    download_name: str = Field(examples=["youtube_november_2026-11-01_2026-11-30.pdf"])
    url: str = Field(
        examples=[f"/reports/{FILE_ID}?format=pdf"],
        description="Where to download it: a file's current report, or (an account's or brand's) this one.",
    )


class StatusEvent(BaseModel):
    """One message of WS /ws/status."""

    file_id: uuid.UUID = Field(examples=[FILE_ID])
    status: str = Field(examples=["ready"])
    progress: int = Field(examples=[100])
    error: str | None = Field(default=None, examples=[None])


class Named(BaseModel):
    id: int = Field(examples=[3])
    name: str = Field(examples=["Acme"])


class AccountOut(BaseModel):
    id: int = Field(examples=[12])
    name: str = Field(examples=["Acme"])
    platform: str = Field(examples=["youtube"])
    handle: str | None = Field(default=None, examples=["@acme"])
    brand: Named | None = None
    owner: str = Field(examples=["marketer@example.com"])
    files: int = Field(description="Ready files in the account.", examples=[3])


class Period(BaseModel):
    start: date = Field(examples=["2026-11-01"])
    end: date = Field(examples=["2026-11-30"])


class AccountFile(BaseModel):
    id: uuid.UUID = Field(examples=[FILE_ID])
    name: str = Field(examples=["youtube_november.csv"])
    period: Period | None
    rows: int = Field(examples=[30])


class AccountMetrics(BaseModel):
    account: dict = Field(examples=[{"id": 12, "name": "Acme", "platform": "youtube"}])
    files: list[AccountFile]
    provenance: str = Field(examples=["Nov 1 – Nov 30 from 2 exports; 10 days taken from the newer one."])
    rows: int = Field(examples=[30])
    period: Period | None
    previous_period: Period | None
    metrics: dict[str, int | float | str | None] = Field(examples=[{"views": 12840, "er_views": 4.21}])
    previous: dict[str, int | float | str | None] = Field(examples=[{"views": 11002, "er_views": 3.9}])
