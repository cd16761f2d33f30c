"""The notice (通报), rendered from jinja2 templates over a context derived from the
assessment (pure). Templates ship in qscore/templates; `--template-dir` puts a folder in
front of them, and a user template can extend a shipped one as "default/notice.md.j2"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..assessment import Assessment
from ..errors import QscoreError
from ..rounding import format_points
from ..summary import summarise
from .stamp import Stamp
from .tables import remarks
from .workbook import ranking_rules_text

SHIPPED = Path(__file__).resolve().parents[1] / "templates"


_MD_ESCAPES = {"\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
               "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_cell(value: object) -> str:
    """Text from the data made inert in Markdown: no table break (|), no emphasis or link,
    and no raw HTML (Markdown viewers render it); line breaks flattened."""
    text = "".join(_MD_ESCAPES.get(ch, ch) for ch in str(value))
    return " ".join(text.split())


def comment_text(value: object) -> str:
    """Text safe inside an HTML/Markdown comment: it can neither close the comment nor open markup."""
    text = " ".join(str(value).split())
    return re.sub(r"-(?=-)", "- ", text).replace("<", "&lt;").replace(">", "&gt;")


def _template_line(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line a rendering error happened at (jinja rewrites tracebacks
    so that template frames carry the template's file name and line)."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".html", ".md")):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def get_template(env: Any, name: str) -> Any:
    """env.get_template, with a template's syntax error as a QscoreError naming file and line."""
    import jinja2

    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise QscoreError(f"{exc.filename or name}:{exc.lineno}: template syntax error: {exc.message}; "
                          "fix the template or remove it from --template-dir") from None
    except jinja2.TemplateNotFound as exc:
        raise QscoreError(f"template {exc.name} not found (a template in --template-dir extends or includes it)") \
            from None


def render(template: Any, context: dict[str, Any]) -> str:
    """template.render, with an error in a template as a QscoreError naming file and line."""
    import jinja2

    try:
        return str(template.render(**context))
    except jinja2.TemplateError as exc:
        where = _template_line(exc)
        at = f"{where[0]}:{where[1]}" if where else (template.filename or template.name)
        raise QscoreError(f"{at}: template error: {exc.message or type(exc).__name__}; fix the template or "
                          "remove it from --template-dir") from None


def environment(template_dir: Path | None, html: bool) -> Any:
    import jinja2

    shipped = jinja2.FileSystemLoader(str(SHIPPED))
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(template_dir))] if template_dir else []
    loader = jinja2.ChoiceLoader([*loaders, shipped, jinja2.PrefixLoader({"default": shipped})])
    env = jinja2.Environment(loader=loader, undefined=jinja2.StrictUndefined, autoescape=html,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = md_cell
    env.filters["comment"] = comment_text
    return env


def common_problems(a: Assessment, limit: int = 10) -> list[dict[str, object]]:
    """Where most units lost points, most frequent first: indicators scored short and
    deductions (通报批评…). A score from votes (述职评议) is an appraisal, not a shortfall."""
    p = a.points
    appraisal = [k for k, ind in a.rubric.indicators.items() if ind.rule.type == "votes"]
    lost = ((p["kind"] == "item") & (p["points"] < p["max"]) & ~p["indicator"].isin(appraisal)) | \
        ((p["kind"] == "deduction") & (p["points"] < 0))
    items = p[lost.to_numpy()]
    counts = items.groupby("item", sort=False)["code"].nunique().sort_values(ascending=False, kind="stable")
    return [{"item": item, "units": int(n)} for item, n in counts.head(limit).items()]


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_text(value: str, lang: str = "zh") -> str:
    """2025-02-19 as an official document writes it: 2025年2月19日, or 19 February 2025;
    a deadline the rubric states in words stays as written."""
    m = _ISO_DATE.match(value)
    if not m:
        return value
    y, mo, d = (int(x) for x in m.groups())
    return f"{y}年{mo}月{d}日" if lang == "zh" else f"{d} {MONTHS[mo - 1]} {y}"


TITLES = {"zh": "关于{year}年度基层党建工作量化考核结果的通报",
          "en": "Notice on the results of the {year} quantitative assessment of grassroots Party building"}


def notice_context(a: Assessment, stamp: Stamp, lang: str = "zh") -> dict[str, Any]:
    """Everything a notice template shows, formatted as published; the same for every format."""
    r = a.rubric
    s = summarise(a)
    d = r.decimals
    def fmt(v: float) -> str:
        return "—" if v != v else str(format_points([v], d)[0])  # an empty category has no mean
    total_name = {"zh": "合计", "en": "Total"}[lang]
    categories = [{"name": total_name if i == len(s.by_category) - 1 else row["category"], "units": row["units"], "mean": fmt(row["mean"]),
                   "grades": [row[g] for g in r.grade_names]} for i, row in enumerate(s.by_category.to_dict("records"))]
    lists = []
    for rule in r.lists:
        rows = a.lists[a.lists["list"] == rule.key]
        by_cat: dict[str, list[str]] = {c.name: [] for c in r.categories}  # in the measure's order
        for name, cat in zip(rows["name"], rows["category"], strict=True):
            by_cat.setdefault(cat, []).append(name)
        by_cat = {k: v for k, v in by_cat.items() if v}
        deadlines = [date_text(x, lang) for x in sorted({x for x in rows["deadline"] if x})]
        lists.append({"name": rule.name, "count": len(rows), "by_category": by_cat, "reasons": list(rows["reason"]),
                      "units": list(rows["name"]), "deadline": ("、" if lang == "zh" else ", ").join(deadlines)})
    appendix = []
    for c in r.categories:
        u = a.units[a.units["category"] == c.key].sort_values("category_rank", kind="stable")
        appendix.append({"name": c.name, "rows": [
            {"place": int(p), "name": n, "total": fmt(t), "grade": g, "remarks": m}
            for p, n, t, g, m in zip(u["category_rank"], u["name"], u["total"], u["grade"], remarks(u, lang),
                                     strict=True)]})
    return {
        "title": TITLES[lang].format(year=r.year), "lang": lang,
        "issuer": r.issuer, "measure": r.title, "year": r.year, "date": stamp.date,
        "date_text": date_text(stamp.date.isoformat(), lang),
        "units": s.units, "mean": fmt(s.mean), "grade_names": list(r.grade_names), "categories": categories,
        "indices": [{"name": row["index"], "rate": f"{row['rate']:.1f}%", "units": int(row["units"])}
                    for _, row in s.indices.iterrows()],
        "lists": lists, "problems": common_problems(a), "rules": ranking_rules_text(a, lang),
        "not_scored": list(a.not_scored["name"]) if len(a.not_scored) else [],
        "appendix": appendix, "stamp": stamp,
    }


def template_name(kind: str, fmt: str, lang: str) -> str:
    """notice.md.j2 for Chinese, notice.en.md.j2 for English (and so on)."""
    return f"{kind}.{fmt}.j2" if lang == "zh" else f"{kind}.{lang}.{fmt}.j2"


def render_notice(a: Assessment, stamp: Stamp, fmt: str = "md", template_dir: Path | None = None,
                  lang: str = "zh") -> str:
    env = environment(template_dir, html=fmt == "html")
    return render(get_template(env, template_name("notice", fmt, lang)), notice_context(a, stamp, lang))

