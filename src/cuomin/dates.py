"""Dates as exports, web pages and front matter write them.

One parser for every place a publication date is read: a post's ``published_at``
(supervision/posts.py), an HTML page's ``<meta name="PubDate">`` and a Markdown
file's front matter (readers/)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+\d{1,2}[:：时]\d{1,2}(?:[:：分](?:\d{1,2}(?:\.\d+)?秒?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_date_text(s: str) -> Optional[dt.date]:
    """2023-09-28, 2023/9/28, 2023.9.28, 2023年9月28日 or 20230928, with an optional
    time (``10:00``, ``T10:00:00+08:00``, ``10时30分``); ``None`` for anything else,
    an impossible date included."""
    m = _DATE_RE.match(s) or _COMPACT_RE.match(s)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None
