"""cuomin (错敏): find sensitive and erroneous content in Chinese government texts.

>>> from cuomin import Scanner
>>> [f.code for f in Scanner().scan("中华人名共和国成立")]
['POL001']
"""

from .engine.scanner import RuleInfo, Scanner
from .models import Category, Finding, Severity
from .rules.loader import AllowPhrase, PackError, default_pack_paths, load_allow_file, load_pack, parse_pack

__version__ = "0.1.0"


def __getattr__(name):
    # The pack schema (pydantic models) loads on first use: a CLI call that loads a
    # cached Scanner never needs it, and its import is a tenth of the start-up time.
    if name in ("Pack", "Rule"):
        from .rules import schema

        return getattr(schema, name)
    raise AttributeError(f"module 'cuomin' has no attribute {name!r}")

__all__ = [
    "AllowPhrase",
    "Category",
    "Finding",
    "Pack",
    "PackError",
    "Rule",
    "RuleInfo",
    "Scanner",
    "Severity",
    "__version__",
    "default_pack_paths",
    "load_allow_file",
    "load_pack",
    "parse_pack",
]
