"""Finding and loading rule packs and allow-lists.

Errors are :class:`PackError` with a message that names the file and, where it can,
the rule and entry, so a person editing a pack knows exactly what to fix.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Union

from ..encoding import decode_bytes

if TYPE_CHECKING:
    from .schema import Pack

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PathLike = Union[str, "os.PathLike[str]"]


class PackError(ValueError):
    """A rule pack or allow-list that cannot be used."""


def default_pack_dir() -> Path:
    """The shipped ``wordlists/``: inside the installed package (the wheel puts it at
    ``cuomin/wordlists``), or the source tree's for an editable install."""
    package = Path(__file__).resolve().parents[1]
    shipped = package / "wordlists"
    if shipped.is_dir():
        return shipped
    source_tree = package.parents[1] / "wordlists"
    if source_tree.is_dir():
        return source_tree
    raise PackError("the default rule packs (wordlists/) are missing from this installation")


CHARMAP_FILE = "charmap.toml"


def default_pack_paths() -> list[Path]:
    """The packs every Scanner loads unless told otherwise."""
    return sorted(p for p in default_pack_dir().glob("*.toml") if p.name != CHARMAP_FILE)


def shipped_charmap_path() -> Path:
    """``wordlists/charmap.toml``: the 1:1 character folds (traditional and variant
    forms) every Scanner applies before matching, whichever packs it loads."""
    return default_pack_dir() / CHARMAP_FILE


def optional_pack_paths() -> dict[str, Path]:
    """Shipped packs that are off by default, by name (``wordlists/optional/NAME.toml``):
    turned on with ``--pack NAME`` or ``packs = ["NAME"]`` in the configuration."""
    return {p.stem: p for p in sorted((default_pack_dir() / "optional").glob("*.toml"))}


def _describe_location(data: dict, loc: tuple) -> str:
    """Turn a pydantic error location into 'rule POL001, entry 3 (中华人名共和国)'."""
    parts: list[str] = []
    node = data
    for i, key in enumerate(loc):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        if loc[i - 1 : i] == ("rules",) and isinstance(node, dict):
            parts.append(f"rule {node.get('code', f'#{key + 1}')}")
        elif loc[i - 1 : i] == ("entries",) and isinstance(node, dict):
            wrong = node.get("wrong")
            wrong = wrong[0] if isinstance(wrong, list) and wrong else wrong
            parts.append(f"entry {key + 1} ({wrong})")
        elif isinstance(key, str) and key not in ("rules", "entries"):
            parts.append(key)
    return ", ".join(parts) or "pack"


def parse_pack(text: str, path: str = "<string>") -> "Pack":
    """Parse and validate pack text (TOML). Raises :class:`PackError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from exc
    # pydantic and the schema are imported when a pack is parsed, not when a cached
    # rule set is loaded (most CLI calls)
    from pydantic import ValidationError

    from .schema import Pack

    try:
        pack = Pack.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _describe_location(data, tuple(first["loc"]))
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise PackError(f"{path}: {where}: {first['msg']}{more}") from None
    return pack


@lru_cache(maxsize=256)
def _load_pack_cached(path: str, mtime_ns: int, size: int) -> "Pack":
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: rule packs must be UTF-8 ({exc})") from exc
    return parse_pack(text, path)


def load_pack(path: PathLike) -> "Pack":
    """Load one pack file (parsed packs are cached per path and modification time)."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise PackError(f"{p}: cannot read rule pack: {exc.strerror}") from None
    if p.is_dir():
        raise PackError(f"{p}: is a directory; give the pack files (*.toml) inside it")
    return _load_pack_cached(str(p), st.st_mtime_ns, st.st_size)


def expand_pack_paths(paths: Iterable[PathLike]) -> list[Path]:
    """Files stay as they are; a directory stands for the ``*.toml`` files in it; a
    bare name that is not a file names a shipped optional pack (``suspected-typos``)."""
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            out.extend(sorted(p.glob("*.toml")))
        elif not p.exists() and p.name == str(path) and p.suffix == "":
            optional = optional_pack_paths()
            if str(path) not in optional:
                known = ", ".join(optional) or "none"
                raise PackError(f"{path}: no such pack file, nor a shipped optional pack (optional packs: {known})")
            out.append(optional[str(path)])
        else:
            out.append(p)
    return out


@dataclass(frozen=True)
class AllowPhrase:
    """A phrase that is never reported; ``codes`` limits it to codes/prefixes/categories."""

    phrase: str
    codes: tuple[str, ...] = ()


def parse_allow_line(line: str) -> Optional[AllowPhrase]:
    """``phrase`` or ``[CODE,CODE] phrase``; blank lines and ``#`` comments are skipped."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    codes: tuple[str, ...] = ()
    if line.startswith("["):
        close = line.find("]")
        if close > 0:
            codes = tuple(c.strip() for c in line[1:close].split(",") if c.strip())
            line = line[close + 1 :].strip()
    return AllowPhrase(line, codes) if line else None


def load_allow_file(path: PathLike) -> list[AllowPhrase]:
    p = Path(path)
    try:
        text = p.read_bytes()
    except OSError as exc:
        raise PackError(f"{p}: cannot read allow-list: {exc.strerror}") from None
    try:
        decoded = decode_bytes(text, name=str(p))
    except ValueError as exc:
        raise PackError(str(exc)) from None
    return [a for a in (parse_allow_line(line) for line in decoded.splitlines()) if a]
