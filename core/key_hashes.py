"""Whether any two rows of a file share a key, from one 64-bit hash per key, in memory that stays flat.

The hashes go to disk as they come, into 16 files by their low bits; at the end each file is
sorted on its own (a sixteenth of the hashes in memory at a time: 2.5 MB at 5M rows). Equal keys
have equal hashes, so "no two hashes are equal" proves every key distinct; two equal hashes only
say the keys may repeat, and the exact grouped scan (core.ingest.dedupe) decides.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterable
from pathlib import Path

BUCKETS = 16
_PENDING = 1 << 16  # hashes held before they go to disk


class KeyHashes:
    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="sa-keys-")
        self._files = [open(Path(self._folder.name) / f"{i}.bin", "wb") for i in range(BUCKETS)]  # noqa: SIM115
        self._pending = array("q")
        self.count = 0

    def extend(self, hashes: Iterable[int]) -> None:
        self._pending.extend(hashes)
        if len(self._pending) >= _PENDING:
            self._flush()

    def _flush(self) -> None:
        import numpy

        values = numpy.frombuffer(self._pending, dtype=numpy.int64)
        bucket = values & (BUCKETS - 1)
        for i, out in enumerate(self._files):
            values[bucket == i].tofile(out)
        self.count += len(values)
        self._pending = array("q")

    def repeats(self) -> bool:
        """Whether two of the hashes are equal (then the keys may repeat); closes the files."""
        import numpy

        self._flush()
        try:
            for out in self._files:
                out.close()
                values = numpy.fromfile(out.name, dtype=numpy.int64)
                values.sort()
                if (values[1:] == values[:-1]).any():
                    return True
            return False
        finally:
            self.close()

    def close(self) -> None:
        for out in self._files:
            out.close()
        self._folder.cleanup()
