"""Many per-unit workbooks: one process versus the fork pool, measured side by side.

    python benchmarks/bench_files.py [--files 2000]

Each file is one unit's row of the sample in its own workbook, as when units send their
own returns. Prints medians of 3 and the ratio; the pool is used by `read_returns` from
PARALLEL_MIN_FILES files on.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    args = ap.parse_args()
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from qscore import reader
    from qscore.rubric import load_rubric

    rubric = load_rubric(ROOT / "rubrics" / "city-2024.yaml")
    rows = CalamineWorkbook.from_path(str(ROOT / "samples" / "returns-2024.xlsx")).get_sheet_by_name("自评表").to_python()
    title, unit_row, header, *body = rows
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(args.files):
            row = body[i % len(body)]
            wb = xlsxwriter.Workbook(str(folder / f"{i:05d}.xlsx"))
            ws = wb.add_worksheet("自评表")
            ws.write_row(0, 0, title)
            ws.write_row(1, 0, unit_row)
            ws.write_row(2, 0, header)
            ws.write_row(3, 0, [f"{row[0]}{i // len(body)}", *row[1:]])
            wb.close()
        paths = reader.expand_inputs([folder])

        def run(min_files: int) -> float:
            reader.PARALLEL_MIN_FILES = min_files
            times = []
            for _ in range(3):
                t = time.perf_counter()
                reader._read_all(paths, rubric, None)
                times.append(time.perf_counter() - t)
            return statistics.median(times)

        one = run(10**9)
        pool = run(0)
        print(f"{args.files} files: one process {one:.2f} s, fork pool {pool:.2f} s, ratio {one / pool:.2f}x")


if __name__ == "__main__":
    main()
