"""The catalogue of problems found in returns. Each kind has a stable kebab-case code, a
title and what to do, in Chinese (default) and English; docs/problems.md is generated from
this catalogue (`python -m qscore.docs`) and a test keeps the two in step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Kind:
    code: str
    severity: Severity
    title_zh: str
    title_en: str
    fix_zh: str
    fix_en: str
    example: str


CATALOGUE: dict[str, Kind] = {k.code: k for k in (
    Kind("unreadable-file", "error", "文件无法读取", "file cannot be read",
         "请另存为 .xlsx 后重新报送", "save it again as .xlsx and resend",
         "returns/2024.xlsx: not a spreadsheet (zero bytes)"),
    Kind("unsafe-file", "error", "文件不安全，已拒绝读取", "unsafe file refused",
         "请用 Excel 打开后另存为新的 .xlsx 文件再报送", "open it in Excel, save it as a new .xlsx and resend",
         "returns/2024.xlsx: xl/worksheets/sheet1.xml 含有 XML 实体声明（可被用于攻击）"),
    Kind("missing-sheet", "error", "缺少工作表", "sheet missing",
         "请使用下发的模板，不要重命名或删除工作表", "use the issued form; do not rename or delete its sheets",
         "returns/2024.xlsx: no sheet named 自评表 (found: Sheet1)"),
    Kind("missing-header", "error", "找不到表头行", "header row not found",
         "请保留模板的表头行，不要合并或删除", "keep the form's header row",
         "returns/2024.xlsx › 自评表: no row holds the header 单位代码 in the first 30 rows"),
    Kind("missing-column", "error", "缺少必填列", "required column missing",
         "请补上该列（表头须与模板一致）", "add the column with the form's header",
         "returns/2024.xlsx › 自评表 › row 3: no column 支委会次数"),
    Kind("missing-unit-code", "error", "缺少单位代码", "unit code missing",
         "请填写单位代码", "fill in the unit code", "returns/2024.xlsx › 自评表 › A57: empty"),
    Kind("duplicate-unit", "error", "单位重复", "unit listed twice",
         "同一单位只保留一行", "keep one row per unit", "returns/2024.xlsx › 自评表 › A9: 1001 also in A8"),
    Kind("unknown-unit", "error", "单位不在自评表中", "unit not in the returns",
         "请核对单位代码", "check the unit code", "returns/2024.xlsx › 述职评议 › A12: 9999"),
    Kind("unknown-category", "error", "类别无法识别", "category not recognised",
         "请从下拉选项中选择类别", "choose one of the categories", "returns/2024.xlsx › 自评表 › C8: 村委"),
    Kind("missing-value", "error", "必填项未填", "required value missing",
         "请填写该项；不适用的填“不涉及”（仅限允许不涉及的指标）",
         "fill it in; write 不涉及 only where the measure allows it", "returns/2024.xlsx › 自评表 › F12: empty"),
    Kind("not-a-number", "error", "不是数字", "not a number",
         "请填写阿拉伯数字，如 4", "write a number such as 4", "returns/2024.xlsx › 自评表 › F12: \"若干\""),
    Kind("not-a-whole-number", "error", "次数不是整数", "count is not a whole number",
         "次数、人数请填写整数", "counts are whole numbers", "returns/2024.xlsx › 自评表 › F12: 3.5"),
    Kind("not-a-boolean", "error", "不是“是/否”", "not yes/no",
         "请填写“是”或“否”", "write 是 or 否", "returns/2024.xlsx › 自评表 › D12: \"部分\""),
    Kind("not-a-level", "error", "不是可选等级", "not one of the levels",
         "请从下拉选项中选择", "choose one of the listed levels", "returns/2024.xlsx › 自评表 › H12: \"良\""),
    Kind("not-a-date", "error", "不是日期", "not a date",
         "请填写日期，如 2024-06-30", "write a date such as 2024-06-30", "returns/2024.xlsx › 自评表 › G12: \"六月底\""),
    Kind("out-of-range", "error", "超出合理范围", "out of range",
         "请核对数值", "check the value", "returns/2024.xlsx › 自评表 › F12: 400 (at most 366)"),
    Kind("ambiguous-percent", "error", "比例填写不明确", "percentage is ambiguous",
         "请填写 95% 或 0.95", "write 95% or 0.95", "returns/2024.xlsx › 自评表 › K12: 95"),
    Kind("not-applicable-not-allowed", "error", "该项不允许填“不涉及”", "不涉及 not allowed here",
         "该指标适用于所有单位，请填写实际情况", "this indicator applies to every unit: give the value",
         "returns/2024.xlsx › 自评表 › F12: 不涉及"),
    Kind("not-in-roster", "error", "单位不在名册中", "unit not in the roster",
         "请核对单位代码，或先更新单位名册", "check the code, or update the roster first",
         "returns/2024.xlsx › 自评表 › A12: 019999"),
    Kind("not-submitted", "error", "未报送", "no return received",
         "请督促该单位报送", "ask the unit to send its return", "名册 › A8: 010123 城关镇某村党支部"),
    Kind("failed-check", "error", "数据前后矛盾", "values contradict each other",
         "请核对相关数据", "check the related values", "returns/2024.xlsx › 自评表 › W12: 实缴党费 5000 高于应缴党费 4800"),
    Kind("self-score-too-high", "error", "自评得分超过该项分值", "self-score above the item's points",
         "自评得分不能超过该项分值", "a self-score cannot exceed the item's points",
         "returns/2024.xlsx › 自评表 › AB12: 支委会自评6分，该项满分5分"),
    Kind("formula-without-value", "error", "公式没有计算结果", "formula without a computed value",
         "请在 Excel 或 WPS 中打开、重新计算并保存后再报送", "open it in Excel or WPS, recalculate, save and resend",
         "returns/2024.xlsx › 自评表 › F12: =SUM(B12:E12)"),
    Kind("hidden-sheet", "warning", "存在隐藏的工作表", "hidden sheet",
         "请确认隐藏内容无误，或取消隐藏", "check or unhide it", "returns/2024.xlsx › 自评表: hidden"),
    Kind("hidden-row", "warning", "存在隐藏的行，已照常读取", "hidden rows were read as usual",
         "请确认隐藏的行确需报送", "check the hidden rows belong in the return", "returns/2024.xlsx › 自评表 › 第12行"),
    Kind("unknown-kind", "warning", "记录类型无法识别，未计入", "record kind not recognised, not counted",
         "请按规定的类型填写", "use one of the listed kinds", "returns/2024.xlsx › 督查问题 › C7: \"其他问题\""),
    Kind("normalised", "info", "已按规范值读取", "value normalised",
         "建议按规范格式填写", "prefer the plain form next time", "returns/2024.xlsx › 自评表 › F12: \"四次\" read as 4"),
)}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # what was found, with the value: “若干”
    file: str = ""
    sheet: str = ""
    cell: str = ""  # A1 reference on the original sheet, or "第5行"
    unit: str = ""
    level: Severity | None = None  # overrides the kind's severity (--strict makes normalisations errors)
    message_en: str = ""  # the message in English (values and the rubric's labels stay as written)

    @property
    def kind(self) -> Kind:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return self.level or self.kind.severity

    def as_dict(self, lang: str = "zh") -> dict[str, str]:
        k = self.kind
        return {"code": self.code, "severity": self.severity, "file": self.file, "sheet": self.sheet,
                "cell": self.cell if lang == "zh" else _cell_en(self.cell), "unit": self.unit,
                "title": k.title_zh if lang == "zh" else k.title_en, "message": self.message_in(lang),
                "fix": k.fix_zh if lang == "zh" else k.fix_en}

    def message_in(self, lang: str) -> str:
        return self.message_en if lang == "en" and self.message_en else self.message

    @property
    def where(self) -> str:
        return " › ".join(x for x in (self.file, self.sheet, self.cell) if x)

    def where_in(self, lang: str) -> str:
        return self.where if lang == "zh" else " › ".join(x for x in (self.file, self.sheet, _cell_en(self.cell)) if x)

    def text(self, lang: str = "zh") -> str:
        k = self.kind
        title, fix = (k.title_zh, k.fix_zh) if lang == "zh" else (k.title_en, k.fix_en)
        where = self.where_in(lang)
        where = f"{where}: " if where else ""
        sep = "；" if lang == "zh" else "; "
        return f"{where}[{self.code}] {title}{sep}{self.message_in(lang)}{sep}{fix}"


_ROW = re.compile(r"第(\d+)行")


def _cell_en(cell: str) -> str:
    """“第5行、7行” (a record's rows) as “row 5, 7”; an A1 reference as it is."""
    return _ROW.sub(r"row \1", cell).replace("行", "").replace("、", ", ")
