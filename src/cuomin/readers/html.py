"""HTML: the visible text, with every character traced back to the source.

* ``<script>``, ``<style>``, ``<template>`` and ``<noscript>`` are skipped; ``<title>``
  is kept (it is shown in the tab and in search results).
* Block elements (``<p>``, ``<div>``, ``<li>``, ``<td>``, ``<br>``, headings …) end a
  line, so a finding never joins text of two paragraphs.
* White space collapses as a browser shows it: a run becomes one space, and a run
  with a line break between two Chinese characters disappears (CSS Text's segment
  break rule), so ``中华人\\n名共和国`` in the source is still checked as one word.
  ``<pre>`` keeps its white space.
* Character references (``&nbsp;``, ``&#20013;``) are decoded.
* The page's publication date is read from ``<meta name="PubDate" content="…">``, the
  tag the State Council's 政府网站发展指引 (国办发〔2017〕47号) asks of every article
  page, or ``publishdate`` / ``article:published_time``: date-aware rules then judge
  the page at the date it was published.
* A WeChat article saved from ``mp.weixin.qq.com`` (``id="js_content"`` and WeChat's
  ``rich_media`` classes or address) is read
  as the article only: its title (``#activity-name``) and its body (``#js_content``),
  not the page around them (follow buttons, QR-code prompts, 赞/在看/分享 labels: text
  the account did not write). Its page script gives what the
  meta tags give a government page: the account (``var nickname``), the title
  (``var msg_title``), the address (``var msg_link``) and the publication time
  (``var ct``, Unix seconds, a date in China's time zone).

Findings keep exact offsets into the extracted text; a :class:`SegmentMap` gives
the source line and column a user sees in an editor, and the exact source span
wherever the text is a verbatim copy (so SARIF fixes can point into the file).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Optional

from ..dates import parse_date_text
from ..suppress import Suppression, directive, regions
from .locations import SegmentMap

SKIP = frozenset({"script", "style", "template", "noscript"})
#: ``<meta>`` names (or properties) that carry a page's publication date
PUBDATE_META = frozenset({"pubdate", "publishdate", "article:published_time"})
BLOCK = frozenset(
    """address article aside blockquote body br caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html li
    legend main nav ol option p pre section summary table tbody td tfoot th thead title tr ul""".split()
)
_WS = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
#: a WeChat article page, and the elements of it that are the article
_WECHAT_PAGE = re.compile(r"""\bid\s*=\s*["']?js_content\b""")
WECHAT_ARTICLE_IDS = frozenset({"activity-name", "js_content"})
#: ``var name = "…"`` (or ``htmlDecode("…")``, or single quotes) in a WeChat page's script
_WECHAT_VAR = re.compile(
    r"""\bvar\s+(nickname|msg_title|msg_link|ct)\s*=\s*(?:htmlDecode\(\s*)?(["'])((?:\\.|(?!\2).)*?)\2"""
)
WECHAT_ACCOUNT_TYPE = "微信公众号"
_CHINA_TIME = dt.timezone(dt.timedelta(hours=8))
#: a link to a document a page attaches (附件): a PDF, Word, WPS, RTF or spreadsheet file
DOCUMENT_LINK = re.compile(r"\.(?:pdf|docx?|wps|rtf|xlsx?|et)(?:[?#].*)?$", re.IGNORECASE)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


class _Extractor(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        #: a WeChat article: only its title and body are text; its scripts are kept
        self.wechat = (
            "js_content" in source
            and ("rich_media" in source or "mp.weixin.qq.com" in source)
            and _WECHAT_PAGE.search(source) is not None
        )
        self._article: Optional[list] = None  # [tag, depth] of the open article element
        self.scripts: list[str] = []
        self.map = SegmentMap(source)
        self._line_starts = self.map.lines.starts
        self.parts: list[str] = []
        self.length = 0
        self.last = "\n"
        self.skip: list[str] = []
        self.pre = 0
        self.pending: tuple[int, bool] | None = None  # (source offset, holds a line break)
        self.directives: list[tuple[int, str, tuple[str, ...]]] = []
        self.published: Optional[dt.date] = None
        #: ``<meta>`` name (or property), lower-cased → content; the first of each
        self.meta: dict[str, str] = {}
        #: where the ``<title>`` text is in the extracted text
        self.title_span: Optional[tuple[int, int]] = None
        self._title_start: Optional[int] = None
        #: (href, text) of each link to a document (:data:`DOCUMENT_LINK`)
        self.documents: list[tuple[str, str]] = []
        self._link: Optional[tuple[str, int]] = None  # an open document link: href, text start

    # ------------------------------------------------------------ plumbing
    def _pos(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _emit(self, piece: str, source_offset: int, verbatim: bool) -> None:
        self.map.add(self.length, source_offset, len(piece), verbatim)
        self.parts.append(piece)
        self.length += len(piece)
        self.last = piece[-1]

    def _flush_space(self, next_char: str) -> None:
        if self.pending is None:
            return
        offset, has_break = self.pending
        self.pending = None
        if self.last == "\n":
            return  # leading white space of a line is not shown
        if has_break and _wide(self.last) and _wide(next_char):
            return
        self._emit(" ", offset, False)

    def _hidden(self) -> bool:
        return bool(self.skip) or (self.wechat and self._article is None)

    def _enter_article(self, tag: str, attrs) -> None:
        """Follow the WeChat article's elements (:data:`WECHAT_ARTICLE_IDS`) by the
        nesting of their own tag."""
        if self._article is not None:
            if tag == self._article[0]:
                self._article[1] += 1
        elif any(k == "id" and v in WECHAT_ARTICLE_IDS for k, v in attrs):
            self._article = [tag, 1]

    def _wechat_fields(self) -> None:
        """The account, title, address and date a WeChat page's script gives, where the
        page has no meta tag of its own for them."""
        found: dict[str, str] = {}
        for m in _WECHAT_VAR.finditer("".join(self.scripts)):
            found.setdefault(m.group(1), html.unescape(m.group(3).replace("\\x26", "&")).strip())
        for var, name in (("nickname", "sitename"), ("msg_title", "articletitle"), ("msg_link", "url")):
            if found.get(var):
                self.meta.setdefault(name, found[var])
        if "articletitle" not in self.meta and self.meta.get("og:title"):
            self.meta["articletitle"] = self.meta["og:title"]
        self.meta.setdefault("accounttype", WECHAT_ACCOUNT_TYPE)
        if self.published is None and found.get("ct", "").isdigit():
            try:
                self.published = dt.datetime.fromtimestamp(int(found["ct"]), _CHINA_TIME).date()
            except (OverflowError, OSError, ValueError):
                pass

    def close(self):
        super().close()
        if self.wechat:
            self._wechat_fields()

    def _break(self) -> None:
        self.pending = None
        if self.length and self.last != "\n":
            self._emit("\n", self._pos(), False)

    def _meta(self, attrs) -> None:
        values = {k.lower(): v for k, v in attrs if v is not None}
        name = (values.get("name") or values.get("property") or "").strip().lower()
        if name and "content" in values:
            self.meta.setdefault(name, values["content"].strip())
        if self.published is None and name in PUBDATE_META:
            self.published = parse_date_text(values.get("content", ""))

    # ------------------------------------------------------------ events
    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self._meta(attrs)
        if tag in SKIP:
            self.skip.append(tag)
            return
        if self.skip:
            return
        if self.wechat:
            self._enter_article(tag, attrs)
            if self._article is None:
                return
        if tag in BLOCK:
            self._break()
        if tag == "pre":
            self.pre += 1
        if tag == "title" and self.title_span is None:
            self._title_start = self.length
        if tag == "a":
            href = next((v for k, v in attrs if k == "href" and v), "")
            self._link = (href.strip(), self.length) if DOCUMENT_LINK.search(href.strip()) else None

    def handle_startendtag(self, tag, attrs):
        if tag == "meta":
            self._meta(attrs)
        if tag in SKIP or self._hidden():
            return
        if tag in BLOCK:
            self._break()

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if self.wechat:
            if self._article is None:
                return
            if tag == self._article[0]:
                self._article[1] -= 1
                if not self._article[1]:
                    self._article = None
                    self._break()
                    return
        if tag == "title" and self._title_start is not None and self.title_span is None:
            self.title_span = (self._title_start, self.length)
        if tag == "a" and self._link is not None:
            href, start = self._link
            self._link = None
            self.documents.append((href, " ".join("".join(self.parts)[start:].split()) if start < self.length else ""))
        if tag in BLOCK:
            self._break()
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data):
        if self.skip:
            if self.wechat and self.skip[-1] == "script":
                self.scripts.append(data)
            return
        if not data or (self.wechat and self._article is None):
            return
        base = self._pos()
        if self.pre:
            self._flush_space(data[0])
            self._emit(data, base, True)
            return
        for m in _WS.finditer(data):
            token = m.group()
            if token[0] in " \t\n\r\f":
                if self.pending is None:
                    self.pending = (base + m.start(), "\n" in token)
                elif "\n" in token:
                    self.pending = (self.pending[0], True)
            else:
                self._flush_space(token[0])
                self._emit(token, base + m.start(), True)

    def _reference(self, raw: str) -> None:
        if self._hidden():
            return
        text = html.unescape(raw)
        if not text:
            return
        self._flush_space(text[0])
        self._emit(text, self._pos(), False)

    def handle_entityref(self, name):
        self._reference(f"&{name};")

    def handle_charref(self, name):
        self._reference(f"&#{name};")

    def handle_comment(self, data):
        d = directive(data)
        if d is not None:
            self.directives.append((self.length, d[0], d[1]))


def parse_html(source: str) -> tuple[str, SegmentMap, list[Suppression], Optional[dt.date]]:
    """``(visible text, source map, suppressions, publication date)`` for an HTML
    document; the date is ``None`` when the page does not give one."""
    p = _Extractor(source)
    p.feed(source)
    p.close()
    text = "".join(p.parts)
    return text, p.map, regions(p.directives, len(text)), p.published


@dataclass(frozen=True)
class Page:
    """A web page read as an article: its ``<meta>`` tags (names lower-cased: ``sitename``,
    ``columnname``, ``articletitle``, ``pubdate``, ``url`` … as the 政府网站发展指引 names
    them), its ``<title>``, its publication date, and the visible lines of the rest."""

    meta: dict
    title: str
    published: Optional[dt.date]
    lines: tuple[str, ...]
    #: ``(href, link text)`` of each link to a document the page attaches (附件)
    documents: tuple[tuple[str, str], ...] = ()


def parse_page(source: str) -> Page:
    p = _Extractor(source)
    p.feed(source)
    p.close()
    text = "".join(p.parts)
    title = ""
    if p.title_span is not None:
        a, b = p.title_span
        title, text = text[a:b].strip(), text[:a] + "\n" + text[b:]
    lines = tuple(line.strip() for line in text.split("\n") if line.strip())
    return Page(p.meta, title, p.published, lines, tuple(p.documents))
