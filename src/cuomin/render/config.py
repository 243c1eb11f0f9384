"""``cuomin config``: the effective configuration, each value with where it came from.

The text form is valid TOML (a ``cuomin.toml`` you could save) with the source of
each value as a comment; ``--format json`` gives the same as data.
"""

from __future__ import annotations

import json
from typing import Iterable

from ..config import AllowFile, Settings


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a TOML basic string


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def render_settings(s: Settings, fmt: str = "text") -> Iterable[str]:
    if fmt == "json":
        yield json.dumps(s.as_dict(), ensure_ascii=False, indent=2)
        return
    yield "# cuomin effective configuration (生效配置)"
    yield f"# configuration file: {s.config_file if s.config_file else 'none (defaults and command line only)'}"
    yield f"select = {_list(s.select)}  # {s.sources['select']}{' (empty: every rule)' if not s.select else ''}"
    yield f"ignore = {_list(s.ignore)}  # {s.sources['ignore']}"
    yield f"fail_on = {_q(s.fail_on)}  # {s.sources['fail_on']}"
    if s.date is not None:
        yield f"date = {s.date.isoformat()}  # {s.sources['date']}"
    else:
        yield "# date is not set: each check uses the day it runs  # default"
    if s.allow:
        yield "allow = ["
        for item, source in zip(s.allow, s.allow_sources):
            if isinstance(item, AllowFile):
                shown = f"{{ file = {_q(str(item.path))} }}"
            elif item.codes:
                shown = f"{{ phrase = {_q(item.phrase)}, codes = {_list(list(item.codes))} }}"
            else:
                shown = _q(item.phrase)
            yield f"  {shown},  # {source}"
        yield "]"
    else:
        yield "allow = []  # default"
    if s.packs:
        yield "packs = ["
        for p, source in zip(s.packs, s.pack_sources):
            yield f"  {_q(str(p))},  # {source}"
        yield "]"
    else:
        yield "packs = []  # default (the shipped packs are always loaded)"
    for code, values in s.params.items():  # tables come last in TOML
        yield ""
        yield f"[params.{code}]  # {s.config_file}"
        for name, value in values.items():
            shown = _q(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else value
            yield f"{name} = {shown}"
