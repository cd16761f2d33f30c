import json

import openpyxl
import pytest
from click.testing import CliRunner

from qscore.cli import cli

from conftest import ROOT, RUBRIC, SAMPLE


@pytest.fixture()
def runner():
    return CliRunner()


def test_assess_sample_writes_the_workbook_and_a_summary(runner, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(cli, ["assess", str(SAMPLE), "--out", str(out), "--date", "2025-01-20"])
    assert res.exit_code == 0, res.output
    assert "2024年度基层党建工作量化考核：1919个单位" in res.output
    assert "支部标准化率：" in res.output and "名单：通报表扬383个" in res.output
    book = out / "2024年度考核排名表.xlsx"
    wb = openpyxl.load_workbook(book, read_only=True)
    assert wb.sheetnames[:3] == ["总排名", "农村", "社区"]
    assert {"得分明细", "约谈名单", "问责名单", "统计", "说明"} <= set(wb.sheetnames)
    charts = [n for n in __import__("zipfile").ZipFile(book).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2  # native charts: category means and the score distribution
    ws = wb["总排名"]
    header = [c.value for c in next(ws.iter_rows(min_row=3, max_row=3))]
    assert header[:5] == ["名次", "类别名次", "单位代码", "单位名称", "类别"] and "总分" in header and "等次" in header
    first = [c.value for c in next(ws.iter_rows(min_row=4, max_row=4))]
    assert first[0] == 1 and first[2] == "080001" and first[header.index("总分")] == 105.0


def test_lists_are_also_written_as_files_of_their_own(runner, tmp_path):
    res = runner.invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path), "--date", "2025-01-20", "--quiet"])
    assert res.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "名单").glob("*.xlsx"))
    assert names == sorted(f"2024年度{n}名单.xlsx" for n in ("通报表扬", "通报批评", "约谈", "问责", "限期整改"))
    wb = openpyxl.load_workbook(tmp_path / "名单" / "2024年度约谈名单.xlsx", read_only=True)
    notes = [r for r in wb["说明"].iter_rows(min_row=4, values_only=True)]  # the stamp travels with the list
    assert ("考核日期", "2025-01-20") in notes and any(str(k).startswith("输入文件") for k, _ in notes)
    ws = wb["约谈名单"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True)]
    assert [r[1] for r in rows] == ["050001", "020001", "040001"]
    assert rows[0][5] == "2025-02-19"


def test_same_date_same_bytes(runner, tmp_path):
    for name in ("a", "b"):
        assert runner.invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path / name), "--date", "2025-01-20",
                                   "--quiet"]).exit_code == 0
    a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert a == b and len(a) == 6 + 5 + 1  # workbook, notice md + docx, feedback html + xlsx, page; 5 lists + marker
    for rel in a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_json_for_machines(runner, tmp_path):
    res = runner.invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path), "--format", "json", "--date", "2025-01-20"])
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["meta"]["rubric"]["id"] == "city_2024" and len(doc["meta"]["inputs"][0]["sha256"]) == 64
    unit = next(u for u in doc["units"] if u["code"] == "050001")
    assert {"code", "name", "category", "total", "rank", "category_rank", "grade", "vetoed", "lists", "items"} <= set(unit)
    assert unit["total"] == 43.65 and unit["grade"] == "差"
    item = next(i for i in unit["items"] if i["indicator"] == "committee_meetings")
    assert item == {"indicator": "committee_meetings", "name": "支委会", "kind": "item", "dimension": "org_life",
                    "inputs": "支委会次数=3", "points": 0.5, "max": 5.0,
                    "reason": "支委会应开12次，实开3次，每少1次扣0.5分，扣4.5分",
                    "source": f"{SAMPLE} › 自评表 › K1489"}
    ws = openpyxl.load_workbook(SAMPLE, read_only=True)["自评表"]
    assert (ws["A1489"].value, ws["K3"].value, ws["K1489"].value) == ("050001", "支委会次数", 3)
    assert round(sum(i["points"] for i in unit["items"]), 2) == unit["total"]


def test_explain_one_unit(runner):
    res = runner.invoke(cli, ["explain", "050001", str(SAMPLE), "--date", "2025-01-20"])
    assert res.exit_code == 0, res.output
    assert "总分 43.65" in res.output and "等次“差”" in res.output
    assert "支委会应开12次，实开3次，每少1次扣0.5分，扣4.5分" in res.output
    assert "列入约谈名单" in res.output


def test_explain_unknown_unit_suggests(runner):
    res = runner.invoke(cli, ["explain", "05000", str(SAMPLE)])
    assert res.exit_code == 1
    assert "error: no unit with code or name “05000” in the returns. Did you mean: 050200" in res.output


def test_rubric_check_ok_and_bad(runner, tmp_path):
    ok = runner.invoke(cli, ["rubric", "check", str(RUBRIC)])
    assert ok.exit_code == 0 and ok.output.startswith("ok: ") and "40 indicators" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(RUBRIC.read_text(encoding="utf-8").replace("step: 0.25}", "stpe: 0.25}"), encoding="utf-8")
    res = runner.invoke(cli, ["rubric", "check", str(bad)])
    assert res.exit_code == 1
    assert f"error: {bad}:" in res.output and "rule.stpe: unknown key `stpe` (did you mean `step`?)" in res.output
    assert "Traceback" not in res.output


def test_rubric_show_and_schema(runner):
    show = runner.invoke(cli, ["rubric", "show"])
    assert show.exit_code == 0 and "支委会" in show.output and "一票否决" in show.output
    schema = runner.invoke(cli, ["rubric", "schema"])
    assert schema.exit_code == 0 and json.loads(schema.output)["title"] == "Rubric"


def test_invalid_returns_are_refused_with_cells(runner, tmp_path):
    wb = openpyxl.load_workbook(SAMPLE)
    wb["自评表"]["K4"] = "若干"
    bad = tmp_path / "in" / "bad.xlsx"
    bad.parent.mkdir()
    wb.save(bad)
    res = runner.invoke(cli, ["assess", str(bad), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert f"{bad} › 自评表 › K4: [not-a-number] 不是数字；支委会次数：“若干”" in res.output
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(cli, ["assess"]).exit_code == 2
    assert runner.invoke(cli, ["assess", str(tmp_path / "missing.xlsx")]).exit_code == 2
    res = runner.invoke(cli, ["assess", str(SAMPLE), "--out", str(SAMPLE.parent)])
    assert res.exit_code == 2 and "outputs never go next to or over inputs" in res.output
    assert runner.invoke(cli, ["assess", str(SAMPLE), "--date", "20/01/2025"]).exit_code == 2
    inside = tmp_path / "out" / "名单" / "returns.xlsx"  # 名单/ is replaced as a whole on every run
    inside.parent.mkdir(parents=True)
    inside.write_bytes(SAMPLE.read_bytes())
    res = runner.invoke(cli, ["assess", str(inside), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and "which qscore replaces on every run" in res.output and inside.exists()


def test_folders_of_files_are_replaced_whole(runner, tmp_path):
    from qscore.output.atomic import write_folder_atomic

    folder = tmp_path / "名单"
    write_folder_atomic(folder, [("a.txt", "1"), ("b.txt", b"2")])
    write_folder_atomic(folder, [("c.txt", "3")])
    assert sorted(p.name for p in folder.iterdir()) == [".qscore-output", "c.txt"]
    with pytest.raises(ValueError):
        write_folder_atomic(folder, [("../x.txt", "bad")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["名单"]  # nothing half-written left behind
    assert sorted(p.name for p in folder.iterdir()) == [".qscore-output", "c.txt"]
    with pytest.raises(FileExistsError):
        write_folder_atomic(folder, [("d.txt", "1"), ("d.txt", "2")])  # a clash never overwrites
    assert sorted(p.name for p in folder.iterdir()) == [".qscore-output", "c.txt"]


def test_a_folder_qscore_did_not_write_is_never_replaced(runner, tmp_path):
    mine = tmp_path / "out" / "反馈单"
    mine.mkdir(parents=True)
    (mine / "notes.docx").write_text("mine")
    res = runner.invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path / "out"), "--per-unit", "--quiet"])
    assert res.exit_code == 1 and "was not written by qscore" in res.output
    assert (mine / "notes.docx").read_text() == "mine"
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "名单").write_text("a file")
    res = runner.invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path / "f"), "--quiet"])
    assert res.exit_code == 1 and "is not a folder qscore wrote" in res.output
    assert (tmp_path / "f" / "名单").read_text() == "a file"


def test_os_errors_are_messages_not_tracebacks(runner, tmp_path):
    (tmp_path / "afile").write_text("x")
    res = runner.invoke(cli, ["export-templates", str(tmp_path / "afile" / "sub")])
    assert res.exit_code == 1 and res.output.startswith("error: ") and "Traceback" not in res.output


def test_bad_rubric_to_assess_exits_1(runner, tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("id: x\nid: y\n", encoding="utf-8")
    res = runner.invoke(cli, ["assess", str(SAMPLE), "--rubric", str(bad), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and "r.yaml:2: id: duplicate key `id`" in res.output


def test_every_command_is_documented_with_an_example():
    def walk(group, prefix=""):
        for name, cmd in group.commands.items():
            yield prefix + name, cmd
            if hasattr(cmd, "commands"):
                yield from walk(cmd, prefix + name + " ")

    for name, cmd in walk(cli):
        assert cmd.help, name
        if not hasattr(cmd, "commands"):
            assert "Example" in cmd.help, f"`qscore {name}` needs an example in its --help"


def test_help_does_not_import_pandas():
    import subprocess
    import sys

    code = "import sys; from qscore.cli import cli; sys.exit('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_summary_in_english(runner, tmp_path):
    res = runner.invoke(cli, ["assess", str(SAMPLE), "--out", str(tmp_path), "--lang", "en", "--no-documents"])
    assert res.exit_code == 0
    assert "2024年度基层党建工作量化考核: 1919 units, mean 90.86" in res.output
    assert "Top five" in res.output and f"wrote {tmp_path / '名单'}" in res.output and "已写出" not in res.output
