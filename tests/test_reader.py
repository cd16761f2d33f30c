"""Reading returns from workbooks the tests write, laid out the way real forms are."""

import hashlib

import openpyxl
import pytest

from qscore.reader import column_letter, read_returns

from helpers import rubric

R = rubric(
    "- {key: x, name: 支委会, points: 6, rule: {type: per_shortfall, field: v, required: 12, step: 0.5}}\n"
    "- {key: y, name: 党小组会, points: 4, allow_na: true, rule: {type: per_shortfall, field: w, required: 12, step: 1}}",
    "v: {label: 支委会次数, type: count, aliases: [支部委员会次数]}\nw: {label: 党小组会次数, type: count}",
    total=10,
)


def write(path, rows, sheet="自评表", title=True):
    wb = openpyxl.Workbook()
    wb.active.title = "填报说明"
    wb.active["A1"] = "说明"
    ws = wb.create_sheet(sheet)
    start = 1
    if title:
        ws["A1"] = "2024年度基层党建工作考核自评表"
        ws["A2"] = "填报单位：某某　填报日期：2025年1月10日"
        start = 3
    for r, row in enumerate(rows, start=start):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    wb.save(path)
    return path


HEAD = ["单位代码", "单位 名称", "类别", "支委会次数", "党小组会次数"]


def test_header_below_title_rows_and_sources_are_a1_cells(tmp_path):
    f = write(tmp_path / "r.xlsx", [HEAD, ["001003", "一支部", "甲类", 9, 12], ["001004", "二支部", "乙类", "１２", "不涉及"]])
    ret = read_returns([f], R)
    assert not ret.errors
    assert ret.units.index.tolist() == ["001003", "001004"]  # codes stay text, leading zeros kept
    assert ret.units["v"].tolist() == [9.0, 12.0]
    assert ret.na.loc["001004", "w"]
    assert ret.sources.loc["001003", "v"] == f"{f} › 自评表 › D4"
    assert [p.code for p in ret.problems] == ["normalised"]
    assert ret.problems[0].cell == "D5"


def test_header_aliases_after_normalising_spaces_and_width(tmp_path):
    head = ["单位代码", "单位名称", "类别", "支部委员会\n次数", "党小组会次数（次）".replace("（次）", "")]
    f = write(tmp_path / "r.xlsx", [head, ["1", "一支部", "甲类", 10, 10]], title=False)
    ret = read_returns([f], R)
    assert not ret.errors and ret.units["v"].tolist() == [10.0]


def test_missing_column_names_file_sheet_and_header_row(tmp_path):
    f = write(tmp_path / "r.xlsx", [HEAD[:4], ["1", "一支部", "甲类", 10]])
    (p,) = read_returns([f], R).errors
    assert (p.code, p.file, p.sheet, p.cell) == ("missing-column", str(f), "自评表", "第3行")
    assert "党小组会次数" in p.message


def test_missing_sheet_lists_the_sheets_found(tmp_path):
    f = write(tmp_path / "r.xlsx", [HEAD], sheet="Sheet1")
    (p,) = read_returns([f], R).errors
    assert p.code == "missing-sheet" and "填报说明、Sheet1" in p.message


@pytest.mark.parametrize("value, code", [("若干", "not-a-number"), (3.5, "not-a-whole-number"), (400, None),
                                         (True, "not-a-number"), (None, "missing-value"), (-1, "out-of-range")])
def test_bad_values_are_located(tmp_path, value, code):
    f = write(tmp_path / "r.xlsx", [HEAD, ["1", "一支部", "甲类", value, 12]])
    errors = read_returns([f], R).errors
    if code is None:
        assert not errors  # no maximum declared for this field
        return
    (p,) = errors
    assert (p.code, p.cell, p.unit) == (code, "D4", "1")


def test_duplicate_and_unknown_category(tmp_path):
    f = write(tmp_path / "r.xlsx", [HEAD, ["1", "一", "甲类", 12, 12], ["1", "一", "甲类", 11, 12], ["2", "二", "丙类", 12, 12]])
    found = {(p.code, p.cell) for p in read_returns([f], R).errors}
    assert found == {("duplicate-unit", "A5"), ("unknown-category", "C6")}


def test_not_applicable_only_where_allowed(tmp_path):
    f = write(tmp_path / "r.xlsx", [HEAD, ["1", "一支部", "甲类", "不涉及", 12]])
    (p,) = read_returns([f], R).errors
    assert (p.code, p.cell) == ("not-applicable-not-allowed", "D4")


def test_unreadable_and_empty_files(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("<html><table><tr><td>1</td></tr></table></html>")
    codes = [(p.code, p.file) for p in read_returns([empty, fake], R).errors]
    assert codes == [("unreadable-file", str(empty)), ("unreadable-file", str(fake))]


def test_inputs_are_never_modified(tmp_path):
    f = write(tmp_path / "r.xlsx", [HEAD, ["1", "一支部", "甲类", 9, 12]])
    before = hashlib.sha256(f.read_bytes()).hexdigest()
    mtime = f.stat().st_mtime_ns
    ret = read_returns([f], R)
    assert hashlib.sha256(f.read_bytes()).hexdigest() == before == ret.files[0].sha256
    assert f.stat().st_mtime_ns == mtime


def test_folder_of_workbooks(tmp_path):
    write(tmp_path / "a.xlsx", [HEAD, ["1", "一支部", "甲类", 9, 12]])
    write(tmp_path / "b.xlsx", [HEAD, ["2", "二支部", "乙类", 12, 12]])
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    ret = read_returns([tmp_path], R)
    assert not ret.errors and ret.units.index.tolist() == ["1", "2"]


def test_quoted_glob(tmp_path):
    write(tmp_path / "a.xlsx", [HEAD, ["1", "一支部", "甲类", 9, 12]])
    write(tmp_path / "b.xlsx", [HEAD, ["2", "二支部", "乙类", 12, 12]])
    ret = read_returns([str(tmp_path / "*.xlsx")], R)
    assert ret.units.index.tolist() == ["1", "2"]


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702, 16383)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]


@pytest.mark.parametrize("name", ["returns.xls", "returns.ods"])
def test_old_excel_and_opendocument(name):
    from conftest import ROOT

    f = ROOT / "tests" / "fixtures" / name
    ret = read_returns([f], R)
    assert not ret.errors
    assert ret.units["v"].tolist() == [9.0, 12.0] and ret.na.loc["001004", "w"]
    assert ret.sources.loc["001004", "v"] == f"{f} › 自评表 › D4"


def test_two_row_header_with_merged_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "2024年度考核自评表"
    for col, label in zip("ABC", ["单位代码", "单位名称", "类别"], strict=True):
        ws[f"{col}2"] = label
        ws.merge_cells(f"{col}2:{col}3")
    ws["D2"] = "组织生活"
    ws.merge_cells("D2:E2")
    ws["D3"] = "支委会次数"
    ws["E3"] = "党小组会次数"
    ws.append(["1", "一支部", "甲类", 10, 12])
    ws.append(["2", "二支部", None, 11, 12])
    ws.merge_cells("C4:C5")  # one category cell merged over two units: filled within the range only
    wb.save(tmp_path / "r.xlsx")
    ret = read_returns([tmp_path / "r.xlsx"], R)
    assert not ret.errors
    assert ret.units["v"].tolist() == [10.0, 11.0] and ret.units["category"].tolist() == ["a", "a"]
    assert ret.sources.loc["2", "v"] == f"{tmp_path / 'r.xlsx'} › 自评表 › D5"


def test_hidden_rows_and_sheets_are_reported_not_skipped(tmp_path):
    f = write(tmp_path / "r.xlsx", [HEAD, ["1", "一支部", "甲类", 9, 12], ["2", "二支部", "甲类", 12, 12]])
    wb = openpyxl.load_workbook(f)
    wb["自评表"].row_dimensions[5].hidden = True
    wb["填报说明"].sheet_state = "hidden"
    wb.save(f)
    ret = read_returns([f], R)
    assert ret.units.index.tolist() == ["1", "2"]
    found = {(p.code, p.sheet, p.cell, p.unit) for p in ret.problems}
    assert found == {("hidden-row", "自评表", "第5行", "2"), ("hidden-sheet", "填报说明", "", "")}
    assert all(p.severity == "warning" for p in ret.problems)


def test_formula_without_a_value_is_an_error_not_blank(tmp_path):
    f = write(tmp_path / "r.xlsx", [HEAD, ["1", "一支部", "甲类", "=B9*2", 12]])
    (p,) = read_returns([f], R).errors
    assert (p.code, p.cell) == ("formula-without-value", "D4")
    assert "=B9*2" in p.message


def test_a_count_formatted_as_a_date(tmp_path):
    import datetime as dt

    f = write(tmp_path / "r.xlsx", [HEAD, ["1", "一支部", "甲类", dt.datetime(1900, 1, 9), 12]])
    (p,) = read_returns([f], R).errors
    assert p.code == "not-a-number" and "日期或时间格式" in p.message and p.cell == "D4"


def test_date_fields_accept_cells_serials_and_text():
    import datetime as dt

    from qscore.normalise import parse_column

    p = parse_column([dt.datetime(2024, 1, 5), 45296, "2024年1月5日", "2024/1/5", "2024.1.5", "六月底"], "date")
    assert p.values.tolist()[:5] == [dt.date(2024, 1, 5)] * 5
    assert [(f.position, f.code) for f in p.findings] == [(1, "normalised"), (2, "normalised"), (3, "normalised"),
                                                          (4, "normalised"), (5, "not-a-date")]


@pytest.mark.parametrize("raw, value, noted", [("４", 4.0, True), ("12次", 12.0, True), ("12 次", 12.0, True),
                                               ("十二", 12.0, True), ("二十", 20.0, True), ("一百零五", 105.0, True),
                                               ("1,200", 1200.0, False), ("12", 12.0, False)])
def test_counts_as_people_write_them(raw, value, noted):
    from qscore.normalise import parse_column

    p = parse_column([raw], "count")
    assert p.values.tolist() == [value] and [f.code for f in p.findings] == (["normalised"] if noted else [])


@pytest.mark.parametrize("raw", ["٣", "3.0.1", "NA", "None"])
def test_only_ascii_digits_after_nfkc(raw):
    from qscore.normalise import parse_column

    p = parse_column([raw], "count")
    assert [f.code for f in p.findings] == ["not-a-number"]


@pytest.mark.parametrize("raw, expected, code", [("95%", 0.95, None), (0.95, 0.95, None), (95, None, "ambiguous-percent"),
                                                 ("９５％", 0.95, None), ("是", None, "not-a-number")])
def test_rates(raw, expected, code):
    from qscore.normalise import parse_column

    p = parse_column([raw], "rate")
    got = p.values.tolist()[0]
    assert (got == expected) if expected is not None else (got != got)  # NaN when refused
    assert [f.code for f in p.findings if f.code != "normalised"] == ([code] if code else [])


@pytest.mark.parametrize("raw, expected", [("是", 1.0), ("否", 0.0), ("√", 1.0), ("×", 0.0), ("有", 1.0), ("无", 0.0),
                                           (True, 1.0), ("Y", 1.0)])
def test_yes_no(raw, expected):
    from qscore.normalise import parse_column

    assert parse_column([raw], "bool").values.tolist() == [expected]
