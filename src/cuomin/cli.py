"""The ``cuomin`` command line: thin wrappers that parse options, call the library
and render. Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or
input error — the same for every output format."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from . import __version__
from .check import FAIL_ON_CHOICES, check_inputs, exit_code
from .engine.scanner import Scanner
from .rules.loader import PackError

FORMATS = ("text", "json", "jsonl")


def _split(values) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def build_scanner(select=(), ignore=(), allow=(), packs=()) -> Scanner:
    """A Scanner from CLI options; pack problems become usage errors (exit 2)."""
    try:
        return Scanner(
            extra_packs=[Path(p) for p in packs],
            allow=[Path(a) for a in allow],
            select=_split(select),
            ignore=_split(ignore),
        )
    except PackError as exc:
        raise click.UsageError(str(exc)) from None


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


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@select_option
@ignore_option
@click.option("--date", "published", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Publication date for date-aware rules (default: today).")
@allow_option
@pack_option
@click.option("--encoding", help="Input encoding (default: UTF-8, else GB18030/GBK).")
@click.option("--stdin-name", default="<stdin>", show_default=True, help="Name shown for standard input.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
def check(paths, fmt, fail_on, select, ignore, published, allow, packs, encoding, stdin_name, color):
    """Check files (or standard input: - or no PATH) and report every finding."""
    scanner = build_scanner(select, ignore, allow, packs)
    results = []
    for result in check_inputs(scanner, paths or ["-"], published=published, encoding=encoding,
                               stdin_name=stdin_name):
        if result.error:
            click.echo(f"cuomin: {result.error}", err=True)
        results.append(result)
    colour = sys.stdout.isatty() if color is None else color
    if fmt == "text":
        from .render.text import render_text as render

        lines = render(results, colour=colour)
    else:
        from .render import json as json_render

        lines = json_render.render_json(results) if fmt == "json" else json_render.render_jsonl(results)
    for line in lines:
        click.echo(line, color=colour)
    sys.exit(exit_code(results, fail_on))


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@select_option
@ignore_option
@pack_option
@click.pass_context
def rules(ctx, fmt, select, ignore, packs):
    """List the loaded rules: code, category, severity, entry count, source."""
    ctx.obj = build_scanner(select, ignore, (), packs)
    if ctx.invoked_subcommand is not None:
        return
    from .render.rules import render_rules

    for line in render_rules(ctx.obj, fmt):
        click.echo(line)


@rules.command("show")
@click.argument("code")
@click.pass_obj
def rules_show(scanner: Scanner, code):
    """Explain one rule, with its entries and examples."""
    from .render.rules import render_rule

    try:
        info = scanner.rule(code)
    except KeyError:
        raise click.UsageError(f"no rule {code!r}; `cuomin rules` lists them") from None
    for line in render_rule(info):
        click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    main()
