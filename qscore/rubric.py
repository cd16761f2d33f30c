"""The rubric: a measure (考核评价办法) as typed, frozen objects, checked once at load time.

`load_rubric(path)` reads YAML strictly (see yamlsafe), validates it with pydantic and
then checks what a schema cannot: references between keys, each category's points adding
up to each part's scale, reason templates using only known placeholders. Every problem
is reported at once with its file, line and key path.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path as FsPath
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from .conditions import Condition, condition_refs
from .errors import RubricError, RubricIssue
from .model_base import Key, Points, Positive, Strict, Text
from .rules import RULE_TYPES, AnyRule
from .yamlsafe import LoadedYaml, Path, format_path, load_yaml

FORMAT_VERSION = 1


class Category(Strict):
    key: Key
    name: Text
    aliases: tuple[Text, ...] = ()


class Column(Strict):
    """A column of a return, found by its header or one of the aliases forms use."""

    label: Text
    aliases: tuple[Text, ...] = ()


class UnitColumns(Strict):
    code: Column = Column(label="单位代码", aliases=("组织代码", "代码", "编号"))
    name: Column = Column(label="单位名称", aliases=("党组织名称", "组织名称", "名称"))
    category: Column = Column(label="类别", aliases=("分类", "领域", "单位类别"))


class Table(Strict):
    """A sheet of the returns: `wide` has one row per unit; `list` has one row per record
    (a finding, a commendation) with a kind column, and fields count records by kind;
    `form` is one unit's own form (its code, name and category above the table) with one
    row per item: the item's name, its value and optionally a self-score and a remark."""

    sheet: Text
    aliases: tuple[Text, ...] = ()
    layout: Literal["wide", "list", "form"] = "wide"
    kind: Column | None = None
    amount: Column | None = None  # a 次数 column to add up instead of counting rows
    item: Column = Column(label="填报项目", aliases=("项目", "指标", "考核内容"))
    value: Column = Column(label="填报内容", aliases=("完成情况", "填报值", "数值", "实际完成"))
    self_score: Column = Column(label="自评得分", aliases=("自评分",))
    remark: Column = Column(label="备注", aliases=("说明",))
    required: bool = True

    @model_validator(mode="after")
    def _list_needs_kind(self) -> Table:
        if self.layout == "list" and self.kind is None:
            raise ValueError("a list table needs `kind: {label: ...}`, the column saying what each row records")
        if self.layout != "list" and (self.kind or self.amount):
            raise ValueError("`kind` and `amount` belong to list tables (layout: list)")
        return self


class FieldSpec(Strict):
    """An input value per unit: read from a column of a wide table, or counted in a list table."""

    label: Text
    aliases: tuple[Text, ...] = ()
    type: Literal["count", "number", "rate", "bool", "level", "text", "date"]
    table: Key = "returns"
    levels: tuple[Text, ...] | None = None
    count_of: tuple[Text, ...] | None = None  # list tables: kinds whose rows are counted
    min: float | None = None
    max: float | None = None
    percent: bool = False  # a bare number in this column is a percentage (95 means 95%)
    required: bool = True

    @model_validator(mode="after")
    def _shape(self) -> FieldSpec:
        if self.type == "level" and not self.levels:
            raise ValueError("a level field needs `levels: [...]`, the values a unit may choose")
        if self.type != "level" and self.levels:
            raise ValueError("`levels` belongs to fields of type: level")
        if self.count_of is not None and self.type != "count":
            raise ValueError("a field counted in a list table (count_of) must be of type: count")
        return self


class Reasons(Strict):
    full: Text | None = None
    deducted: Text | None = None


class Indicator(Strict):
    key: Key
    name: Text
    points: Points
    rule: AnyRule
    categories: tuple[Key, ...] | None = None  # None: common to all categories
    allow_na: bool = False  # 不涉及 allowed: the points leave the denominator and the part is rescaled
    self_score: Key | None = None  # a field holding the unit's own score for this item (自评得分)
    reasons: Reasons = Reasons()
    note: str = ""


class Dimension(Strict):
    key: Key
    name: Text
    part: Key | None = None
    indicators: tuple[Indicator, ...] = Field(min_length=1)


class Part(Strict):
    key: Key
    name: Text
    weight: float = Field(gt=0, le=1)
    scale: Positive | None = None  # points this part is scored out of; default: the rubric total


class Tier(Strict):
    field: Key
    points: Points
    label: Text | None = None


class AdjustmentGroup(Strict):
    key: Key
    name: Text
    tiers: tuple[Tier, ...] = Field(min_length=1)
    mode: Literal["highest", "each"] = "highest"  # highest: 就高不累计; each: points x count
    cap: Points | None = None


class Adjustments(Strict):
    cap: Points | None = None
    groups: tuple[AdjustmentGroup, ...] = ()


class Veto(Strict):
    key: Key
    name: Text
    when: Condition


class GradeCap(Strict):
    key: Key
    name: Text
    when: Condition
    grade: Text  # the best grade such a unit may get


class GradeBand(Strict):
    name: Text
    min: float | None = None  # None only for the lowest band
    quota: float | None = Field(default=None, gt=0, le=1)  # at most this share of the category


class Grades(Strict):
    bands: tuple[GradeBand, ...] = Field(min_length=2)
    quota_ties: Literal["include", "exclude"] = "include"
    quota_scope: Literal["category", "all"] = "category"


class RankKey(Strict):
    part: Key | None = None
    dimension: Key | None = None
    indicator: Key | None = None
    field: Key | None = None
    order: Literal["desc", "asc"] = "desc"

    @model_validator(mode="after")
    def _one(self) -> RankKey:
        if sum(x is not None for x in (self.part, self.dimension, self.indicator, self.field)) != 1:
            raise ValueError("a tie-break key names exactly one of part, dimension, indicator, field")
        return self

    @property
    def ref(self) -> tuple[str, str]:
        for kind in ("part", "dimension", "indicator", "field"):
            if getattr(self, kind) is not None:
                return kind, getattr(self, kind)
        raise AssertionError


class Ranking(Strict):
    tie_break: tuple[RankKey, ...] = ()
    vetoed_last: bool = True  # units under a veto are placed after all others (不参与正常排名)


class ListRule(Strict):
    key: Key
    name: Text
    when: Condition
    reason: Text
    deadline: Text | None = None
    within_days: int | None = Field(default=None, ge=1, le=3650)


class Check(Strict):
    """A rule between two fields of one unit, checked by `qscore validate`:
    e.g. dues paid not above dues due."""

    key: Key
    message: Text
    field: Key
    not_above: Key | None = None
    not_below: Key | None = None

    @model_validator(mode="after")
    def _one(self) -> Check:
        if (self.not_above is None) == (self.not_below is None):
            raise ValueError("give exactly one of `not_above`, `not_below` (the other field's key)")
        return self


class Index(Strict):
    key: Key
    name: Text
    when: Condition  # a unit counts towards the rate when this holds


class Rubric(Strict):
    qscore: Literal[1] = 1
    id: Key
    title: Text
    issuer: Text = ""
    year: int = Field(ge=1990, le=2200)
    version: Text = "1"
    total: Positive = 100
    decimals: int = Field(default=2, ge=0, le=4)
    rounding: Literal["half-up"] = "half-up"
    floor: float | None = 0.0  # a total never published below this; None: no floor
    categories: tuple[Category, ...] = Field(min_length=1)
    unit: UnitColumns = UnitColumns()
    tables: dict[Key, Table] = Field(min_length=1)
    fields: dict[Key, FieldSpec] = Field(min_length=1)
    parts: tuple[Part, ...] = ()
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    bonuses: Adjustments = Adjustments()
    deductions: Adjustments = Adjustments()
    vetoes: tuple[Veto, ...] = ()
    grade_caps: tuple[GradeCap, ...] = ()
    grades: Grades
    ranking: Ranking = Ranking()
    lists: tuple[ListRule, ...] = ()
    indices: tuple[Index, ...] = ()
    checks: tuple[Check, ...] = ()

    # Filled in by load_rubric: where it came from, for the stamp on every output.
    source: str = Field(default="", exclude=True)
    sha256: str = Field(default="", exclude=True)

    @property
    def effective_parts(self) -> tuple[Part, ...]:
        return self.parts or (Part(key="main", name="考核得分", weight=1.0, scale=self.total),)

    def part_scale(self, part: Part) -> float:
        return part.scale if part.scale is not None else self.total

    def part_of(self, dim: Dimension) -> str:
        return dim.part or self.effective_parts[0].key

    def iter_indicators(self) -> Iterator[tuple[Dimension, Indicator]]:
        for dim in self.dimensions:
            for ind in dim.indicators:
                yield dim, ind

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {ind.key: ind for _, ind in self.iter_indicators()}

    @cached_property
    def category_names(self) -> dict[str, str]:
        return {c.key: c.name for c in self.categories}

    @property
    def grade_names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.grades.bands)

    def applies(self, ind: Indicator, category: str) -> bool:
        return ind.categories is None or category in ind.categories

    @cached_property
    def field_needed_by(self) -> dict[str, frozenset[str]]:
        """Field key -> categories whose units must fill it in. A field read by a common
        indicator, a condition or the tie-break is needed from every category; one read
        only by category-specific indicators only from those; an unused field from none."""
        every = frozenset(c.key for c in self.categories)
        need: dict[str, set[str]] = {k: set() for k in self.fields}
        for _, ind in self.iter_indicators():
            for f in ind.rule.fields():
                need[f] |= set(ind.categories) if ind.categories is not None else every
        conds = [v.when for v in self.vetoes] + [c.when for c in self.grade_caps] + \
            [x.when for x in self.lists] + [x.when for x in self.indices]
        for cond in conds:
            for f in condition_refs(cond)["field"]:
                need[f] = set(every)
        for key in self.ranking.tie_break:
            if key.field:
                need[key.field] = set(every)
        for chk in self.checks:
            for f in (chk.field, chk.not_above or chk.not_below or ""):
                need[f] = need[f] | set()  # checked where given, required only by what scores it
        for _, ind in self.iter_indicators():
            if ind.self_score:
                need[ind.self_score] |= set(ind.categories) if ind.categories is not None else every
        for adj in (self.bonuses, self.deductions):
            for group in adj.groups:
                for tier in group.tiers:
                    need[tier.field] = set(every)  # a missing column must never count as "none"
        return {k: frozenset(v) for k, v in need.items()}

    @cached_property
    def display_names(self) -> dict[str, dict[str, str]]:
        """kind -> key -> the name people read, for describing conditions."""
        return {"field": self.field_labels, "indicator": {k: i.name for k, i in self.indicators.items()},
                "part": {p.key: p.name for p in self.effective_parts},
                "dimension": {d.key: d.name for d in self.dimensions}}

    @property
    def field_labels(self) -> dict[str, str]:
        return {k: f.label for k, f in self.fields.items()}


# ---------------------------------------------------------------- loading

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
COMMON_VARS = ("name", "points", "max", "lost")
LIST_VARS = ("name", "code", "category", "total", "grade", "place", "category_place",
             "category_size", "vetoes", "deductions", "list")


def template_names(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def _vocabulary() -> set[str]:
    words: set[str] = set()
    models: list[type[Strict]] = [Rubric, Category, Column, UnitColumns, Table, FieldSpec, Reasons,
                                  Indicator, Dimension, Part, Tier, AdjustmentGroup, Adjustments, Veto,
                                  GradeCap, GradeBand, Grades, RankKey, Ranking, ListRule, Index, Check,
                                  Condition, *RULE_TYPES]
    for m in models:
        for name, f in m.model_fields.items():
            words.add(f.alias or name)
    return words


def _hint_for(err: dict, loaded: LoadedYaml, path: Path, missing_here: list[str]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        # a required key missing beside it is the likeliest intent (stpe -> step), then any key
        close = difflib.get_close_matches(str(path[-1]), missing_here, n=1, cutoff=0.5) or \
            difflib.get_close_matches(str(path[-1]), sorted(_vocabulary()), n=1)
        return f"did you mean `{close[0]}`?" if close else "remove it or check its indentation"
    if kind == "missing":
        return f"add `{path[-1]}:`"
    if kind == "union_tag_invalid":
        return "type must be one of: " + ", ".join(r.model_fields["type"].annotation.__args__[0] for r in RULE_TYPES)  # type: ignore[union-attr]
    if kind == "union_tag_not_found":
        return "add `type:` (" + ", ".join(r.model_fields["type"].annotation.__args__[0] for r in RULE_TYPES) + ")"  # type: ignore[union-attr]
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return "write a plain number such as 0.5 (no units, no quotes)"
    if kind in ("bool_parsing", "bool_type"):
        return "write true or false"
    if kind == "literal_error":
        return "allowed: " + str(err.get("ctx", {}).get("expected", ""))
    return ""


def _data_path(loc: tuple, data: object) -> Path:
    """Map pydantic's error location onto the YAML document, dropping the union tags
    pydantic inserts (…rule.per_shortfall.step -> …rule.step)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part.endswith("_") and part[:-1] in node:
            node = node[part[:-1]]
            path.append(part[:-1])
        elif part == loc[-1] and isinstance(part, str) and not any(
            isinstance(v, str) and v == part for v in (node.values() if isinstance(node, dict) else [])
        ):
            path.append(part)  # a missing or unknown key: name it
    return tuple(path)


def _pydantic_issues(exc: ValidationError, loaded: LoadedYaml) -> list[RubricIssue]:
    issues = []
    seen = set()
    errors = exc.errors()
    missing: dict[Path, list[str]] = {}
    for err in errors:
        if err["type"] == "missing":
            p = _data_path(err["loc"], loaded.data)
            missing.setdefault(p[:-1], []).append(str(p[-1]))
    for err in errors:
        # an element that fails makes pydantic also call its (non-empty) list too short: noise
        if err["type"] == "too_short" and any(
                len(o["loc"]) > len(err["loc"]) and o["loc"][: len(err["loc"])] == err["loc"] for o in errors):
            continue
        path = _data_path(err["loc"], loaded.data)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown key `{path[-1]}`"
        elif err["type"] == "missing":
            msg = f"`{path[-1]}` is required here"
        elif err["type"] == "union_tag_invalid":
            msg = f"unknown rule type `{err['ctx'].get('tag', '')}`"
        key = (path, msg)
        if key in seen:
            continue
        seen.add(key)
        issues.append(RubricIssue(loaded.file, loaded.line_of(path), format_path(path), msg,
                                  _hint_for(err, loaded, path, missing.get(path[:-1], []))))
    return issues


def _dims_lookup(rubric: Rubric) -> dict[str, tuple[int, int]]:
    return {ind.key: (d, i) for d, dim in enumerate(rubric.dimensions) for i, ind in enumerate(dim.indicators)}


def _semantic_issues(r: Rubric, loaded: LoadedYaml) -> list[RubricIssue]:
    issues: list[RubricIssue] = []

    def add(path: Path, message: str, hint: str = "") -> None:
        issues.append(RubricIssue(loaded.file, loaded.line_of(path), format_path(path), message, hint))

    def unique(items: list[str], path_of, what: str) -> None:
        seen: dict[str, int] = {}
        for i, k in enumerate(items):
            if k in seen:
                add(path_of(i), f"{what} `{k}` is used twice", "give each a different key")
            seen[k] = i

    cats = {c.key for c in r.categories}
    unique([c.key for c in r.categories], lambda i: ("categories", i, "key"), "category key")
    unique([c.name for c in r.categories], lambda i: ("categories", i, "name"), "category name")
    unique([d.key for d in r.dimensions], lambda i: ("dimensions", i, "key"), "dimension key")
    flat = [(d, i, ind) for d, dim in enumerate(r.dimensions) for i, ind in enumerate(dim.indicators)]
    unique([ind.key for _, _, ind in flat], lambda j: ("dimensions", flat[j][0], "indicators", flat[j][1], "key"),
           "indicator key")
    unique([p.key for p in r.parts], lambda i: ("parts", i, "key"), "part key")
    unique([b.name for b in r.grades.bands], lambda i: ("grades", "bands", i, "name"), "grade")

    part_keys = {p.key for p in r.effective_parts}
    if r.parts:
        total_weight = round(sum(p.weight for p in r.parts), 9)
        if total_weight != 1:
            add(("parts",), f"part weights add up to {total_weight:g}, not 1", "make the weights sum to 1 (e.g. 0.3 + 0.5 + 0.2)")

    # tables and fields
    if "returns" not in r.tables:
        add(("tables",), "a table named `returns` is required: the sheet with one row per unit",
            "add `returns: {sheet: 自评表}`")
    elif r.tables["returns"].layout == "list":
        add(("tables", "returns", "layout"), "the `returns` table holds one unit per row (wide) or per form (form)")
    for key, f in r.fields.items():
        if f.table not in r.tables:
            add(("fields", key, "table"), f"unknown table `{f.table}`", "known: " + ", ".join(r.tables))
            continue
        layout = r.tables[f.table].layout
        if layout == "list" and f.count_of is None:
            add(("fields", key), f"`{f.table}` is a list table: this field needs `count_of: [...]`")
        if layout != "list" and f.count_of is not None:
            add(("fields", key, "count_of"), f"`count_of` only applies to list tables; `{f.table}` is {layout}")

    def need_field(path: Path, key: str, types: tuple[str, ...] | None = None) -> None:
        if key not in r.fields:
            close = difflib.get_close_matches(key, list(r.fields), n=1)
            add(path, f"unknown field `{key}`", f"did you mean `{close[0]}`?" if close else "declare it under `fields:`")
        elif types and r.fields[key].type not in types:
            add(path, f"field `{key}` is of type {r.fields[key].type}; this needs {' or '.join(types)}")

    numeric = ("count", "number", "rate")
    for d, dim in enumerate(r.dimensions):
        dpath: Path = ("dimensions", d)
        if dim.part is None and len(r.effective_parts) > 1:
            add((*dpath, "key"), "with several parts, each dimension needs `part:`", "known: " + ", ".join(part_keys))
        if dim.part is not None and dim.part not in part_keys:
            add((*dpath, "part"), f"unknown part `{dim.part}`", "known: " + ", ".join(part_keys))
        for i, ind in enumerate(dim.indicators):
            ipath: Path = (*dpath, "indicators", i)
            for c in ind.categories or ():
                if c not in cats:
                    add((*ipath, "categories"), f"unknown category `{c}`", "known: " + ", ".join(sorted(cats)))
            rule = ind.rule
            rpath: Path = (*ipath, "rule")
            kind = rule.type
            if kind == "all_or_nothing":
                need_field((*rpath, "field"), rule.field, ("bool",))
            elif kind == "levels":
                need_field((*rpath, "field"), rule.field, ("level",))
                spec = r.fields.get(rule.field)
                if spec and spec.levels and set(spec.levels) != set(rule.levels):
                    add((*rpath, "levels"), f"levels {list(rule.levels)} differ from field `{rule.field}` levels {list(spec.levels)}",
                        "score every level the form offers, and only those")
                if rule.levels and max(rule.levels.values()) != ind.points:
                    add((*rpath, "levels"), f"the best level gives {max(rule.levels.values()):g}, but the indicator is worth {ind.points:g}")
            elif kind == "votes":
                for k in rule.counts:
                    need_field((*rpath, "counts", k), k, ("count",))
                for k, v in rule.counts.items():
                    if not 0 <= v <= 1:
                        add((*rpath, "counts", k), f"coefficient {v:g} is outside 0..1")
            elif kind == "ratio":
                if rule.field:
                    need_field((*rpath, "field"), rule.field, ("rate",))
                else:
                    need_field((*rpath, "numerator"), rule.numerator or "", numeric)
                    need_field((*rpath, "denominator"), rule.denominator or "", numeric)
            else:
                need_field((*rpath, "field"), rule.field, numeric)
            if kind == "bands" and max(b.points for b in rule.bands) != ind.points:
                add((*rpath, "bands"), f"the top band gives {max(b.points for b in rule.bands):g}, but the indicator is worth {ind.points:g}")
            if kind == "rank" and rule.places and max(rule.places) != ind.points:
                add((*rpath, "places"), f"first place gives {max(rule.places):g}, but the indicator is worth {ind.points:g}")
            allowed = set(rule.variables) | set(COMMON_VARS)
            for which in ("full", "deducted"):
                text = getattr(ind.reasons, which)
                for name in template_names(text or ""):
                    if name not in allowed:
                        add((*ipath, "reasons", which), f"unknown placeholder {{{name}}}",
                            "allowed: " + ", ".join("{" + v + "}" for v in sorted(allowed)))

    # a field an indicator reads must be there: a blank must never be scored as anything
    for d, dim in enumerate(r.dimensions):
        for i, ind in enumerate(dim.indicators):
            for f in ind.rule.fields():
                spec = r.fields.get(f)
                if spec is None:
                    continue
                table = r.tables.get(spec.table)
                if table is not None and table.layout != "list" and (not spec.required or not table.required):
                    add(("dimensions", d, "indicators", i, "rule"),
                        f"field `{f}` is read by this indicator, so it and its table must be required",
                        "remove `required: false`, or use allow_na on the indicator for units it does not apply to")
    unique([p.name for p in r.parts], lambda i: ("parts", i, "name"), "part name")
    unique([dm.name for dm in r.dimensions], lambda i: ("dimensions", i, "name"), "dimension name")
    fixed = {"名次", "类别名次", "单位代码", "单位名称", "类别", "加分", "扣分", "总分", "等次", "说明"}
    part_names = {p.name for p in r.parts} | {f"{p.name}（{p.weight * 100:g}%）" for p in r.parts}
    for i, dm in enumerate(r.dimensions):
        # a dimension gets its own column unless it is the only one of its part (then the part's is shown)
        shown = len(r.effective_parts) == 1 or sum(r.part_of(x) == r.part_of(dm) for x in r.dimensions) > 1
        if shown and (dm.name in fixed or dm.name in part_names):
            add(("dimensions", i, "name"), f"dimension name “{dm.name}” is also a column of the ranking sheet",
                "give it another name")
    # each category's applicable points add up to each part's scale
    for p in r.effective_parts:
        scale = r.part_scale(p)
        wrong: dict[float, list[str]] = {}
        for c in r.categories:
            got = round(sum(ind.points for dim in r.dimensions if r.part_of(dim) == p.key
                            for ind in dim.indicators if r.applies(ind, c.key)), 9)
            if got != round(scale, 9):
                wrong.setdefault(got, []).append(f"{c.key} ({c.name})")
        for got, names in wrong.items():
            who = "every category" if len(names) == len(r.categories) else "category " + ", ".join(names)
            where: Path = ("parts", [q.key for q in r.parts].index(p.key)) if r.parts else ("dimensions",)
            add(where, f"for {who} the indicators of part `{p.key}` add up to {got:g}, not {scale:g}",
                "adjust the points, the indicators' categories, or the part's scale")

    for section in ("bonuses", "deductions"):
        adj: Adjustments = getattr(r, section)
        for g, group in enumerate(adj.groups):
            for t, tier in enumerate(group.tiers):
                need_field((section, "groups", g, "tiers", t, "field"), tier.field, ("count", "bool", "number"))

    grade_names = set(r.grade_names)
    bands = r.grades.bands
    for b, band in enumerate(bands[:-1]):
        if band.min is None:
            add(("grades", "bands", b, "min"), f"grade {band.name} needs `min:` (only the lowest grade has none)")
    if bands[-1].min is not None:
        add(("grades", "bands", len(bands) - 1, "min"), "the lowest grade takes every remaining unit: remove its `min`")
    if bands[-1].quota is not None:
        add(("grades", "bands", len(bands) - 1, "quota"), "the lowest grade cannot have a quota: units have nowhere lower to go")
    mins = [b.min for b in bands[:-1] if b.min is not None]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        add(("grades", "bands"), "grade bands must go from the highest `min` down")

    def check_condition(cond: Condition, path: Path, allow_grade: bool) -> None:
        refs = condition_refs(cond)
        for k in refs["field"]:
            need_field(path, k)
        for c in cond.walk():
            if c.field is None or c.field not in r.fields:
                continue
            spec = r.fields[c.field]
            numeric_test = any(getattr(c, t) is not None for t in ("at_least", "at_most", "above", "below"))
            if numeric_test and spec.type not in numeric:
                add(path, f"field `{c.field}` is of type {spec.type}: compare it with `is` or `in`, not a number")
            if spec.type == "bool" and (c.in_ is not None or (c.is_ is not None and not isinstance(c.is_, bool))):
                add(path, f"field `{c.field}` is yes/no: write `is: true` or `is: false`")
            if spec.type in numeric and (c.is_ is not None or c.in_ is not None):
                add(path, f"field `{c.field}` is a number: compare it with at_least/at_most/above/below")
            if spec.type == "level":
                given = [c.is_] if c.is_ is not None else list(c.in_ or ())
                for v in given:
                    if v not in (spec.levels or ()):
                        add(path, f"“{v}” is not one of the levels of `{c.field}`",
                            "levels: " + "、".join(spec.levels or ()))
        for k in refs["indicator"]:
            if k not in r.indicators:
                add(path, f"unknown indicator `{k}`")
        for k in refs["part"]:
            if k not in part_keys:
                add(path, f"unknown part `{k}`")
        for k in refs["dimension"]:
            if k not in {d.key for d in r.dimensions}:
                add(path, f"unknown dimension `{k}`")
        for g in refs["grade"]:
            if g not in grade_names:
                add(path, f"unknown grade `{g}`", "known: " + ", ".join(r.grade_names))
        if not allow_grade:
            for c in cond.walk():
                if c.subject in ("grade", "grade_in", "top", "bottom", "vetoed"):
                    add(path, f"`{c.subject.rstrip('_')}` cannot be used here: it is decided after this rule",
                        "use fields, indicators, parts, dimensions or the total")

    for i, v in enumerate(r.vetoes):
        check_condition(v.when, ("vetoes", i, "when"), allow_grade=False)
    for i, cap in enumerate(r.grade_caps):
        check_condition(cap.when, ("grade_caps", i, "when"), allow_grade=False)
        if cap.grade not in grade_names:
            add(("grade_caps", i, "grade"), f"unknown grade `{cap.grade}`", "known: " + ", ".join(r.grade_names))
    for i, lst in enumerate(r.lists):
        check_condition(lst.when, ("lists", i, "when"), allow_grade=True)
        for name in template_names(lst.reason):
            if name not in LIST_VARS:
                add(("lists", i, "reason"), f"unknown placeholder {{{name}}}",
                    "allowed: " + ", ".join("{" + v + "}" for v in LIST_VARS))
    unique([x.key for x in r.lists], lambda i: ("lists", i, "key"), "list key")
    for i, chk in enumerate(r.checks):
        need_field(("checks", i, "field"), chk.field, numeric)
        other = chk.not_above or chk.not_below or ""
        need_field(("checks", i, "not_above" if chk.not_above else "not_below"), other, numeric)
    for d, dim in enumerate(r.dimensions):
        for i, ind in enumerate(dim.indicators):
            if ind.self_score:
                need_field(("dimensions", d, "indicators", i, "self_score"), ind.self_score, ("number", "count"))
    for i, idx in enumerate(r.indices):
        check_condition(idx.when, ("indices", i, "when"), allow_grade=True)
    for i, key in enumerate(r.ranking.tie_break):
        kind, ref = key.ref
        known = {"part": part_keys, "dimension": {d.key for d in r.dimensions},
                 "indicator": set(r.indicators), "field": set(r.fields)}[kind]
        if ref not in known:
            add(("ranking", "tie_break", i, kind), f"unknown {kind} `{ref}`")
        elif kind == "field" and r.fields[ref].type not in numeric + ("bool",):
            add(("ranking", "tie_break", i, kind), f"field `{ref}` is not a number and cannot break ties")
    return issues


def parse_rubric(text: str, file: str = "<rubric>") -> Rubric:
    loaded = load_yaml(text, file)
    if not isinstance(loaded.data, dict):
        raise RubricError([RubricIssue(file, 1, "", "a rubric is a YAML mapping (key: value lines)")])
    try:
        rubric = Rubric.model_validate(loaded.data)
    except ValidationError as exc:
        raise RubricError(_pydantic_issues(exc, loaded)) from None
    issues = _semantic_issues(rubric, loaded)
    if issues:
        raise RubricError(issues)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return rubric.model_copy(update={"source": file, "sha256": digest})


def load_rubric(path: str | FsPath) -> Rubric:
    """Read and check a rubric file. Raises RubricError listing every problem."""
    p = FsPath(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RubricError([RubricIssue(str(p), None, "", f"cannot read the rubric: {exc.strerror or exc}")]) from None
    if len(raw) > 5_000_000:
        raise RubricError([RubricIssue(str(p), None, "", "the rubric is over 5 MB; a measure is a few hundred lines")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RubricError([RubricIssue(str(p), line, "", "the rubric is not UTF-8 text", "save it as UTF-8")]) from None
    return parse_rubric(text, str(p))
