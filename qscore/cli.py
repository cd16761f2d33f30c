"""The `qscore` command: parse options, call the library, print, set the exit code.

Exit codes: 0 ok; 1 invalid input or a failed check; 2 usage error. Heavy libraries
(pandas, openpyxl, xlsxwriter) are imported inside commands so `--help` stays instant.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_OUT = Path("qscore-output")
MAX_PROBLEMS_SHOWN = 60
NOTICE_FORMATS = ["md", "html", "docx"]
DEFAULT_NOTICE = ("md", "docx")
DOCUMENT_NAMES = {
    "zh": {"notice": "{year}年度考核结果通报", "feedback": "{year}年度考核反馈单", "feedback_folder": "反馈单",
           "page": "{year}年度考核结果"},
    "en": {"notice": "notice-{year}", "feedback": "feedback-{year}", "feedback_folder": "feedback",
           "page": "results-{year}"},
}
REPLACED_FOLDERS = ("名单", *(names["feedback_folder"] for names in DOCUMENT_NAMES.values()))


# ------------------------------------------------------------------ shared options

def rubric_option(f: F) -> F:
    return click.option("--rubric", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="The rubric (YAML). Default: the bundled city-2024 measure.")(f)


def date_option(f: F) -> F:
    return click.option("--date", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
                        help="Assessment date stamped on outputs and used for deadlines (YYYY-MM-DD). "
                             "Default: today. Fix it for byte-identical reruns.")(f)


def debug_option(f: F) -> F:
    return click.option("--debug", is_flag=True, help="Show the Python traceback of an unexpected error.")(f)


def template_dir_option(f: F) -> F:
    return click.option("--template-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                        help="A folder of jinja2 templates used before the shipped ones; a template there can "
                             'extend a shipped one as "default/notice.md.j2".')(f)


def roster_option(f: F) -> F:
    return click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="The units expected (单位名册: code, name, category): finds units missing or unknown.")(f)


def lang_option(f: F) -> F:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                        help="Language of the documents (notice, feedback, report page).")(f)


def per_unit_option(f: F) -> F:
    return click.option("--per-unit", is_flag=True,
                        help="Also write each unit's feedback sheet as a file of its own (反馈单/代码_名称.html).")(f)


def strict_option(f: F) -> F:
    return click.option("--strict", is_flag=True,
                        help="Treat normalised values (「4次」, full-width digits, √) as errors.")(f)


class _ReturnsPath(click.Path):
    """A file, a folder, or a quoted glob ("returns/*.xlsx") that matches something."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        import glob

        if isinstance(value, str) and glob.has_magic(value) and not Path(value).exists():
            if not glob.glob(value, recursive=True):
                self.fail(f"{value!r} matches no file.", param, ctx)
            return Path(value)
        return super().convert(value, param, ctx)


def returns_argument(f: F) -> F:
    return click.argument("returns", nargs=-1, required=True, type=_ReturnsPath(exists=True, path_type=Path))(f)


def handle_errors(f: F) -> F:
    """Turn library exceptions into messages and exit codes; a traceback only with --debug."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import InputError, QscoreError, RubricError

        debug = kwargs.get("debug", False)
        try:
            return f(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except RubricError as exc:
            for issue in exc.issues:
                click.echo(f"error: {issue}", err=True)
            click.echo(f"{len(exc.issues)} problem(s) in the rubric; nothing was scored.", err=True)
            sys.exit(1)
        except InputError as exc:
            print_problems(exc.problems, kwargs.get("lang") or "zh")
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except QscoreError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # a folder that cannot be made, a full disk, no permission
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"error: {exc.strerror or exc}{where}", err=True)
            sys.exit(1)
        except Exception as exc:
            if debug:
                raise
            click.echo(f"qscore: internal error: {type(exc).__name__}: {exc}\n"
                       "Please report it with the output of the same command run with --debug.", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def print_problems(problems: Any, lang: str = "zh") -> None:
    shown = [p for p in problems if p.severity != "info"]
    for p in shown[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"{p.severity}: {p.text(lang)}", err=True)
    if len(shown) > MAX_PROBLEMS_SHOWN:
        click.echo(f"… and {len(shown) - MAX_PROBLEMS_SHOWN} more.", err=True)


def _load(rubric_path: Path | None) -> Any:
    from .bundled import default_rubric
    from .rubric import load_rubric

    return load_rubric(rubric_path or default_rubric())


def _read(returns: tuple[Path, ...], rubric: Any, out: Path | None = DEFAULT_OUT) -> Any:
    """Read the returns (never qscore's own output folder), with a progress bar on stderr
    for long runs on a terminal."""
    from .reader import expand_inputs, read_returns

    paths = expand_inputs(returns, exclude=out)
    if len(paths) < 50 or not sys.stderr.isatty():
        return read_returns(paths, rubric)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("读取填报表"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("read", total=len(paths))
        return read_returns(paths, rubric, progress=lambda n: bar.advance(task, n))


def _roster(path: Path | None, rubric: Any) -> Any:
    if path is None:
        return None
    from .errors import InputError
    from .reader import read_roster
    from .validation import Roster

    units, problems = read_roster(path, rubric)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(f"the roster {path} has {len(errors)} problem(s); fix it first", errors)
    return Roster(units)


def _assess(rubric_path: Path | None, returns: tuple[Path, ...], as_of: dt.datetime | None,
            roster: Path | None = None, strict: bool = False, skip_invalid: bool = False,
            out: Path | None = DEFAULT_OUT) -> Any:
    """Read, validate, and score; invalid returns are refused, or left out with --skip-invalid."""
    import pandas as pd

    from .assessment import NOT_SCORED_COLUMNS, assess
    from .errors import InputError
    from .validation import validate, without_units

    rubric = _load(rubric_path)
    data = _read(returns, rubric, out)
    report = validate(rubric, data, _roster(roster, rubric), strict=strict)
    day = as_of.date() if as_of else dt.date.today()
    not_scored = None
    if not report.ok:
        bad = report.invalid_units()
        file_level = [p for p in report.errors if not p.unit]
        if not skip_invalid or file_level:
            hint = "" if skip_invalid else "; --skip-invalid scores the other units"
            raise InputError(f"{len(report.errors)} error(s) in the returns; run `qscore validate` for a report "
                             f"to send back{hint}", report.errors)
        rows = []
        for code in sorted(bad):
            reasons = "\n".join(p.text() for p in report.errors if p.unit == code)
            known = code in data.units.index
            rows.append([code, data.units.at[code, "name"] if known else "",
                         rubric.category_names.get(data.units.at[code, "category"], "") if known else "", reasons])
        not_scored = pd.DataFrame(rows, columns=NOT_SCORED_COLUMNS)
        data = without_units(data, sorted(bad))  # an error without a unit has raised above
    return assess(rubric, data, as_of=day, not_scored=not_scored), day


def _check_out_dir(out: Path, inputs: tuple[Path, ...]) -> None:
    target = out.resolve()
    for p in inputs:
        src = p.resolve()
        folder = src if src.is_dir() else src.parent
        if target in (folder, src):
            raise click.UsageError(
                f"--out {out} is where the input {p} is; outputs never go next to or over inputs. "
                "Choose another folder, e.g. --out qscore-output", ctx=None)
        # folders qscore replaces as a whole on every run
        for name in REPLACED_FOLDERS:
            if src.is_relative_to(target / name):
                raise click.UsageError(
                    f"the input {p} is inside {target / name}, which qscore replaces on every run; "
                    "move it elsewhere or choose another --out", ctx=None)


Outputs = dict[Path, "bytes | str | list[tuple[str, bytes | str]]"]  # a file's content, or a folder's files


def _render_documents(result: Any, stamp: Any, out: Path, notice_fmts: tuple[str, ...], per_unit: bool, lang: str,
                      template_dir: Path | None) -> Outputs:
    """The notice, the feedback sheets and the report page, rendered in memory, by the path
    each goes to."""
    from .output.page import render_page

    year = result.rubric.year
    names = DOCUMENT_NAMES[lang]
    docs: Outputs = {}
    for f in dict.fromkeys(notice_fmts):
        docs[out / f"{names['notice'].format(year=year)}.{f}"] = _notice_bytes(result, stamp, f, template_dir, lang)
    docs.update(_render_feedback(result, stamp, out, per_unit, lang, template_dir))
    docs[out / f"{names['page'].format(year=year)}.html"] = render_page(result, stamp, lang, template_dir)
    return docs


def _render_feedback(result: Any, stamp: Any, out: Path, per_unit: bool, lang: str, template_dir: Path | None,
                     codes: list[str] | None = None) -> Outputs:
    """The feedback sheets: all units' page and workbook, and a file per unit on request;
    with `codes`, only those units' files, straight into `out`."""
    from .output.feedback import (
        render_feedback_html,
        render_feedback_per_unit,
        render_feedback_workbook,
    )

    if codes is not None:
        return {out / name: page for name, page in render_feedback_per_unit(result, stamp, lang, template_dir, codes)}
    names = DOCUMENT_NAMES[lang]
    stem = names["feedback"].format(year=result.rubric.year)
    docs: Outputs = {out / f"{stem}.html": render_feedback_html(result, stamp, lang, template_dir),
                     out / f"{stem}.xlsx": render_feedback_workbook(result, stamp, lang)}
    if per_unit:
        docs[out / names["feedback_folder"]] = list(render_feedback_per_unit(result, stamp, lang, template_dir))
    return docs


def _write_outputs(outputs: Outputs) -> list[str]:
    """Write what was rendered: only once everything rendered, and only if every folder to
    replace is one qscore wrote, so a failed run leaves the previous outputs as they were."""
    from .output.atomic import check_replaceable, write_atomic, write_folder_atomic

    for path, content in outputs.items():
        if isinstance(content, list):
            check_replaceable(path)
    for path, content in outputs.items():
        if isinstance(content, list):
            write_folder_atomic(path, content)
        else:
            write_atomic(path, content)
    return [str(p) for p in outputs]


def _notice_bytes(result: Any, stamp: Any, fmt: str, template_dir: Path | None, lang: str) -> bytes | str:
    if fmt == "docx":
        from .output.notice_docx import render_notice_docx

        return render_notice_docx(result, stamp, template_dir, lang)
    from .output.notice import render_notice

    return render_notice(result, stamp, fmt, template_dir, lang)


# ------------------------------------------------------------------ commands

@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="qscore")
def cli() -> None:
    """Score, rank and grade grassroots party organisations from a YAML rubric and Excel returns.

    \b
    Try it on the bundled sample:
        qscore assess samples/returns-2024.xlsx
        qscore explain 030001 samples/returns-2024.xlsx
        qscore rubric show
    """


@cli.command()
@returns_argument
@rubric_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for the ranking workbook (created if missing).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a summary for people; json: every unit, item and reason on stdout, for machines.")
@date_option
@roster_option
@strict_option
@click.option("--skip-invalid", is_flag=True,
              help="Score the units whose returns are valid; list the others as not scored in every output.")
@click.option("--notice", "notice_fmts", type=click.Choice(NOTICE_FORMATS), multiple=True,
              help="Formats of the notice (通报) written to --out; repeat for several. Default: md and docx.")
@per_unit_option
@click.option("--no-documents", is_flag=True,
              help="Write only the ranking workbook and the lists (no notice, feedback or report page).")
@lang_option
@template_dir_option
@click.option("--quiet", is_flag=True, help="Print nothing but errors (the files are still written).")
@debug_option
@handle_errors
def assess(returns: tuple[Path, ...], rubric: Path | None, out: Path, fmt: str, as_of: dt.datetime | None,
           roster: Path | None, strict: bool, skip_invalid: bool, notice_fmts: tuple[str, ...], per_unit: bool,
           no_documents: bool, lang: str, template_dir: Path | None, quiet: bool, debug: bool) -> None:
    """Score, rank and grade every unit in RETURNS (workbooks or folders of them).

    Writes to --out: the ranking workbook (overall, per category, every point with its
    reason and source cell, the lists), each list as a workbook of its own (名单/), the
    notice (通报), the feedback sheets of every unit (反馈单) and an offline report page;
    prints a summary, or JSON with --format json. Refuses to score returns with errors
    and lists each with its file, sheet and cell.

    \b
    Examples:
        qscore assess samples/returns-2024.xlsx --out results/
        qscore assess returns/ --rubric rubrics/city-2024.yaml --date 2025-01-20
        qscore assess samples/returns-2024.xlsx --format json > results.json
    """
    _check_out_dir(out, returns)
    from rich.console import Console

    from .output.safety import file_name
    from .output.stamp import make_stamp
    from .output.workbook import render_list_workbooks, render_workbook

    if no_documents and (per_unit or notice_fmts):
        raise click.UsageError("--no-documents writes no notice and no feedback: drop --per-unit and --notice")
    result, day = _assess(rubric, returns, as_of, roster, strict, skip_invalid, out)
    stamp = make_stamp(result, day)
    outputs: Outputs = {
        out / file_name(f"{result.rubric.year}年度考核排名表.xlsx"): render_workbook(result, stamp),
        out / "名单": [(file_name(n), d) for n, d in render_list_workbooks(result, stamp).items()],
    }
    if not no_documents:
        outputs.update(_render_documents(result, stamp, out, notice_fmts or DEFAULT_NOTICE, per_unit, lang,
                                         template_dir))
    written = _write_outputs(outputs)
    if fmt == "json":
        from .output.jsonout import render_json

        click.echo(render_json(result, stamp), nl=False)
    elif not quiet:
        from .output.terminal import print_summary

        print_summary(Console(highlight=False, markup=False), result, written, lang)


@cli.command()
@returns_argument
@rubric_option
@roster_option
@strict_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "xlsx"]), default="text", show_default=True,
              help="text: a report grouped by unit; json: for machines; xlsx: for each workbook a copy with the "
                   "problem cells highlighted and commented and a 问题清单 sheet, written to --out.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the messages.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for --format xlsx.")
@debug_option
@handle_errors
def validate(returns: tuple[Path, ...], rubric: Path | None, roster: Path | None, strict: bool, fmt: str,
             lang: str, out: Path, debug: bool) -> None:
    """Check RETURNS and report every problem, grouped by unit, with file › sheet › cell.

    Exit 0 when there is no error, 1 when there is any.

    \b
    Examples:
        qscore validate returns/ --roster roster.xlsx
        qscore validate returns/2024.xlsx --format xlsx --out feedback/
    """
    from .output import report as render
    from .validation import validate as run_checks

    r = _load(rubric)
    data = _read(returns, r, out)
    result = run_checks(r, data, _roster(roster, r), strict=strict)
    if fmt == "json":
        click.echo(render.render_json(result, lang), nl=False)
    elif fmt == "xlsx":
        _check_out_dir(out, returns)
        from .output.atomic import write_atomic

        contents = {}
        for f in result.files:
            try:
                contents[f.path] = Path(f.path).read_bytes()
            except OSError:
                continue
        for name, data_ in render.annotated_workbooks(result, contents, lang).items():
            write_atomic(out / name, data_)
            click.echo(f"已写出：{out / name}" if lang == "zh" else f"wrote {out / name}")
        click.echo(render.render_text(result, lang).splitlines()[-1])
    else:
        click.echo(render.render_text(result, lang), nl=False)
    if not result.ok:
        sys.exit(1)


@cli.command()
@rubric_option
@roster_option
@click.option("--per-unit", is_flag=True, help="One form per roster unit (needs --roster), in a folder.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="The workbook to write, or the folder for --per-unit. "
                   "Default: qscore-output/<year>年度考核自评表.xlsx, or qscore-output/forms/.")
@click.option("--deadline", default="____年__月__日", show_default=True, help="Deadline printed in 填报说明.")
@date_option
@debug_option
@handle_errors
def template(rubric: Path | None, roster: Path | None, per_unit: bool, out: Path | None, deadline: str,
             as_of: dt.datetime | None, debug: bool) -> None:
    """Write the return form units fill in, generated from the rubric.

    A 填报说明 sheet explains every indicator's points and rule; the input sheet has the
    rubric's headers, one row per roster unit (or blank rows), dropdowns and ranges on every
    input cell, and locked headers. Forms filled within their dropdowns validate clean.

    \b
    Examples:
        qscore template --roster roster.xlsx --out 2024自评表.xlsx
        qscore template --roster roster.xlsx --per-unit --out forms/
    """
    from .output.atomic import write_atomic
    from .output.template import render_template, render_unit_form, unit_form_name

    r = _load(rubric)
    units = _roster(roster, r)
    created = as_of or dt.datetime(r.year + 1, 1, 1)
    if per_unit:
        if units is None:
            raise click.UsageError("--per-unit needs --roster: the forms are made for the units it lists.")
        folder = out or DEFAULT_OUT / "forms"
        for code, row in units.units.iterrows():
            data = render_unit_form(r, str(code), str(row["name"]), str(row["category"]), deadline=deadline,
                                    created=created)
            write_atomic(folder / unit_form_name(str(code), str(row["name"])), data)
        click.echo(f"已写出：{folder}（{len(units.units)}份）")
        return
    path = out or DEFAULT_OUT / f"{r.year}年度考核自评表.xlsx"
    if path.is_dir() or str(path).endswith(("/", "\\")):
        path = path / f"{r.year}年度考核自评表.xlsx"
    write_atomic(path, render_template(r, units.units if units else None, deadline=deadline, created=created))
    click.echo(f"已写出：{path}")


@cli.command()
@returns_argument
@rubric_option
@click.option("--format", "fmt", type=click.Choice(NOTICE_FORMATS), default="md", show_default=True,
              help="Markdown, a self-contained HTML page, or Word (GB/T 9704 layout; needs --out).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write. Default: stdout (md and html).")
@lang_option
@template_dir_option
@date_option
@debug_option
@handle_errors
def notice(returns: tuple[Path, ...], rubric: Path | None, fmt: str, out: Path | None, lang: str,
           template_dir: Path | None, as_of: dt.datetime | None, debug: bool) -> None:
    """Write the notice (通报) of the assessment of RETURNS: summary figures, the lists, the
    most common problems, requirements and deadlines, the ranking rules, and the ranking per
    category as an appendix.

    \b
    Examples:
        qscore notice samples/returns-2024.xlsx --date 2025-01-20 > 通报.md
        qscore notice samples/returns-2024.xlsx --format html --out 通报.html
        qscore notice samples/returns-2024.xlsx --format docx --out 通报.docx --template-dir 模板/
    """
    from .output.stamp import make_stamp

    if fmt == "docx" and out is None:
        raise click.UsageError("--format docx writes a file: add --out 通报.docx")
    result, day = _assess(rubric, returns, as_of)
    text = _notice_bytes(result, make_stamp(result, day), fmt, template_dir, lang)
    if out is None:
        click.echo(text, nl=False)
        return
    if any(out.resolve() == p.resolve() for p in returns):
        raise click.UsageError(f"--out {out} is an input; outputs never go over inputs.")
    from .output.atomic import write_atomic

    write_atomic(out, text)
    click.echo(f"已写出：{out}", err=True)


@cli.command()
@returns_argument
@rubric_option
@click.option("--unit", "units", multiple=True, metavar="CODE_OR_NAME",
              help="Only this unit (repeat for several). Default: every unit.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for the feedback files (created if missing).")
@per_unit_option
@lang_option
@template_dir_option
@date_option
@debug_option
@handle_errors
def feedback(returns: tuple[Path, ...], rubric: Path | None, units: tuple[str, ...], out: Path, per_unit: bool,
             lang: str, template_dir: Path | None, as_of: dt.datetime | None, debug: bool) -> None:
    """Write the feedback sheets (反馈单) of RETURNS: for each unit its total, places, grade,
    every point lost with its reason and source cell, and each dimension against its
    category's average; one printable page for all units, a workbook, and with --per-unit
    a file for each unit.

    \b
    Examples:
        qscore feedback samples/returns-2024.xlsx --per-unit --out 反馈/
        qscore feedback samples/returns-2024.xlsx --unit 050001 --out 反馈/
    """
    from .output.stamp import make_stamp

    _check_out_dir(out, returns)
    if units and per_unit:
        raise click.UsageError("--unit writes a file per unit already: drop --per-unit")
    result, day = _assess(rubric, returns, as_of)
    codes = [_unit_code(result, u) for u in units] if units else None
    outputs = _render_feedback(result, make_stamp(result, day), out, per_unit, lang, template_dir, codes)
    for p in _write_outputs(outputs):
        click.echo(f"已写出：{p}" if lang == "zh" else f"wrote {p}", err=True)


def _unit_code(result: Any, unit: str) -> str:
    """The code of a unit given by code or exact name, or a message with the closest matches."""
    from .errors import QscoreError

    hits = list(result.units.index[result.units["name"] == unit])
    if len(hits) > 1 and unit not in result.units.index:
        raise QscoreError(f"“{unit}” is the name of {len(hits)} units ({', '.join(map(str, hits))}); "
                          "give the code instead")
    try:
        return str(result.unit(unit))
    except KeyError:
        import difflib

        names = list(result.units.index) + list(result.units["name"])
        close = difflib.get_close_matches(unit, names, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise QscoreError(f"no unit with code or name “{unit}” in the returns.{hint}") from None


@cli.command("export-templates")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite templates already in FOLDER.")
@debug_option
@handle_errors
def export_templates(folder: Path, force: bool, debug: bool) -> None:
    """Copy the shipped templates (notice in Markdown, HTML and Word; feedback; report page)
    into FOLDER to edit: add the department's letterhead to notice.docx in Word or WPS,
    keep the {{ }} tags, then pass the folder with --template-dir.

    \b
    Example:
        qscore export-templates 模板/ && qscore assess samples/returns-2024.xlsx --template-dir 模板/
    """
    from .output.atomic import write_atomic
    from .output.notice import SHIPPED

    shipped = sorted(p for p in SHIPPED.iterdir() if p.suffix in (".j2", ".docx"))
    clashes = [p.name for p in shipped if (folder / p.name).exists()]
    if clashes and not force:
        raise click.UsageError(f"{folder} already has {', '.join(clashes)}; add --force to overwrite them")
    for p in shipped:
        write_atomic(folder / p.name, p.read_bytes())
        click.echo(f"已写出：{folder / p.name}")


@cli.command()
@click.argument("unit")
@returns_argument
@rubric_option
@date_option
@debug_option
@handle_errors
def explain(unit: str, returns: tuple[Path, ...], rubric: Path | None, as_of: dt.datetime | None,
            debug: bool) -> None:
    """Print how UNIT (a code or exact name) scored: every item, its reason and source cell.

    \b
    Example:
        qscore explain 030001 samples/returns-2024.xlsx
    """
    from rich.console import Console

    from .output.terminal import print_unit

    result, _ = _assess(rubric, returns, as_of)
    code = _unit_code(result, unit)
    print_unit(Console(highlight=False, markup=False, width=160), result, code)


@cli.group()
def rubric() -> None:
    """Check, show or describe rubric files."""


@rubric.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@debug_option
@handle_errors
def rubric_check(file: Path, debug: bool) -> None:
    """Report every problem in FILE with its line and key path; exit 1 if there is any.

    \b
    Example:
        qscore rubric check rubrics/city-2024.yaml
    """
    r = _load(file)
    n = len(r.indicators)
    click.echo(f"ok: {file}: {r.title} ({r.id} v{r.version}), {len(r.dimensions)} dimensions, "
               f"{n} indicators, {len(r.categories)} categories")


@rubric.command("show")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@debug_option
@handle_errors
def rubric_show(file: Path | None, debug: bool) -> None:
    """Print the measure in FILE (default: the bundled one) as readable tables.

    \b
    Example:
        qscore rubric show rubrics/city-2024.yaml
    """
    from rich.console import Console

    from .output.terminal import print_rubric

    print_rubric(Console(highlight=False, markup=False, width=140), _load(file))


@rubric.command("schema")
def rubric_schema() -> None:
    """Print the JSON Schema of rubric files, for editors' autocompletion.

    \b
    Example:
        qscore rubric schema > rubric.schema.json
    """
    import json

    from .rubric import Rubric

    click.echo(json.dumps(Rubric.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))


def main() -> None:
    cli(prog_name="qscore")
