"""cuomin (错敏): find sensitive and erroneous content in Chinese government texts.

>>> from cuomin import Scanner
>>> [f.code for f in Scanner().scan("中华人名共和国成立")]
['POL001']
"""

from .engine.scanner import RuleInfo, Scanner
from .models import Category, Finding, Severity
from .rules.loader import AllowPhrase, PackError, default_pack_paths, load_allow_file, load_pack, parse_pack
from .rules.schema import Pack, Rule

__version__ = "0.1.0"

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
