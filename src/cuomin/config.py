"""Configuration: ``cuomin.toml`` or ``[tool.cuomin]`` in ``pyproject.toml``.

Discovery starts in the working directory and goes up to the file system root; the
first directory with a ``cuomin.toml``, or with a ``pyproject.toml`` that has a
``[tool.cuomin]`` table, wins (``cuomin.toml`` first when a directory has both).
``--config FILE`` names the file instead; ``--isolated`` uses none.

Keys (docs/configuration.md)::

    select  = ["political", "TYP"]    # only these categories / codes / code prefixes
    ignore  = ["variant"]              # never these
    fail_on = "warning"                # error | warning | info | never
    allow   = ["国土资源部门",           # a phrase never reported
               "[OUT002] 县环保局",      # … only for these codes (allow-list line syntax)
               { file = "allow.txt" },  # an allow-list file
               { phrase = "大麻", codes = ["sensitive"] }]
    packs   = ["rules/local.toml"]     # extra rule packs (files or directories)
    date    = 2023-10-30               # publication date for date-aware rules

    [params.TYP900]                    # parameters of a structure rule's check
    min_score = 1.0

Paths are relative to the configuration file. Command-line options win: ``--select``,
``--fail-on`` and ``--date`` replace the configured value; ``--ignore``, ``--allow``
and ``--pack`` add to it. Every value remembers where it came from, for
``cuomin config``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from .engine.scanner import Scanner, code_selected
from .models import Category
from .rules.loader import AllowPhrase, PackError, optional_pack_paths, parse_allow_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILE = "cuomin.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON_CHOICES = ("error", "warning", "info", "never")
KEYS = ("select", "ignore", "fail_on", "allow", "packs", "date", "params")
_ALIASES = {"fail-on": "fail_on"}
_SELECTOR = re.compile(r"^[A-Za-z]{2,5}[0-9]{0,4}$")
DEFAULT = "default"


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class AllowFile:
    path: Path


AllowItem = Union[AllowPhrase, AllowFile]


@dataclass
class Settings:
    """The effective configuration of one run, and where each value came from
    (``sources``: key → a file path, a command-line option, or ``default``; for the
    ``allow`` and ``packs`` lists, one source per item)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "error"
    allow: list[AllowItem] = field(default_factory=list)
    packs: list[Path] = field(default_factory=list)
    date: Optional[dt.date] = None
    #: rule code → parameters of its structure check (from the configuration file)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    config_file: Optional[Path] = None
    sources: dict[str, str] = field(default_factory=lambda: {k: DEFAULT for k in ("select", "ignore", "fail_on", "date")})
    allow_sources: list[str] = field(default_factory=list)
    pack_sources: list[str] = field(default_factory=list)

    def allow_files(self) -> list[Path]:
        """Allow-list files: a directory walk does not check them as drafts."""
        return [a.path for a in self.allow if isinstance(a, AllowFile)]

    def allow_items(self) -> list[Union[AllowPhrase, Path]]:
        """What :class:`~cuomin.Scanner` takes as ``allow``."""
        return [a.path if isinstance(a, AllowFile) else a for a in self.allow]

    def build_scanner(self, use_cache: bool = True) -> Scanner:
        """The Scanner these settings describe (from the on-disk cache when it holds
        one). A selector that names no loaded rule is an error: a misspelt ``select``
        would otherwise turn the gate off."""
        from .engine.cache import cached_scanner

        try:
            scanner = cached_scanner(
                extra_packs=self.packs,
                allow=self.allow_items(),
                select=self.select,
                ignore=self.ignore,
                use_cache=use_cache,
                params=self.params,
            )
        except PackError as exc:
            where = f"{self.config_file}: " if self.params and str(exc).startswith("params for") else ""
            raise ConfigError(f"{where}{exc}") from None
        for key in ("select", "ignore"):
            for sel in getattr(self, key):
                if not any(code_selected(code, cat, [sel]) for code, cat in scanner.rule_categories.items()):
                    source = self.sources[key]
                    where = source if source.startswith("--") else f"{source}: {key}"
                    raise ConfigError(f"{where}: {sel!r} is not a category, rule code or code prefix of any loaded rule")
        return scanner

    def as_dict(self) -> dict:
        def allow_item(a: AllowItem) -> dict:
            if isinstance(a, AllowFile):
                return {"file": str(a.path)}
            return {"phrase": a.phrase, "codes": list(a.codes)}

        return {
            "config_file": str(self.config_file) if self.config_file else None,
            "select": {"value": self.select, "source": self.sources["select"]},
            "ignore": {"value": self.ignore, "source": self.sources["ignore"]},
            "fail_on": {"value": self.fail_on, "source": self.sources["fail_on"]},
            "date": {"value": self.date.isoformat() if self.date else None, "source": self.sources["date"]},
            "allow": [{**allow_item(a), "source": s} for a, s in zip(self.allow, self.allow_sources)],
            "packs": [{"path": str(p), "source": s} for p, s in zip(self.packs, self.pack_sources)],
            "params": {code: {"value": values, "source": str(self.config_file)} for code, values in self.params.items()},
        }


# --------------------------------------------------------------------- reading
def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: configuration files must be UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def load_table(path: Path) -> dict:
    """The cuomin table of a config file: the whole of ``cuomin.toml`` (or any other
    name), ``[tool.cuomin]`` of a ``pyproject.toml``."""
    data = _read_toml(path)
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("cuomin")
        if table is None:
            raise ConfigError(f"{path}: has no [tool.cuomin] table")
        return table
    return data


def find_config(start: Path) -> Optional[Path]:
    """The configuration file that applies in ``start``: searched upward."""
    start = Path(start).resolve()
    for d in (start, *start.parents):
        c = d / CONFIG_FILE
        if c.is_file():
            return c
        p = d / PYPROJECT
        if p.is_file() and "cuomin" in _read_toml(p).get("tool", {}):
            return p
    return None


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [s.strip() for v in value for s in v.split(",") if s.strip()]
    raise ConfigError(f"{where}: must be a list of strings")


def _selectors(value: Any, where: str) -> list[str]:
    out = _strings(value, where)
    categories = {c.value for c in Category}
    for sel in out:
        if sel not in categories and not _SELECTOR.match(sel):
            raise ConfigError(f"{where}: {sel!r} is neither a category ({', '.join(sorted(categories))}) nor a code")
    return out


def _fail_on(value: Any, where: str) -> str:
    if value not in FAIL_ON_CHOICES:
        raise ConfigError(f"{where}: must be one of {', '.join(FAIL_ON_CHOICES)}, not {value!r}")
    return value


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: {value!r} is not a date in YYYY-MM-DD form")


def _allow(value: Any, where: str, base: Path) -> list[AllowItem]:
    if not isinstance(value, list):
        value = [value]
    out: list[AllowItem] = []
    for i, item in enumerate(value, 1):
        at = f"{where}[{i}]"
        if isinstance(item, str):
            phrase = parse_allow_line(item)
            if phrase is None:
                raise ConfigError(f"{at}: an empty phrase")
            out.append(phrase)
        elif isinstance(item, dict) and set(item) == {"file"} and isinstance(item["file"], str):
            path = (base / item["file"]).resolve()
            if not path.is_file():
                raise ConfigError(f"{at}: allow-list file {path} does not exist")
            out.append(AllowFile(path))
        elif isinstance(item, dict) and "phrase" in item and set(item) <= {"phrase", "codes"}:
            if not isinstance(item["phrase"], str) or not item["phrase"].strip():
                raise ConfigError(f"{at}: phrase must be a non-empty string")
            codes = tuple(_selectors(item.get("codes", []), f"{at}.codes"))
            out.append(AllowPhrase(item["phrase"].strip(), codes))
        else:
            raise ConfigError(
                f'{at}: give a phrase ("词语" or "[CODE] 词语"), {{ file = "allow.txt" }} '
                'or { phrase = "词语", codes = ["CODE"] }'
            )
    return out


def _pack_path(name: str, base: Path) -> Path:
    """A pack file or directory relative to ``base``, or the name of a shipped optional
    pack (``suspected-typos``)."""
    path = (base / name).resolve()
    if not path.exists() and Path(name).name == name and not Path(name).suffix:
        return optional_pack_paths().get(name, path)
    return path


def _packs(value: Any, where: str, base: Path) -> list[Path]:
    out = []
    for p in _strings(value, where):
        path = _pack_path(p, base)
        if not path.exists():
            known = ", ".join(optional_pack_paths()) or "none"
            raise ConfigError(f"{where}: rule pack {path} does not exist (shipped optional packs: {known})")
        out.append(path)
    return out


def parse_table(table: dict, origin: Path) -> dict:
    """Validated values of a cuomin table read from ``origin`` (paths made absolute)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: the cuomin configuration must be a table")
    base = origin.parent
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = _ALIASES.get(raw_key, raw_key)
        where = f"{origin}: {raw_key}"
        if key not in KEYS:
            raise ConfigError(f"{origin}: unknown key {raw_key!r} (known: {', '.join(KEYS)})")
        if key in values:
            raise ConfigError(f"{origin}: {key} is given twice")
        if key in ("select", "ignore"):
            values[key] = _selectors(value, where)
        elif key == "fail_on":
            values[key] = _fail_on(value, where)
        elif key == "date":
            values[key] = _date(value, where)
        elif key == "allow":
            values[key] = _allow(value, where, base)
        elif key == "params":
            values[key] = _params(value, where)
        else:
            values[key] = _packs(value, where, base)
    return values


def _params(value: Any, where: str) -> dict[str, dict[str, Any]]:
    """``[params.CODE]`` tables: the check parameters of structure rules by code."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of rule codes, e.g. [params.TYP900] min_score = 1.0")
    out: dict[str, dict[str, Any]] = {}
    for code, values in value.items():
        if not re.fullmatch(r"[A-Za-z]{2,5}[0-9]{1,4}", code):
            raise ConfigError(f"{where}: {code!r} is not a rule code")
        if not isinstance(values, dict) or not all(
            isinstance(v, (bool, int, float, str)) for v in values.values()
        ):
            raise ConfigError(f"{where}.{code}: must be a table of numbers, strings or booleans")
        out[code.upper()] = dict(values)
    return out


# --------------------------------------------------------------------- resolving
def resolve(
    *,
    cwd: Optional[Path] = None,
    config: Optional[Path] = None,
    isolated: bool = False,
    select: Optional[list[str]] = None,
    ignore: Optional[list[str]] = None,
    fail_on: Optional[str] = None,
    allow: Optional[list[str]] = None,
    packs: Optional[list[str]] = None,
    date: Optional[dt.date] = None,
) -> Settings:
    """The effective settings: defaults, then the configuration file (``config``, or
    the one discovered from ``cwd`` unless ``isolated``), then command-line values.
    ``allow`` and ``packs`` given here are file paths (relative to ``cwd``)."""
    cwd = Path(cwd or Path.cwd())
    s = Settings()
    if config is not None and isolated:
        raise ConfigError("--config and --isolated cannot be used together")
    path = None
    if config is not None:
        path = (cwd / config).resolve()
        if not path.is_file():
            raise ConfigError(f"{path}: no such configuration file")
    elif not isolated:
        path = find_config(cwd)
    if path is not None:
        s.config_file = path
        values = parse_table(load_table(path), path)
        origin = str(path)
        for key in ("select", "ignore", "fail_on", "date"):
            if key in values:
                setattr(s, key, values[key])
                s.sources[key] = origin
        s.allow = list(values.get("allow", []))
        s.allow_sources = [origin] * len(s.allow)
        s.packs = list(values.get("packs", []))
        s.pack_sources = [origin] * len(s.packs)
        s.params = dict(values.get("params", {}))
    if select:
        s.select = _selectors(select, "--select")
        s.sources["select"] = "--select"
    if ignore:
        extra = _selectors(ignore, "--ignore")
        s.ignore = s.ignore + [x for x in extra if x not in s.ignore]
        s.sources["ignore"] = "--ignore" if s.sources["ignore"] == DEFAULT else f"{s.sources['ignore']} + --ignore"
    if fail_on is not None:
        s.fail_on = _fail_on(fail_on, "--fail-on")
        s.sources["fail_on"] = "--fail-on"
    if date is not None:
        s.date = date
        s.sources["date"] = "--date"
    for a in allow or ():
        p = (cwd / a).resolve()
        if not p.is_file():
            raise ConfigError(f"--allow: allow-list file {a} does not exist")
        s.allow.append(AllowFile(p))
        s.allow_sources.append("--allow")
    for p in packs or ():
        s.packs.append(_pack_path(p, cwd))
        s.pack_sources.append("--pack")
    return s
