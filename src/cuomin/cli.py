"""The ``cuomin`` command line: thin wrappers that parse options, call the library
and render. Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or
input error — the same for every output format."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from pathlib import Path

import click

from . import __version__
from .engine.scanner import Scanner
from .models import FAIL_ON_CHOICES, SEVERITY_CHOICES
from .render import CHECK_FORMATS, render_check


def _split(values) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


select_option = click.option(
    "--select", multiple=True, metavar="CODES", help="Only these codes, code prefixes or categories (comma-separated)."
)
ignore_option = click.option(
    "--ignore", multiple=True, metavar="CODES", help="Skip these codes, code prefixes or categories (comma-separated)."
)
allow_option = click.option(
    "--allow", multiple=True, type=click.Path(dir_okay=False), help="Allow-list file: phrases never reported."
)
pack_option = click.option(
    "--pack", "packs", multiple=True, type=click.Path(), help="Extra rule pack (file or directory of *.toml)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cuomin")
def main():
    """cuomin (错敏): find sensitive and erroneous content in Chinese government texts."""


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
    help="Configuration file (default: cuomin.toml or [tool.cuomin] in pyproject.toml, searched upward).",
)
isolated_option = click.option("--isolated", is_flag=True, help="Use no configuration file.")
fail_on_option = click.option(
    "--fail-on", type=click.Choice(FAIL_ON_CHOICES), default=None,
    help="Lowest severity that makes the exit code 1  [default: error, or fail_on of the configuration]",
)
date_option = click.option("--date", "published", callback=_parse_date, metavar="YYYY-MM-DD",
                           help="Publication date for date-aware rules (default: today).")


def _settings(config_path, isolated, select=(), ignore=(), fail_on=None, allow=(), packs=(), published=None):
    """Effective settings: configuration file, then these options; errors exit 2."""
    from .config import ConfigError, resolve

    try:
        return resolve(config=config_path, isolated=isolated, select=_split(select) or None,
                       ignore=_split(ignore) or None, fail_on=fail_on, allow=list(allow), packs=list(packs),
                       date=published)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


no_cache_option = click.option("--no-cache", is_flag=True, help="Build the rule set instead of loading it from the cache.")


def rule_set_options(command):
    """The options every command that scans shares: which rules, which allow-lists,
    which configuration file."""
    for option in reversed([select_option, ignore_option, allow_option, pack_option, config_option, isolated_option,
                            no_cache_option]):
        command = option(command)
    return command


def _rule_set(config_path, isolated, select, ignore, allow, packs, no_cache, fail_on=None, published=None):
    """(settings, scanner): the configuration file and these options, and the Scanner
    they describe (from the on-disk cache when it holds one). Problems exit 2."""
    from .config import ConfigError

    settings = _settings(config_path, isolated, select, ignore, fail_on, allow, packs, published)
    try:
        scanner = settings.build_scanner(use_cache=not no_cache)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    # The rule set is most of this process's objects and lives until it ends: out of
    # the garbage collector's sight, full collections no longer walk it and forked
    # --jobs workers do not copy its pages by touching it (3% of a 20 MB scan).
    gc.freeze()
    return settings, scanner


jobs_option = click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
                           help="Processes at work (reading and checking): this one and N-1 workers "
                                "(0: one per CPU it may use, at most 8).")


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text", show_default=True)
@fail_on_option
@date_option
@rule_set_options
@click.option("--fix", is_flag=True, help="Apply unambiguous single suggestions and print the fixed text.")
@click.option("--write", is_flag=True, help="With --fix: rewrite .txt/.md files in place (original kept as FILE.bak).")
@click.option("--record", "record_path", type=click.Path(dir_okay=False), metavar="FILE.md",
              help="Also write a sign-off record (三审三校) to FILE.md.")
@click.option("--encoding", help="Input encoding (default: UTF-8, else GB18030/GBK).")
@click.option("--stdin-name", default="<stdin>", show_default=True,
              help="Name shown for standard input; its suffix picks the reader (.md, .html, .docx, .doc).")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@jobs_option
def check(paths, fmt, fail_on, published, select, ignore, allow, packs, config_path, isolated, no_cache, fix, write,
          record_path, encoding, stdin_name, color, jobs):
    """Check files, directories (walked; .cuominignore honoured) or standard input
    (- or no PATH): .txt, .md, .html, .docx, .doc, .wps, .rtf, .pdf, .xlsx, .xls. See docs/cli-check.md."""
    from .check import check_inputs, exit_code  # (here: the other commands never read documents)

    if write and not fix:
        raise click.UsageError("--write needs --fix")
    settings, scanner = _rule_set(config_path, isolated, select, ignore, allow, packs, no_cache, fail_on, published)
    results = []
    # --date judges every input at that date; else a web page is judged at its own
    # publication date, and anything else at the configuration's date (or today)
    for result in check_inputs(scanner, paths or ["-"], published=published, default_date=settings.date,
                               encoding=encoding, stdin_name=stdin_name, skip=settings.allow_files(), jobs=jobs):
        if result.error:
            click.echo(f"cuomin: {result.error}", err=True)
        results.append(result)
    colour = sys.stdout.isatty() if color is None else color
    if fix:
        from .fix import fix_message, fix_results, fixed_output

        outcomes = fix_results(scanner, results, write=write)
        for message in filter(None, map(fix_message, outcomes)):
            click.echo(f"cuomin: {message}", err=True)
        results = [o.remaining for o in outcomes]
        if not write:
            click.echo(fixed_output(outcomes), nl=False)
    if not fix or write:
        for line in render_check(results, fmt, colour=colour, scanner=scanner):
            click.echo(line, color=colour)
    if record_path:
        from .render.record import render_record, write_record

        write_record(Path(record_path), render_record(results, scanner, fail_on=settings.fail_on,
                                                      published=settings.date, config_file=settings.config_file))
    sys.exit(exit_code(results, settings.fail_on))


@main.command("config")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@fail_on_option
@date_option
@rule_set_options
def config_command(fmt, fail_on, published, select, ignore, allow, packs, config_path, isolated, no_cache):
    """Print the effective configuration and where each value came from."""
    from .render.config import render_settings

    # building the rule set makes a configuration whose packs or selectors are wrong exit 2 here too
    settings, _ = _rule_set(config_path, isolated, select, ignore, allow, packs, no_cache, fail_on, published)
    for line in render_settings(settings, fmt):
        click.echo(line)


output_option = click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE, not standard output.")
encoding_option = click.option("--encoding", help="Encoding of text inputs (default: UTF-8, else GB18030/GBK).")


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rule_set_options
@click.pass_context
def rules(ctx, fmt, select, ignore, allow, packs, config_path, isolated, no_cache):
    """List the loaded rules: code, category, severity, entry count, source."""

    def rule_set() -> Scanner:
        return _rule_set(config_path, isolated, select, ignore, allow, packs, no_cache)[1]

    if ctx.invoked_subcommand is not None:
        ctx.obj = rule_set  # built by the subcommands that use it
        return
    from .render.rules import render_rules

    for line in render_rules(rule_set(), fmt):
        click.echo(line)


@rules.command("show")
@click.argument("code")
@click.pass_obj
def rules_show(rule_set, code):
    """Explain one rule, with its entries and examples."""
    from .render.rules import render_rule

    scanner = rule_set()
    try:
        info = scanner.rule(code)
    except KeyError:
        raise click.UsageError(f"no rule {code!r}; `cuomin rules` lists them") from None
    for line in render_rule(info):
        click.echo(line)


def _rule_code(ctx, param, value):
    import re

    from .rules.schema import CODE_RE

    if not re.fullmatch(CODE_RE, value.upper()):
        raise click.BadParameter(f"{value!r}: 2–5 letters and 3–4 digits, e.g. LOC101")
    return value.upper()


@rules.command("roster")
@click.argument("paths", nargs=-1, required=True)
@click.option("--code", required=True, callback=_rule_code, help="The rule's code, e.g. LOC101 (2–5 letters, 3–4 digits).")
@click.option("--source", required=True, help="Where the roster comes from, e.g. 县委组织部任免通知（2024年）.")
@click.option("--name", "rule_name", default="领导职务与姓名搭配错误", show_default=True, help="The rule's name.")
@click.option("--reason", default="领导职务与姓名搭配错误", show_default=True, help="The findings' message.")
@click.option("--severity", type=click.Choice(SEVERITY_CHOICES), default="error", show_default=True,
              help="A title the person never held, or a misspelt name.")
@click.option("--off-term-severity", type=click.Choice(SEVERITY_CHOICES), default="warning", show_default=True,
              help="A title the person held at another date.")
@output_option
@encoding_option
def rules_roster(paths, code, source, rule_name, reason, severity, off_term_severity, output, encoding):
    """A roster pack from a table of leaders: one row per post, with the columns 姓名, 职务,
    简称 (optional), 任职日期 and 免职日期 (either may be blank). Rows that cannot be used are
    reported and left out (exit 2); the rest make the pack."""
    from .rules.loader import PackError
    from .supervision.rostertable import read_roster_table, roster_pack

    table = read_roster_table(paths, encoding=encoding, on_problem=_report_problem)
    if not table.people:
        raise click.UsageError("no usable row in the roster table: nothing to write")
    try:
        text = roster_pack(table, code=code, name=rule_name, reason=reason, source=source, severity=severity,
                           off_term_severity=off_term_severity, origin=", ".join(Path(p).name for p in paths))
    except PackError as exc:
        raise click.UsageError(str(exc)) from None
    _write_output(text, output, "toml")
    left_out = f"；{len(table.problems)} 行未能使用（原因见上）" if table.problems else ""
    click.echo(f"名单：{len(table.people)} 人，{table.rows} 条任职{left_out}。", err=True)
    sys.exit(2 if table.problems else 0)


# ---------------------------------------------------------------- supervision
# scan / report / ledger: thin wrappers over cuomin.supervision and render.tables.
def _report_problem(problem) -> None:
    click.echo(f"cuomin: {problem}", err=True)


def _open_ledger(path, must_exist: bool = False):
    from .supervision.ledger import Ledger, LedgerError

    if must_exist and not Path(path).exists():
        raise click.UsageError(f"no ledger at {path} (record one with `cuomin scan --ledger {path}`)")
    try:
        return Ledger(path)
    except LedgerError as exc:
        raise click.UsageError(str(exc)) from None


def _write_output(data, output, fmt: str) -> None:
    """Text or bytes to ``output`` (a file) or standard output; CSV files get a BOM
    so that Excel reads the Chinese correctly."""
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise click.UsageError("XLSX is binary: give -o FILE.xlsx (or redirect standard output)")
    if output is not None:
        if isinstance(data, bytes):
            Path(output).write_bytes(data)
        else:
            Path(output).write_text(data, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        click.echo(data, nl=False)


ledger_option = click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False), metavar="DB",
                             help="Rectification ledger (SQLite file), e.g. cuomin.db.")
report_format_option = click.option(
    "--format", "fmt", type=click.Choice(["md", "csv", "xlsx", "json"]), default="md", show_default=True
)
as_of_option = click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD", help="Check date (default: today).")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv"]), default="jsonl", show_default=True)
@jobs_option
@ledger_option
@click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Date this scan is recorded under in the ledger (default: today).")
@fail_on_option
@rule_set_options
@encoding_option
@output_option
def scan(paths, fmt, jobs, ledger_path, as_of, fail_on, select, ignore, allow, packs, config_path, isolated, no_cache,
         encoding, output):
    """Scan posts (JSON Lines, JSON array or API replies, CSV, XLSX or XLS, a mirrored
    website's pages; a directory: the files of posts in it) and list every finding with
    its post."""
    from .render.posts import render_scan
    from .supervision.scan import ScanRun

    settings, scanner = _rule_set(config_path, isolated, select, ignore, allow, packs, no_cache, fail_on)
    ledger = _open_ledger(ledger_path) if ledger_path else None
    run = ScanRun(paths, scanner, jobs=jobs, ledger=ledger, as_of=as_of, encoding=encoding, fail_on=settings.fail_on,
                  on_problem=_report_problem)
    out = open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") if output else sys.stdout
    try:
        for chunk in render_scan(run, fmt, run.summary):
            out.write(chunk)
    finally:
        if output:
            out.close()
        if ledger is not None:
            ledger.close()
    click.echo(run.summary_line(), err=True)
    sys.exit(run.exit_code())


@main.group()
def report():
    """Supervision reports: per-account counts (accounts), column freshness (columns), service guides (guides)."""


@report.command("accounts")
@click.argument("paths", nargs=-1)
@ledger_option
@click.option("--from", "date_from", callback=_parse_date, metavar="YYYY-MM-DD", help="First publication date counted.")
@click.option("--to", "date_to", callback=_parse_date, metavar="YYYY-MM-DD", help="Last publication date counted.")
@click.option("--deadline", callback=_parse_date, metavar="YYYY-MM-DD", help="Rectification deadline.")
@as_of_option
@click.option("--count-severity", multiple=True, default=("error,warning",), show_default=True, metavar="LIST",
              help="Severities that count (comma-separated: error, warning, info).")
@click.option("--include-suspected", is_flag=True, help="Count suspected (疑似) findings too, not only confirmed ones.")
@click.option("--all-accounts", is_flag=True, help="List accounts without counted findings too.")
@report_format_option
@output_option
@jobs_option
@rule_set_options
@encoding_option
def report_accounts(paths, ledger_path, date_from, date_to, deadline, as_of, count_severity, include_suspected,
                    all_accounts, fmt, output, jobs, select, ignore, allow, packs, config_path, isolated, no_cache,
                    encoding):
    """The bulletin's per-account table, from post files or from a ledger."""
    from .render.tables import render_accounts
    from .supervision.accounts import CountPolicy, report_from_files, report_from_ledger

    if bool(paths) == bool(ledger_path):
        raise click.UsageError("give post files or --ledger DB (one of them)")
    severities = _split(count_severity)
    unknown = sorted(set(severities) - {"error", "warning", "info"})
    if unknown or not severities:
        raise click.BadParameter(f"unknown severity {', '.join(unknown) or '(none)'}", param_hint="--count-severity")
    policy = CountPolicy(frozenset(severities), include_suspected)
    common = dict(date_from=date_from, date_to=date_to, deadline=deadline, as_of=as_of,
                  include_clean=all_accounts, keep_details=fmt == "xlsx")
    if ledger_path:
        with _open_ledger(ledger_path, must_exist=True) as ledger:
            result = report_from_ledger(ledger, policy, **common)
    else:
        _, scanner = _rule_set(config_path, isolated, select, ignore, allow, packs, no_cache)
        result = report_from_files(paths, scanner, policy, jobs=jobs, encoding=encoding,
                                   on_problem=_report_problem, **common)
    _write_output(render_accounts(result, fmt), output, fmt)
    if result.duplicate_posts:
        click.echo(f"cuomin: {result.duplicate_posts} posts were given more than once (the same account and id: "
                   "overlapping exports?) and their findings counted each time; give each post once, or scan "
                   "into a ledger (--ledger), which keeps one", err=True)
    if result.unattributed:
        click.echo(f"cuomin: {result.unattributed} findings in posts without an account (账号名称) were not counted",
                   err=True)
    sys.exit(2 if result.skipped_rows or result.unreadable_files else 0)


@report.command("columns")
@click.argument("paths", nargs=-1, required=True)
@click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD", required=True, help="Check date.")
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Freshness thresholds (TOML; default: the national indicators).")
@click.option("--from", "date_from", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Start of the counting period (default: the quarter of --as-of).")
@click.option("--to", "date_to", callback=_parse_date, metavar="YYYY-MM-DD", help="End of the counting period.")
@report_format_option
@click.option("--detail", is_flag=True, help="Also list every column with its counts (md, csv).")
@output_option
@encoding_option
@jobs_option
def report_columns(paths, as_of, rules_path, date_from, date_to, fmt, detail, output, encoding, jobs):
    """Column freshness: the failing-units table (部门 | 存在问题 | 检查结果)."""
    from .render.tables import render_columns
    from .supervision.columns import FreshnessConfigError, freshness_report, load_config

    try:
        config = load_config(Path(rules_path) if rules_path else None)
    except FreshnessConfigError as exc:
        raise click.UsageError(str(exc)) from None
    result = freshness_report(paths, as_of, config, date_from=date_from, date_to=date_to, encoding=encoding,
                              on_problem=_report_problem, jobs=jobs)
    _write_output(render_columns(result, fmt, detail), output, fmt)
    sys.exit(2 if result.skipped_rows or result.unreadable_files else 0)


@report.command("guides")
@click.argument("paths", nargs=-1, required=True)
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Key elements and placeholders (TOML; default: the national indicators).")
@click.option("--forms-dir", type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="Where form files named by relative paths are (default: each guides file's directory).")
@report_format_option
@click.option("--detail", is_flag=True, help="List every guide, not only the failing ones (md, csv).")
@output_option
@encoding_option
def report_guides(paths, rules_path, forms_dir, fmt, detail, output, encoding):
    """Service guides (办事指南): missing elements and unusable forms (部门 | 事项名称 | 存在问题 | 检查结果)."""
    from .render.tables import render_guides
    from .supervision.guides import GuideConfigError, guide_report, load_guide_config

    try:
        config = load_guide_config(Path(rules_path) if rules_path else None)
    except GuideConfigError as exc:
        raise click.UsageError(str(exc)) from None
    result = guide_report(paths, config, forms_dir=forms_dir, encoding=encoding, on_problem=_report_problem)
    _write_output(render_guides(result, fmt, detail), output, fmt)
    sys.exit(2 if result.skipped_rows or result.unreadable_files else 0)


@main.group()
def ledger():
    """The rectification ledger (整改台账): review marks and listings."""


@ledger.command("mark")
@click.argument("fingerprint")
@click.option("--false-positive", "decision", flag_value="false_positive", help="Not a real problem: never counted.")
@click.option("--accepted", "decision", flag_value="accepted", help="A real problem (counts even if suspected).")
@click.option("--by", "reviewer", required=True, metavar="NAME", help="Reviewer's name.")
@click.option("--note", default="", help="Why.")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False), metavar="DB", default="cuomin.db",
              show_default=True, envvar="CUOMIN_LEDGER", help="Rectification ledger (SQLite file).")
def ledger_mark(fingerprint, decision, reviewer, note, ledger_path):
    """Record a reviewer's decision on a finding (a unique fingerprint prefix will do)."""
    from .supervision.ledger import LedgerError
    from .supervision.records import DECISION_LABELS

    if decision is None:
        raise click.UsageError("say --false-positive or --accepted")
    with _open_ledger(ledger_path, must_exist=True) as db:
        try:
            row = db.mark(fingerprint, decision, reviewer, note)
        except LedgerError as exc:
            raise click.UsageError(str(exc)) from None
    click.echo(f"{row.fingerprint} {DECISION_LABELS[decision]}（{reviewer}）: {row.account} {row.post_id} "
               f"{row.code} {row.text}")


@ledger.command("list")
@click.option("--account", help="Only this account (账号名称).")
@click.option("--status", type=click.Choice(["已整改", "未整改", "逾期未整改", "误报", "确认"]),
              help="Only findings with this status or review decision.")
@click.option("--code", "codes", multiple=True, metavar="CODES", help="Only these codes, prefixes or categories.")
@click.option("--deadline", callback=_parse_date, metavar="YYYY-MM-DD", help="Rectification deadline.")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False), metavar="DB", default="cuomin.db",
              show_default=True, envvar="CUOMIN_LEDGER", help="Rectification ledger (SQLite file).")
def ledger_list(account, status, codes, deadline, as_of, fmt, ledger_path):
    """List the findings in the ledger with their status."""
    from .render.tables import aligned, csv_text, json_text, ledger_table
    from .supervision.ledger import filter_status

    with _open_ledger(ledger_path, must_exist=True) as db:
        rows = list(filter_status(db.rows(account=account, codes=_split(codes)), status, deadline, as_of))
    if fmt == "json":
        click.echo(json_text([r.to_dict(deadline, as_of) for r in rows]))
    elif fmt == "csv":
        click.echo(csv_text(ledger_table(rows, deadline, as_of)), nl=False)
    else:
        for line in aligned(ledger_table(rows, deadline, as_of)):
            click.echo(line)
        click.echo(f"共 {len(rows)} 条。")


if __name__ == "__main__":  # pragma: no cover
    main()
