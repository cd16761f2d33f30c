"""Many per-unit workbooks are read in a pool of processes; the result must be exactly the
result of reading them one by one (order, values, sources, problems)."""

import xlsxwriter

from qscore import reader
from qscore.reader import read_returns

from helpers import rubric

R = rubric("- {key: x, name: 支委会, points: 10, rule: {type: per_shortfall, field: v, required: 12, step: 0.5}}",
           "v: {label: 支委会次数, type: count}", total=10)


def test_pool_gives_the_sequential_result(tmp_path, monkeypatch):
    for i in range(120):
        wb = xlsxwriter.Workbook(str(tmp_path / f"{i:04d}.xlsx"))
        ws = wb.add_worksheet("自评表")
        ws.write_row(0, 0, ["单位代码", "单位名称", "类别", "支委会次数"])
        ws.write_row(1, 0, [f"{i:04d}", f"支部{i}", "甲类", "若干" if i == 77 else i % 13])
        wb.close()
    calls = []
    monkeypatch.setattr(reader, "PARALLEL_MIN_FILES", 100)
    monkeypatch.setattr(reader, "CHUNK_FILES", 20)
    monkeypatch.setattr("os.cpu_count", lambda: 2)  # a pool of two, whatever the machine
    pooled = read_returns([tmp_path], R, progress=calls.append)
    monkeypatch.setattr(reader, "PARALLEL_MIN_FILES", 10_000)
    one_by_one = read_returns([tmp_path], R)
    assert sum(calls) == 120 and len(calls) == 6  # six chunks of twenty
    assert pooled.units.equals(one_by_one.units) and pooled.sources.equals(one_by_one.sources)
    assert pooled.problems == one_by_one.problems
    assert [p.unit for p in pooled.errors] == ["0077"]
