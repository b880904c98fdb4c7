"""Uploads and reports in an S3-compatible bucket (AWS S3, MinIO, ...), when S3_BUCKET is set.

Every host that reaches the bucket reads what any host wrote. An object is written as a multipart
upload, a part of PART bytes at a time (a one-part object as a plain PUT), and read back a chunk at a
time: neither ever holds the whole object in memory. Keys are those of `Store.key`
(`uploads/<file id>/<name>`, `reports/<report id>.<fmt>`).

A bucket is not in the database's transaction: given a `session`, the store follows it
(core.store_base.FollowsTransaction).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache

from sqlalchemy.orm import Session

from core.config import Settings
from core.store_base import CHUNK, FollowsTransaction

PART = 8 << 20  # S3 refuses parts under 5 MiB (but the last)


class S3Store(FollowsTransaction):
    """Objects in one bucket of an S3-compatible store."""

    def __init__(self, client, bucket: str):
        self.client, self.bucket = client, bucket

    def write(self, key: str, chunks: Iterable[bytes], *, session: Session | None = None) -> None:
        where = {"Bucket": self.bucket, "Key": key}
        parts: list[dict] = []
        upload_id, buffer = None, bytearray()

        def send(body: bytes) -> None:
            number = len(parts) + 1
            sent = self.client.upload_part(**where, UploadId=upload_id, PartNumber=number, Body=body)
            parts.append({"ETag": sent["ETag"], "PartNumber": number})

        try:
            for chunk in chunks:
                buffer += chunk
                while len(buffer) >= PART:
                    if upload_id is None:
                        upload_id = self.client.create_multipart_upload(**where)["UploadId"]
                    with memoryview(buffer) as view:  # one copy of the part, not two
                        part = bytes(view[:PART])
                    del buffer[:PART]
                    send(part)
                    del part  # before the next one is made
            if upload_id is None:
                self.client.put_object(**where, Body=bytes(buffer))
            else:
                if buffer:
                    send(bytes(buffer))
                self.client.complete_multipart_upload(
                    **where, UploadId=upload_id, MultipartUpload={"Parts": parts}
                )
        except BaseException:
            if upload_id is not None:  # no half-uploaded parts left to pay for
                self.client.abort_multipart_upload(**where, UploadId=upload_id)
            raise
        self.written(key, session)

    def chunks(self, key: str, *, session: Session | None = None) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except self.client.exceptions.NoSuchKey as exc:
            raise FileNotFoundError(key) from exc
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def exists(self, key: str, *, session: Session | None = None) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def remove(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes up to 1,000 keys
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    def objects(self) -> Iterator[tuple[str, str, datetime]]:
        pages = self.client.get_paginator("list_objects_v2")
        for prefix in ("uploads/", "reports/"):
            for page in pages.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    yield item["Key"], item["Key"], item["LastModified"]

    def abort_stale_uploads(self, before: datetime) -> int:
        """Abort the multipart uploads begun before `before` that a dead process never completed nor
        aborted (their parts are stored, and paid for, until then); how many."""
        pages = self.client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket)
        stale = [u for page in pages for u in page.get("Uploads", []) if u["Initiated"] < before]
        for upload in stale:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
            )
        return len(stale)


def s3_store(settings: Settings) -> S3Store:
    """The store of the settings' bucket (one client per process: boto3's clients are thread-safe)."""
    return _store(settings.s3_bucket, settings.s3_endpoint_url, settings.s3_region,
                  settings.s3_access_key_id, settings.s3_secret_access_key, os.getpid())  # fmt: skip


@lru_cache(maxsize=4)
def _store(bucket, endpoint_url, region, key_id, secret, _pid) -> S3Store:
    """A client made after a fork is the child's own (its connections are not shared)."""
    import boto3
    from botocore.config import Config

    config = Config(
        # Path-style addresses and checksums only where required: what MinIO and other S3-compatible
        # stores accept as well as AWS does.
        s3={"addressing_style": "path"} if endpoint_url else {},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"max_attempts": 5, "mode": "standard"},
    )
    client = boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url or None,
        region_name=region or None,
        aws_access_key_id=key_id or None,
        aws_secret_access_key=secret or None,
        config=config,
    )
    return S3Store(client, bucket)
