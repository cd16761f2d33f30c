"""Documentation generated from the code, so it cannot drift:

    python -m qscore.docs      # rewrites docs/problems.md from the problem catalogue
"""

from __future__ import annotations

from pathlib import Path

from .problems import CATALOGUE


def problems_markdown() -> str:
    lines = [
        "# 问题代码一览 (problem codes)",
        "",
        "qscore 读取和检查填报表时发现的每一类问题都有一个固定的代码。每条提示都写明位置（文件 › 工作表 › 单元格）、",
        "发现了什么、怎么改。本页由 `python -m qscore.docs` 根据 `qscore/problems.py` 生成，请勿手工修改。",
        "",
        "Each problem qscore reports in returns has a stable code. This page is generated from",
        "`qscore/problems.py` by `python -m qscore.docs`; do not edit it by hand.",
        "",
        "| 代码 code | 级别 severity | 问题 | what | 怎么改 | what to do | 示例 example |",
        "|---|---|---|---|---|---|---|",
    ]
    for k in CATALOGUE.values():
        cells = [f"`{k.code}`", k.severity, k.title_zh, k.title_en, k.fix_zh, k.fix_en, k.example]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", "级别：error 必须改正后才能计分；warning 提醒核对；info 表示已按规范值读取（`--strict` 时视为错误）。", ""]
    return "\n".join(lines)


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "docs" / "problems.md"
    out.write_text(problems_markdown(), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
