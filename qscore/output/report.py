"""`qscore validate` reports: text grouped by unit, JSON, and for each workbook a copy with
the problem cells highlighted and commented plus a 问题清单 sheet, to send back to the unit."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from pathlib import Path

from ..problems import Problem
from ..validation import Report
from .safety import file_name, is_formula_like

_CELL = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_SEVERITY_ZH = {"error": "错误", "warning": "提醒", "info": "说明"}


def render_text(report: Report, lang: str = "zh", show_info: bool = False) -> str:
    shown = [p for p in report.problems if show_info or p.severity != "info"]
    by_unit: dict[str, list[Problem]] = defaultdict(list)
    for p in shown:
        by_unit[p.unit].append(p)
    lines: list[str] = []
    for unit in sorted(by_unit, key=lambda u: (u != "", u)):
        items = by_unit[unit]
        title = (f"单位 {unit}（{len(items)}个问题）" if lang == "zh" else f"unit {unit} ({len(items)} problem(s))") \
            if unit else ("文件" if lang == "zh" else "files")
        lines.append(title)
        for p in items:
            sev = _SEVERITY_ZH[p.severity] if lang == "zh" else p.severity
            lines.append(f"  {sev}: {p.text(lang)}")
    n_err, n_warn = len(report.errors), len(report.warnings)
    if lang == "zh":
        lines.append(f"共读取{len(report.files)}个文件、{report.units}个单位：{n_err}个错误，{n_warn}个提醒。"
                     + ("可以计分。" if report.ok else "请改正错误后重新报送。"))
    else:
        lines.append(f"{len(report.files)} file(s), {report.units} unit(s): {n_err} error(s), {n_warn} warning(s). "
                     + ("Ready to score." if report.ok else "Fix the errors and resend."))
    return "\n".join(lines) + "\n"


def render_json(report: Report, lang: str = "zh") -> str:
    doc = {"ok": report.ok, "files": [{"path": f.path, "sha256": f.sha256} for f in report.files],
           "units": report.units, "errors": len(report.errors), "warnings": len(report.warnings),
           "problems": [p.as_dict(lang) for p in report.problems]}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _safe(text: str) -> str:
    return "'" + text if is_formula_like(text) else text


def annotated_workbooks(report: Report, inputs: dict[str, bytes], lang: str = "zh") -> dict[str, bytes]:
    """File name -> bytes: for each input with problems, a copy with problem cells filled and
    commented and a 问题清单 sheet; inputs that are not .xlsx get the list alone."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    fills = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C"),
             "info": PatternFill("solid", fgColor="DDEBF7")}
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in report.problems:
        by_file[p.file].append(p)
    out: dict[str, bytes] = {}
    used: set[str] = set()
    for path, problems in by_file.items():
        if not path:
            continue
        data = inputs.get(path)
        wb = None
        if data is not None and Path(path).suffix.lower() in (".xlsx", ".xlsm"):
            try:
                wb = openpyxl.load_workbook(io.BytesIO(data))
            except Exception:  # a file we could not read gets the list alone
                wb = None
        if wb is None:
            wb = openpyxl.Workbook()
            wb.remove(wb.active)
        else:
            for p in problems:
                m = _CELL.match(p.cell)
                if not (m and p.sheet in wb.sheetnames):
                    continue
                cell = wb[p.sheet][p.cell]
                cell.fill = fills[p.severity]
                text = p.text(lang)
                cell.comment = Comment(text[:2000], "qscore", width=320, height=120)
        ws = wb.create_sheet("问题清单", 0)
        head = (["序号", "级别", "代码", "单位", "工作表", "位置", "问题", "说明", "怎么改"] if lang == "zh" else
                ["No.", "Level", "Code", "Unit", "Sheet", "Where", "Problem", "Detail", "What to do"])
        ws.append(head)
        for i, p in enumerate(problems, start=1):
            d = p.as_dict(lang)
            ws.append([i, _SEVERITY_ZH[p.severity] if lang == "zh" else p.severity, p.code, _safe(p.unit),
                       _safe(p.sheet), d["cell"], d["title"], _safe(d["message"]), d["fix"]])
            for c in ws[ws.max_row]:
                c.data_type = "s" if isinstance(c.value, str) else c.data_type  # never a formula
        for c in ws[1]:
            c.font = Font(bold=True)
        for col, width in zip("ABCDEFGHI", (6, 6, 22, 10, 12, 10, 18, 50, 36), strict=True):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=2):
            row[7].alignment = Alignment(wrap_text=True)
        ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        name = file_name(Path(path).stem) + "-问题清单.xlsx"
        n = 2
        while name in used:
            name = file_name(Path(path).stem) + f"-问题清单({n}).xlsx"
            n += 1
        used.add(name)
        out[name] = buf.getvalue()
    return out
