"""Report configurations (freshness thresholds, service-guide elements): TOML files read
into pydantic models, with errors that name the file and the key."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Optional, TypeVar

from pydantic import BaseModel, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

M = TypeVar("M", bound=BaseModel)


def parse_model(text: str, name: str, model: type[M], error: type[Exception]) -> M:
    """``text`` (TOML) as a ``model``; ``error(message)`` when it is not one."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{name}: not valid TOML: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise error(f"{name}: {problems}") from None


def load_model(path: Optional[Path], default: str, parse: Callable[[str, str], M], error: type[Exception]) -> M:
    """``parse`` the file at ``path``, or the ``default`` text when there is none."""
    if path is None:
        return parse(default, "<default>")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None
    return parse(text, str(path))
