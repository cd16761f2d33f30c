"""Generate the bundled sample: synthetic year-end returns of the source city (1,919 units).

    python samples/generate.py            # rewrites samples/returns-2024.xlsx

Deterministic (fixed seed, fixed workbook timestamps): rerunning gives identical bytes.
The layout is the one real forms have: an instructions sheet first, then each sheet with a
title row and a unit/date row above a Chinese header. It does not import qscore, so the
sample is independent evidence for the tests. Hard cases are placed on purpose:

- 010001 and 010002 (农村): identical returns, an exact tie that shares a place;
- 080001 (医院): perfect with a provincial honour; 080002 and 080003: identical perfect
  returns, tied on place 2 exactly at the 好 quota boundary (floor(13 × 20%) = 2);
- 030001 (机关): exactly 90.00, on the 好 threshold; 030002: exactly 80.00, on 较好;
- 020001 (社区): otherwise excellent, secretary dealt with by judicial organs (veto);
- 040001 (国企): no member recruited three years running (veto);
- 010003 (农村): branch standardisation not met, so at most 较好 (grade cap);
- 050001 (非公企业): most duties neglected, 差 by score, on the 约谈 list;
- units writing 不涉及 for 党小组会 or 发展党员 (rescaled), and cells written as 「12次」,
  full-width digits, √/× and "95%" text, as staff write them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import xlsxwriter

SEED = 20241231
OUT = Path(__file__).with_name("returns-2024.xlsx")

CATEGORIES = [  # (code prefix, name, units)
    ("01", "农村", 820), ("02", "社区", 310), ("03", "机关", 260), ("04", "国企", 95),
    ("05", "非公企业", 224), ("06", "社会组织", 177), ("07", "学校", 20), ("08", "医院", 13),
]
TOWNS = ["城关镇", "东关街道", "西城街道", "南湖镇", "北山乡", "青石镇", "柳河乡", "河口镇",
         "桃源乡", "金沙镇", "白马乡", "红星街道", "龙泉镇", "凤凰街道", "长安镇", "永丰乡"]
SYLL = list("安宝昌成大德东丰福广和华惠吉嘉建金锦康乐利林隆明宁平庆瑞盛顺泰通旺文祥新兴阳永裕元长振正中")
BUREAUS = ["财政局", "教育局", "民政局", "交通运输局", "农业农村局", "自然资源局", "住建局", "卫健委",
           "水利局", "商务局", "文旅局", "统计局", "审计局", "司法局", "应急管理局", "市场监管局"]

RETURN_HEADERS = [
    "单位代码", "单位名称", "类别",
    "成立党建工作领导小组", "按期换届", "配备专职党务工作者", "制定年度党建工作计划", "支部标准化建设", "研究党建工作次数",
    "支部党员大会次数", "支委会次数", "党小组会次数", "党课次数", "主题党日次数", "召开组织生活会", "开展民主评议党员",
    "发展党员人数", "党员教育培训学时达标率", "群众满意率", "实行党员积分管理", "流动党员纳入管理",
    "应缴党费（元）", "实缴党费（元）", "活动阵地", "台账资料", "党务公开次数",
    "村集体经济收入（万元）", "暖心党建指数", "模范机关创建", "党建与生产经营融合评价得分", "双强六好", "六个好",
    "书记讲思政课次数", "双带头人书记比例",
    "书记抓党建述职", "党建责任清单落实", "落实意识形态工作责任制", "问题整改完成率",
    "书记被司法机关处理", "连续三年未发展党员", "发生重大安全责任事故", "材料弄虚作假", "本年度有人被问责", "备注",
]
FINDING_KINDS = [("三会一课未落实", 0.5), ("参会率低于80%", 0.35), ("党务公开不及时", 0.25),
                 ("党务公开不规范", 0.3), ("定期调度未按时报送", 0.2)]
RATE_COLUMNS = {"党员教育培训学时达标率", "群众满意率", "双带头人书记比例", "问题整改完成率"}


def unit_name(rng: np.random.Generator, cat: str, i: int) -> str:
    word = "".join(rng.choice(SYLL, 2))
    town = TOWNS[i % len(TOWNS)]
    return {
        "农村": f"{town}{word}村党支部", "社区": f"{town}{word}社区党委",
        "机关": f"市{BUREAUS[i % len(BUREAUS)]}第{i // len(BUREAUS) + 1}党支部",
        "国企": f"{word}集团第{i + 1}党支部", "非公企业": f"{word}科技有限公司党支部",
        "社会组织": f"市{word}行业协会党支部", "学校": f"市第{i + 1}中学党总支",
        "医院": f"市{word}医院党委",
    }[cat]


def perfect(code: str, name: str, cat: str) -> dict[str, object]:
    """A return that loses no point (specialities at their best for the category)."""
    row: dict[str, object] = dict.fromkeys(RETURN_HEADERS, "")
    row.update({"单位代码": code, "单位名称": name, "类别": cat})
    for h in ("成立党建工作领导小组", "按期换届", "配备专职党务工作者", "制定年度党建工作计划", "召开组织生活会",
              "开展民主评议党员", "实行党员积分管理", "流动党员纳入管理", "书记抓党建述职", "落实意识形态工作责任制"):
        row[h] = "是"
    for h in ("书记被司法机关处理", "连续三年未发展党员", "发生重大安全责任事故", "材料弄虚作假", "本年度有人被问责"):
        row[h] = "否"
    row.update({"支部标准化建设": "达标", "研究党建工作次数": 4, "支部党员大会次数": 4, "支委会次数": 12,
                "党小组会次数": 12, "党课次数": 4, "主题党日次数": 12, "发展党员人数": 2,
                "党员教育培训学时达标率": 1.0, "群众满意率": 0.98, "应缴党费（元）": 4800, "实缴党费（元）": 4800,
                "活动阵地": "标准", "台账资料": "规范", "党务公开次数": 4, "党建责任清单落实": "A",
                "问题整改完成率": 1.0})
    special = {"农村": ("村集体经济收入（万元）", 60), "社区": ("暖心党建指数", 100), "机关": ("模范机关创建", "示范"),
               "国企": ("党建与生产经营融合评价得分", 100), "非公企业": ("双强六好", "达标"),
               "社会组织": ("六个好", "达标"), "学校": ("书记讲思政课次数", 4), "医院": ("双带头人书记比例", 1.0)}[cat]
    row[special[0]] = special[1]
    return row


def diligence(rng: np.random.Generator) -> float:
    """0..1: most units work well; a tail of weak ones (about 1 in 12) loses many points."""
    return float(rng.beta(7, 1.5)) if rng.random() > 0.085 else float(rng.beta(1.2, 3.0))


def random_return(rng: np.random.Generator, code: str, name: str, cat: str, q: float) -> dict[str, object]:
    row = perfect(code, name, cat)
    lax = (1 - q) ** 1.5  # how much a unit lets slip

    def yes(p: float) -> str:
        return "是" if rng.random() < p else "否"

    for h in ("成立党建工作领导小组", "按期换届", "配备专职党务工作者", "制定年度党建工作计划", "召开组织生活会",
              "开展民主评议党员", "实行党员积分管理", "流动党员纳入管理", "书记抓党建述职", "落实意识形态工作责任制"):
        row[h] = yes(0.97 - 0.6 * lax)
    row["支部标准化建设"] = rng.choice(["达标", "基本达标", "未达标"],
                                  p=[0.85 - 0.5 * lax, 0.13 + 0.35 * lax, 0.02 + 0.15 * lax])
    row["研究党建工作次数"] = int(min(4, rng.binomial(5, 0.85 - 0.6 * lax)))
    row["支部党员大会次数"] = int(np.clip(4 - rng.poisson(0.3 + 3.0 * lax), 0, 4))
    row["支委会次数"] = int(12 - min(12, rng.poisson(0.4 + 9 * lax)))
    row["党小组会次数"] = "不涉及" if rng.random() < 0.06 else int(12 - min(12, rng.poisson(0.5 + 9 * lax)))
    row["党课次数"] = int(4 - min(4, rng.poisson(0.15 + 3 * lax)))
    row["主题党日次数"] = int(12 - min(12, rng.poisson(0.4 + 9 * lax)))
    row["发展党员人数"] = "不涉及" if rng.random() < 0.02 else int(rng.choice([0, 1, 2, 3], p=[0.12, 0.3, 0.4, 0.18]))
    row["党员教育培训学时达标率"] = round(float(np.clip(rng.normal(0.88 + 0.1 * q, 0.07), 0.5, 1.0)), 3)
    row["群众满意率"] = round(float(np.clip(rng.normal(0.93, 0.04), 0.7, 1.0)), 3)
    due = int(rng.integers(12, 400)) * 50
    row["应缴党费（元）"] = due
    row["实缴党费（元）"] = due if rng.random() < 0.9 else int(due * rng.uniform(0.8, 1.0))
    row["活动阵地"] = rng.choice(["标准", "基本标准", "无"], p=[0.85 - 0.5 * lax, 0.14 + 0.4 * lax, 0.01 + 0.1 * lax])
    row["台账资料"] = rng.choice(["规范", "较规范", "不规范", "无"],
                             p=[0.7 - 0.55 * lax, 0.25 + 0.15 * lax, 0.04 + 0.25 * lax, 0.01 + 0.15 * lax])
    row["党务公开次数"] = int(rng.choice([4, 4, 4, 3, 2], p=[0.6, 0.15, 0.1, 0.1, 0.05]))
    row["党建责任清单落实"] = rng.choice(["A", "B", "C", "D"],
                                   p=[0.6 - 0.45 * lax, 0.32, 0.07 + 0.25 * lax, 0.01 + 0.2 * lax])
    row["问题整改完成率"] = round(float(np.clip(rng.normal(0.9 + 0.08 * q, 0.08), 0.4, 1.0)), 2)
    row["本年度有人被问责"] = yes(0.015)
    if cat == "农村":
        row["村集体经济收入（万元）"] = round(float(rng.lognormal(2.6, 0.9)), 1)
    elif cat == "社区":
        row["暖心党建指数"] = round(float(np.clip(rng.normal(82, 8), 50, 100)), 1)
    elif cat == "机关":
        row["模范机关创建"] = rng.choice(["示范", "达标", "未达标"], p=[0.2, 0.72, 0.08])
    elif cat == "国企":
        row["党建与生产经营融合评价得分"] = int(rng.integers(70, 100))
    elif cat == "非公企业":
        row["双强六好"] = rng.choice(["达标", "未达标"], p=[0.26, 0.74])
    elif cat == "社会组织":
        row["六个好"] = rng.choice(["达标", "未达标"], p=[0.21, 0.79])
    elif cat == "学校":
        row["书记讲思政课次数"] = int(rng.choice([4, 3, 2], p=[0.7, 0.2, 0.1]))
    elif cat == "医院":
        row["双带头人书记比例"] = round(float(rng.choice([1.0, 0.95, 0.9, 0.85, 0.8])), 2)
    # the way staff actually type some cells
    r = rng.random()
    if r < 0.01:
        row["支委会次数"] = f"{row['支委会次数']}次"
    elif r < 0.015:
        row["党课次数"] = str(row["党课次数"]).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    elif r < 0.02:
        row["群众满意率"] = f"{float(row['群众满意率']) * 100:g}%"
    elif r < 0.025:
        row["召开组织生活会"] = "√" if row["召开组织生活会"] == "是" else "×"
    return row


def votes_for(rng: np.random.Generator, q: float) -> list[int]:
    voters = int(rng.integers(15, 60))
    lax = (1 - q) ** 1.5
    p = np.array([0.9 - 0.6 * lax, 0.08 + 0.25 * lax, 0.02 + 0.25 * lax, 0.005 + 0.1 * lax])
    counts = rng.multinomial(voters, p / p.sum())
    return [voters + int(rng.integers(0, 3)), *map(int, counts)]


def build() -> dict[str, list[list[object]]]:
    rng = np.random.default_rng(SEED)
    returns: list[dict[str, object]] = []
    votes: list[list[object]] = []
    findings: list[list[object]] = []
    honours: list[list[object]] = []
    criticisms: list[list[object]] = []
    for prefix, cat, n in CATEGORIES:
        for i in range(n):
            code = f"{prefix}{i + 1:04d}"
            name = unit_name(rng, cat, i)
            q = diligence(rng)
            row = random_return(rng, code, name, cat, q)
            v = votes_for(rng, q)
            # findings from daily supervision
            day = dt.date(2024, 1, 1)
            for kind, rate in FINDING_KINDS:
                for _ in range(int(rng.poisson(rate * (0.3 + 12 * (1 - q) ** 2)))):
                    when = day + dt.timedelta(days=int(rng.integers(0, 365)))
                    findings.append([code, name, when.isoformat(), kind, int(rng.choice([1, 1, 1, 2])),
                                     f"{when.month}月督查发现{kind}"])
            if rng.random() < 0.12:
                level = rng.choice(["乡镇", "县级", "市级", "省级"], p=[0.45, 0.35, 0.15, 0.05])
                honours.append([code, name, "先进基层党组织", level, "2024-07-01"])
                if rng.random() < 0.3:
                    honours.append([code, name, "党建品牌示范点", rng.choice(["乡镇", "县级"]), "2024-11-20"])
            if rng.random() < 0.03:
                level = rng.choice(["乡镇", "县直部门", "县委", "市级"], p=[0.5, 0.3, 0.15, 0.05])
                criticisms.append([code, name, level, "工作推进不力", "2024-09-15"])
            returns.append(row)
            votes.append([code, name, *v, 0])

    def by_code(code: str) -> int:
        return next(i for i, r in enumerate(returns) if r["单位代码"] == code)

    def set_unit(code: str, row: dict[str, object], vote: list[int]) -> None:
        k = by_code(code)
        returns[k] = row
        votes[k] = [code, row["单位名称"], *vote, 0]
        for rows in (findings, honours, criticisms):
            rows[:] = [x for x in rows if x[0] != code]

    all_good = [40, 40, 0, 0, 0]
    # exact tie: two identical village returns
    twin = random_return(rng, "010001", returns[by_code("010001")]["单位名称"], "农村", 0.9)
    twin["支委会次数"] = 11
    set_unit("010001", twin, [30, 27, 3, 0, 0])
    set_unit("010002", {**twin, "单位代码": "010002", "单位名称": returns[by_code("010002")]["单位名称"]},
             [30, 27, 3, 0, 0])
    # hospitals: one clear leader, then two identical units tied at the quota boundary
    for code in (f"08{i:04d}" for i in range(4, 14)):
        k = by_code(code)
        returns[k]["支委会次数"] = min(11, int(str(returns[k]["支委会次数"]).rstrip("次")))
    set_unit("080001", perfect("080001", returns[by_code("080001")]["单位名称"], "医院"), all_good)
    honours.append(["080001", returns[by_code("080001")]["单位名称"], "全省先进基层党组织", "省级", "2024-06-28"])
    for code in ("080002", "080003"):
        set_unit(code, perfect(code, returns[by_code(code)]["单位名称"], "医院"), all_good)
    # on the 好 threshold: daily 100, vote 100, year-end 80 -> 30 + 40 + 20 = 90.00
    organ = perfect("030001", returns[by_code("030001")]["单位名称"], "机关")
    organ.update({"按期换届": "否", "制定年度党建工作计划": "否", "支部标准化建设": "基本达标",
                  "活动阵地": "无", "台账资料": "无", "党建责任清单落实": "D"})  # -3 -3 -2 -4 -3 -5 = -20
    set_unit("030001", organ, all_good)
    # on the 较好 threshold: year-end 60 -> 30 + 30 + 20 = 80.00
    organ2 = {**organ, "单位代码": "030002", "单位名称": returns[by_code("030002")]["单位名称"],
              "支部党员大会次数": 0, "支委会次数": 4, "党课次数": 0, "主题党日次数": 4, "召开组织生活会": "否",
              "研究党建工作次数": 3}  # a further -5 -4 -4 -4 -2 -1 = -20
    set_unit("030002", organ2, all_good)
    # vetoes and a grade cap
    veto = perfect("020001", returns[by_code("020001")]["单位名称"], "社区")
    veto["书记被司法机关处理"] = "是"
    set_unit("020001", veto, all_good)
    k = by_code("040001")
    returns[k]["连续三年未发展党员"] = "是"
    returns[k]["发展党员人数"] = 0
    capped = perfect("010003", returns[by_code("010003")]["单位名称"], "农村")
    capped["支部标准化建设"] = "未达标"
    set_unit("010003", capped, all_good)

    # a unit in real difficulty: most duties neglected, poor votes, many findings -> 差 by score
    weak = perfect("050001", returns[by_code("050001")]["单位名称"], "非公企业")
    weak.update({"成立党建工作领导小组": "否", "按期换届": "否", "配备专职党务工作者": "否", "制定年度党建工作计划": "否",
                 "支部标准化建设": "基本达标", "研究党建工作次数": 1, "支部党员大会次数": 1, "支委会次数": 3,
                 "党小组会次数": 2, "党课次数": 1, "主题党日次数": 4, "召开组织生活会": "否", "开展民主评议党员": "否",
                 "发展党员人数": 0, "党员教育培训学时达标率": 0.55, "群众满意率": 0.82, "实行党员积分管理": "否",
                 "流动党员纳入管理": "否", "实缴党费（元）": 3600, "活动阵地": "无", "台账资料": "不规范",
                 "党务公开次数": 1, "双强六好": "未达标", "书记抓党建述职": "否", "党建责任清单落实": "D",
                 "落实意识形态工作责任制": "否", "问题整改完成率": 0.5})
    set_unit("050001", weak, [30, 8, 10, 8, 4])
    name = weak["单位名称"]
    for month, (kind, _) in zip((3, 5, 6, 8, 9, 11), FINDING_KINDS * 2, strict=False):
        findings.append(["050001", name, f"2024-{month:02d}-15", kind, 3, f"{month}月督查发现{kind}"])
    criticisms.append(["050001", name, "县委", "党建工作严重滞后", "2024-10-08"])

    return {
        "returns": [[r[h] for h in RETURN_HEADERS] for r in returns],
        "votes": votes,
        "findings": sorted(findings, key=lambda x: (x[0], x[2], x[3])),
        "honours": honours,
        "criticisms": criticisms,
    }


def write(data: dict[str, list[list[object]]], path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    wb.set_properties({"title": "2024年度基层党建工作考核汇总", "author": "qscore sample generator",
                       "created": dt.datetime(2025, 1, 10, 9, 0, 0)})
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                          "align": "center", "valign": "vcenter"})
    pct = wb.add_format({"num_format": "0.0%"})
    guide = wb.add_worksheet("填报说明")
    for r, line in enumerate([
        "2024年度基层党建工作考核自评表填报说明",
        "1. 请按“自评表”格式逐项填写，次数填写阿拉伯数字；是/否项填写“是”或“否”。",
        "2. 未划分党小组等不适用情形填写“不涉及”。",
        "3. 述职评议、督查问题、表彰奖励、通报批评由市委组织部汇总填写。",
    ]):
        guide.write_string(r, 0, line, title if r == 0 else None)
    guide.set_column(0, 0, 90)

    def sheet(name: str, heading: str, headers: list[str], rows: list[list[object]], widths: dict[int, int]) -> None:
        ws = wb.add_worksheet(name)
        ws.merge_range(0, 0, 0, min(len(headers) - 1, 12), heading, title)
        ws.write_string(1, 0, "填报单位：市委组织部（汇总）　　填报日期：2025年1月10日")
        ws.set_row(2, 36)
        for c, h in enumerate(headers):
            ws.write_string(2, c, h, head)
        for r, row in enumerate(rows, start=3):
            for c, v in enumerate(row):
                if v == "" or v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif headers[c] in RATE_COLUMNS:
                    ws.write_number(r, c, float(v), pct)
                else:
                    ws.write_number(r, c, float(v))
        ws.freeze_panes(3, 2)
        for c, w in widths.items():
            ws.set_column(c, c, w)

    sheet("自评表", "2024年度基层党建工作考核自评表", RETURN_HEADERS, data["returns"],
          {0: 10, 1: 30, **{c: 11 for c in range(2, len(RETURN_HEADERS))}})
    sheet("述职评议", "2024年度党组织书记抓基层党建述职评议票数统计",
          ["单位代码", "单位名称", "参评人数", "好", "较好", "一般", "差", "不了解"], data["votes"], {1: 30})
    sheet("督查问题", "2024年度日常督查发现问题清单",
          ["单位代码", "单位名称", "检查日期", "问题类型", "次数", "问题描述"], data["findings"], {1: 30, 3: 18, 5: 30})
    sheet("表彰奖励", "2024年度表彰奖励情况",
          ["单位代码", "单位名称", "表彰名称", "表彰级别", "表彰时间"], data["honours"], {1: 30, 2: 20})
    sheet("通报批评", "2024年度被通报批评情况",
          ["单位代码", "单位名称", "通报层级", "通报事由", "通报时间"], data["criticisms"], {1: 30})
    wb.close()


if __name__ == "__main__":
    write(build(), OUT)
    print(f"wrote {OUT}")
