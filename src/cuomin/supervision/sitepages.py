"""Web pages saved from a government website, read as posts.

A mirrored site (``wget --mirror``, a CMS export of static pages) is a folder of HTML
pages. Each article page becomes one post: the site (``<meta name="SiteName">``) is its
account, ``ColumnName`` its column, ``ArticleTitle`` (else ``<title>``) its title,
``PubDate`` its date, ``Url`` its address and id — the meta tags the State Council's
政府网站发展指引 (国办发〔2017〕47号) asks of every article page. The site is also the
unit (部门) a column report names: ``ContentSource`` says where an article came from,
not who keeps the column.

A page without them still reads: its site is the folder named after its host (where
``wget --mirror`` puts it) or else its folder, its title ``<title>``. A page
with the site's tags but no ``ArticleTitle`` is a column's list or the home page, not an
article: it is no post (its lines still count towards the site's common part).

**Navigation, headers and footers are counted once.** They repeat on every page, and
a wrong name in a footer is one problem, not one per page. So the pages of a batch are
surveyed first: a line (a block of the page's visible text) found on
``BOILERPLATE_PAGES`` or more pages of one site is the site's, not the page's. It is
left out of each page and checked once, in one more post per site, ``页面公共部分``
(only where text is checked: it is not an item a column published). A page with nothing
of its own left is no post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..encoding import DecodeError, decode_text

PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: a line on this many pages of a site or more is the site's template, not an article's
BOILERPLATE_PAGES = 3
ACCOUNT_TYPE = "政府网站"
COMMON_PART = "页面公共部分"
#: a page larger than this is not an article (and is not read whole)
MAX_PAGE_BYTES = 16 * 1024 * 1024
#: pages read in the survey are kept for their turn up to this many characters of text;
#: the rest are read again (parsing HTML is most of the time a site's scan takes)
KEEP_CHARS = 8_000_000


class PageError(ValueError):
    """A page that cannot be read; the message says why."""


@dataclass
class _Site:
    name: str
    #: hash of a line → how many pages it is on (a hash, not the line: a big site has
    #: hundreds of thousands of paragraphs, and only the template's are wanted)
    seen: dict = field(default_factory=dict)
    #: hash → the line, for the lines on ``BOILERPLATE_PAGES`` pages or more
    common: dict = field(default_factory=dict)
    last: Optional[Path] = None
    #: one copy of each line of the pages kept from the survey
    canon: dict = field(default_factory=dict)

    def add(self, lines) -> None:
        seen = self.seen
        for h, line in {hash(x): x for x in lines}.items():  # once per page
            n = seen[h] = seen.get(h, 0) + 1
            if n == BOILERPLATE_PAGES:
                self.common[h] = line


def is_page(path: Path) -> bool:
    return path.suffix.lower() in PAGE_SUFFIXES


def read_page(path: Path, encoding: Optional[str] = None):
    """The :class:`~cuomin.readers.html.Page` of an HTML file; raises :class:`PageError`."""
    from ..readers.html import parse_page

    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise PageError(f"{size / 1e6:.0f} MB: too large for a web page (over {MAX_PAGE_BYTES >> 20} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise PageError("empty file")
    try:
        text, _, _ = decode_text(data, name=str(path), encoding=encoding)
    except DecodeError as exc:
        raise PageError(str(exc).removeprefix(f"{path}: ")) from None
    return parse_page(text)


def _a_list_page(meta: dict) -> bool:
    """A page that gives the site's tags but no ArticleTitle: a column's list of
    articles, or the home page — not an article."""
    return "articletitle" not in meta and ("sitename" in meta or "columnname" in meta)


def site_name(page, path: Path) -> str:
    """The site a page belongs to: ``SiteName``, else ``SiteDomain``, else the folder
    named after a host that holds it (``wget --mirror`` puts a site under
    ``www.qingxi.gov.cn/``), else its folder."""
    named = page.meta.get("sitename") or page.meta.get("sitedomain")
    if named:
        return named
    host = next((d.name for d in path.parents if _HOST.fullmatch(d.name)), None)
    return host or path.parent.name


_HOST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class SitePages:
    """The pages among ``paths``, surveyed on first use for each site's common lines."""

    def __init__(self, paths: Iterable[Path], encoding: Optional[str] = None, *, common_part: bool = True):
        self.paths = [p for p in paths if is_page(p)]
        self.encoding = encoding
        #: yield each site's common part as a post (for scanning, not for column reports)
        self.common_part = common_part
        self._sites: Optional[dict[str, _Site]] = None
        self._site_of: dict[Path, str] = {}
        self._kept: dict[Path, object] = {}  # pages read in the survey, not yet used

    def _survey(self) -> dict[str, _Site]:
        if self._sites is None:
            self._sites = {}
            room = KEEP_CHARS
            for path in self.paths:
                try:
                    page = read_page(path, self.encoding)
                except PageError:
                    continue  # reported when the page is read as a post
                name = site_name(page, path)
                site = self._sites.setdefault(name, _Site(name))
                site.add(page.lines)
                size = sum(map(len, page.lines))
                if size <= room:
                    # kept with the site's copy of each line: the template's lines once
                    # for all its pages
                    canon = site.canon
                    self._kept[path] = replace(page, lines=tuple(canon.setdefault(x, x) for x in page.lines))
                    room -= size
                site.last = path
                self._site_of[path] = name
        return self._sites

    def rows(self, path: Path) -> Iterator[tuple[str, dict]]:
        """``(row label, fields)``: the page's post, if anything of its own is left, and
        after the site's last page the site's common part. Raises :class:`PageError`."""
        sites = self._survey()
        page = self._kept.pop(path, None) or read_page(path, self.encoding)
        site = sites.get(self._site_of.get(path, ""))
        common = site.common if site is not None else {}
        lines = [line for line in page.lines if hash(line) not in common]
        meta = page.meta
        if _a_list_page(meta):
            lines = []
        title = meta.get("articletitle") or page.title
        if title and lines and lines[0] == title:
            lines = lines[1:]  # the heading repeats the title
        account = meta.get("sitename") or (site.name if site else site_name(page, path))
        if lines:
            yield "", {
                "id": meta.get("url") or str(path),
                "account": account,
                "account_type": ACCOUNT_TYPE,
                "title": title,
                "text": "\n".join(lines),
                "published_at": page.published,
                "url": meta.get("url", ""),
                "column": meta.get("columnname", ""),
                "unit": account,
            }
        if self.common_part and site is not None and site.last == path and common:
            yield COMMON_PART, {
                "id": f"{site.name}#{COMMON_PART}",
                "account": account,
                "account_type": ACCOUNT_TYPE,
                "title": f"{COMMON_PART}（导航、页眉、页脚等，出现在{BOILERPLATE_PAGES}个及以上页面）",
                "unit": account,
                "text": "\n".join(common.values()),
            }
