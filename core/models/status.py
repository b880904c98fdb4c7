"""Where a file is in its life, and the sets of statuses the pages and the worker test for."""

from __future__ import annotations

from enum import StrEnum


class FileStatus(StrEnum):
    """Where a file is in its life: uploading → queued → processing → ready or error.

    A str enum: the database stores (and comparisons accept) the plain value, "ready" == READY.
    """

    UPLOADING = "uploading"
    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    ERROR = "error"


# Not finished yet: the pages keep polling while a file is in one of these.
PENDING = frozenset({FileStatus.UPLOADING, FileStatus.QUEUED, FileStatus.PROCESSING})
# Handed to a worker: a file silent too long in one of these has lost its worker and is queued again.
IN_WORK = (FileStatus.QUEUED, FileStatus.PROCESSING)
