"""The form and the ranking workbook open in LibreOffice (headless, converted to PDF).
.ci/run installs Debian's LibreOffice Calc; elsewhere the test is skipped, saying why."""

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from qscore.cli import cli

from conftest import SAMPLE

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(path, tmp_path):
    profile = tmp_path / "lo-profile"
    res = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                          str(path), "--outdir", str(tmp_path / "pdf")], capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "pdf" / (path.stem + ".pdf")
    assert res.returncode == 0 and pdf.exists() and pdf.stat().st_size > 1000, res.stdout + res.stderr
    return pdf


def test_form_opens(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("单位代码,单位名称,类别\n010001,城关镇某村党支部,农村\n020001,东关社区党委,社区\n", encoding="utf-8")
    form = tmp_path / "form.xlsx"
    assert CliRunner().invoke(cli, ["template", "--roster", str(roster), "--out", str(form)]).exit_code == 0
    convert(form, tmp_path)


def small_sample(path, units=60):
    """The sample's first units, every sheet, same layout (a 1,919-unit workbook takes minutes to convert)."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    wb_in = CalamineWorkbook.from_path(str(SAMPLE))
    rows = wb_in.get_sheet_by_name("自评表").to_python()
    keep = {r[0] for r in rows[3:3 + units]}
    wb = xlsxwriter.Workbook(str(path))
    for name in wb_in.sheet_names:
        ws = wb.add_worksheet(name)
        data = wb_in.get_sheet_by_name(name).to_python()
        out = data[:3] + [r for r in data[3:] if r and r[0] in keep] if name != "填报说明" else data
        for i, row in enumerate(out):
            ws.write_row(i, 0, row)
    wb.close()
    return path


def test_ranking_and_feedback_workbooks_open(tmp_path):
    sample = small_sample(tmp_path / "small.xlsx")
    res = CliRunner().invoke(cli, ["assess", str(sample), "--out", str(tmp_path / "out"), "--quiet"])
    assert res.exit_code == 0
    books = sorted((tmp_path / "out").glob("*.xlsx"))
    assert [b.name for b in books] == ["2024年度考核反馈单.xlsx", "2024年度考核排名表.xlsx"]
    for book in books:
        convert(book, tmp_path)
