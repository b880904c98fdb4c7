"""Parsing speed on the plain path: a canonical UTF-8 CSV streamed through open_table(...).rows().

Run:  .venv/bin/python bench/parse_speed.py --rows 1000000
Generates bench/out/canonical_<rows>.csv (the same file as bench/ingest_bench.py) if missing, then
prints CPU seconds, rows/s and peak RSS of parsing alone (no database). Not a test: figures.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_bench import generate  # noqa: E402
from core.parsing import Limits, open_table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    path = generate(args.rows)
    limits = Limits(max_bytes=1 << 40, max_rows=10 * args.rows)
    wall, cpu = time.perf_counter(), time.process_time()
    table = open_table(path, limits=limits)
    opened_cpu = time.process_time() - cpu
    count = sum(1 for _ in table.rows(on_progress=lambda f: None))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.0f} MB, platform {table.detection.platform}")
    print(f"open_table (sniff, detect, sample): {opened_cpu:6.2f} s CPU")
    print(f"rows streamed:                      {count:,}")
    print(f"total CPU:                          {cpu:6.2f} s   (target <= 4 s for 1M rows)")
    print(f"wall:                               {wall:6.2f} s")
    print(f"rows/s (CPU):                       {count / cpu:,.0f}")
    print(f"peak RSS:                           {rss:6.0f} MB")


if __name__ == "__main__":
    main()
