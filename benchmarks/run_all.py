"""Every benchmark in one run: start-up, each exporter against its peer or raw engine, the
batch, then the same library locally and on Dask.

    .venv/bin/python benchmarks/run_all.py [--quick]

Needs the test set-up (bash scripts/test.sh installs it, the dask extra included) plus the
peers: `pip install 'kickback-export[bench]'` (WeasyPrint) and `apt-get install pandoc lame`.
Each script prints its own figures; `--quick` runs smaller sizes to check that everything
works.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, one round")
    args = parser.parse_args()
    q = args.quick
    runs = [
        ("bench_startup.py", ["--runs", "5" if q else "21", *([] if q else ["--write"])]),
        ("bench_load.py", ["--docs", "50" if q else "500", "--rounds", "1" if q else "3"]),
        ("bench_pdf.py", ["--count", "20" if q else "500", *([] if q else ["--write-docs"])]),
        ("bench_epub.py", ["--count", "50" if q else "500", "--rounds", "1" if q else "3"]),
        ("bench_audio.py", ["--rounds", "1" if q else "7", "--batch-rounds", "1" if q else "3",
                            *([] if q else ["--write"])]),
        ("bench_batch.py", ["--docs", "40" if q else "500", "--audio-docs", "4" if q else "50",
                            "--repeat", "1" if q else "2"]),
        ("bench_dask.py", ["--docs", "40" if q else "873", "--rounds", "1" if q else "3"]),
    ]
    failed = []
    for script, extra in runs:
        print(f"\n=== {script} {' '.join(extra)}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / script), *extra], check=False)
        print(f"=== {script}: exit {proc.returncode} after {time.perf_counter() - start:.0f} s",
              flush=True)
        if proc.returncode:
            failed.append(script)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
