"""Time each stage of `qscore assess` side by side, as ratios to the bare read (the I/O floor).

    python benchmarks/bench_assess.py [--units 1919,20000] [--repeat 3]

Workbooks larger than the sample are made by the sample generator's layout with units
repeated under new codes. Medians of --repeat runs; one process, one machine, one run, so
the ratios are comparable even where the absolute times are noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_generator():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "samples" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def scaled_workbook(n: int, folder: Path) -> Path:
    gen = load_generator()
    data = gen.build()
    base = len(data["returns"])
    out: dict[str, list[list[object]]] = {k: [] for k in data}
    for copy in range((n + base - 1) // base):
        def recode(row, copy=copy):
            return [f"{row[0]}{copy:03d}" if copy else row[0], *row[1:]]
        for key, rows in data.items():
            out[key] += [recode(r) for r in rows]
    keep = {r[0] for r in out["returns"][:n]}
    out = {k: [r for r in rows if r[0] in keep] for k, rows in out.items()}
    path = folder / f"returns-{n}.xlsx"
    gen.write(out, path)
    return path


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", default="1919,20000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from python_calamine import CalamineWorkbook

    from qscore.assessment import assess
    from qscore.output.feedback import (
        render_feedback_html,
        render_feedback_per_unit,
        render_feedback_workbook,
    )
    from qscore.output.jsonout import render_json
    from qscore.output.notice import render_notice
    from qscore.output.notice_docx import render_notice_docx
    from qscore.output.page import render_page
    from qscore.output.stamp import make_stamp
    from qscore.output.workbook import render_workbook
    from qscore.reader import read_returns
    from qscore.rubric import load_rubric

    rubric = load_rubric(ROOT / "rubrics" / "city-2024.yaml")
    day = dt.date(2025, 1, 20)
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.units.split(",")):
            path = ROOT / "samples" / "returns-2024.xlsx" if n == 1919 else scaled_workbook(n, Path(tmp))

            def bare_read(path=path):
                wb = CalamineWorkbook.from_path(str(path))
                return [wb.get_sheet_by_name(s).to_python() for s in wb.sheet_names]

            floor, _ = median_time(bare_read, args.repeat)
            t_read, returns = median_time(lambda path=path: read_returns([path], rubric), args.repeat)
            t_score, result = median_time(lambda returns=returns: assess(rubric, returns, day), args.repeat)
            stamp = make_stamp(result, day)
            t_book, book = median_time(lambda result=result, stamp=stamp: render_workbook(result, stamp), args.repeat)
            t_json, _ = median_time(lambda result=result, stamp=stamp: render_json(result, stamp), args.repeat)
            docs = {
                "notice (Markdown)": lambda a, st: render_notice(a, st, "md"),
                "notice (Word)": render_notice_docx,
                "feedback page (all units)": render_feedback_html,
                "feedback workbook": render_feedback_workbook,
                "feedback file per unit": lambda a, st: sum(1 for _ in render_feedback_per_unit(a, st)),
                "report page": render_page,
            }
            t_docs = {name: median_time(lambda fn=fn, a=result, st=stamp: fn(a, st), args.repeat)[0]
                      for name, fn in docs.items()}
            rows = len(result.points)
            print(f"\n{n:,} units, {rows:,} rows of points, workbook {len(book) / 1e6:.1f} MB")
            print(f"{'stage':<34}{'seconds':>9}{'x bare read':>13}")
            for name, t in (("bare read (python-calamine)", floor), ("read + parse + check returns", t_read),
                            ("score, rank, grade, lists", t_score), ("render ranking workbook", t_book),
                            ("render JSON", t_json), *t_docs.items()):
                print(f"{name:<34}{t:>9.2f}{t / floor:>13.1f}")
            total = t_read + t_score + t_book
            print(f"{'assess, workbook only':<34}{total:>9.2f}{total / floor:>13.1f}")
            total += sum(t for k, t in t_docs.items() if k != "feedback file per unit")
            print(f"{'assess with every document':<34}{total:>9.2f}{total / floor:>13.1f}")


if __name__ == "__main__":
    main()
