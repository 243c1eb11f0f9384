"""Word (.docx): every paragraph of the body and of its tables, in document order,
then what is printed around it: text boxes, headers and footers, footnotes, endnotes.

The extracted text has one paragraph per line. The body comes first, so a body
finding's line *is* its paragraph number (every ¶ counts, empty ones too, as Word
counts them) and its column is the character within the paragraph. Each line has a
label for reports: ``第12段``, ``表格1第2行第3列，第12段``, and after the body
``文本框1第2段``, ``第1节页眉第1段`` (``第1节首页页脚第1段``, ``第2节偶数页页眉第1段``),
``脚注3第1段``, ``尾注1第1段``.

Tracked changes are read as if accepted (insertions in, deletions out): that is the
text that will be published. Field codes are skipped and field results kept; a line
break or page break inside a paragraph becomes a space. Comments are not read: they
are not published.
"""

from __future__ import annotations

import io
import zipfile
from typing import Iterator

from ..filetypes import OLE2

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SKIP = frozenset({"del", "moveFrom", "txbxContent", "instrText", "delText", "pPr", "rPr", "fldData", "sectPr"})


class DocxError(ValueError):
    """Bytes that are not a readable .docx; the message says why, for a person."""


def _split(tag) -> tuple[str, str]:
    if not isinstance(tag, str):
        return "", ""
    ns, _, local = tag.rpartition("}")
    return ns[1:], local


def paragraph_text(p) -> str:
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            ns, local = _split(child.tag)
            if ns == W:
                if local in _SKIP:
                    continue
                if local == "t":
                    out.append(child.text or "")
                    continue
                if local == "tab":
                    out.append("\t")
                    continue
                if local in ("br", "cr"):
                    out.append(" ")
                    continue
                if local == "noBreakHyphen":
                    out.append("-")
                    continue
                if local == "p":  # a paragraph nested in a run (text box content): not ours
                    continue
            elif ns == MC and local == "Fallback":
                continue
            walk(child)

    walk(p)
    return "".join(out).replace("\r", " ").replace("\n", " ")


def _paragraphs(container, where: str, counters: dict) -> list[tuple[str, str]]:
    """``(text, where)`` of the paragraphs in a body or a table cell, in order."""
    out: list[tuple[str, str]] = []
    for child in container:
        ns, local = _split(child.tag)
        if ns != W:
            continue
        if local == "p":
            out.append((paragraph_text(child), where))
        elif local == "tbl":
            counters["tables"] += 1
            table = counters["tables"]
            row_no = 0
            for tr in child.iter(f"{{{W}}}tr"):
                if tr.getparent() is not child and _split(tr.getparent().tag)[1] not in ("sdtContent", "customXml"):
                    continue  # a row of a nested table: reached through its own cell
                row_no += 1
                col = 1
                for tc in tr:
                    if _split(tc.tag) != (W, "tc"):
                        continue
                    cell = f"表格{table}第{row_no}行第{col}列"
                    out.extend(_paragraphs(tc, cell, counters))
                    span = tc.find(f"{{{W}}}tcPr/{{{W}}}gridSpan")
                    try:
                        col += int(span.get(f"{{{W}}}val")) if span is not None else 1
                    except (TypeError, ValueError):
                        col += 1
        elif local in ("sdt", "customXml", "sdtContent", "ins", "moveTo"):
            out.extend(_paragraphs(child, where, counters))
    return out


def parse_docx(data: bytes) -> tuple[str, tuple[str, ...]]:
    """``(text, labels)``: one line of text and one label per paragraph."""
    if data.startswith(OLE2):
        raise DocxError(
            "a Word 97–2003 (.doc) or password-protected file, not .docx: "
            "save it as .docx (without a password) and check that"
        )
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except (zipfile.BadZipFile, PackageNotFoundError):
        raise DocxError("not a .docx file (not a Word 2007+ package)") from None
    except KeyError as exc:
        raise DocxError(f"a broken .docx package (missing part {exc})") from None
    except Exception as exc:  # lxml syntax errors, wrong content type (.docm, .dotx) …
        raise DocxError(f"not a readable .docx file ({type(exc).__name__}: {exc})") from None
    paragraphs = _paragraphs(body, "", {"tables": 0})
    labels = [f"{where}，第{i}段" if where else f"第{i}段" for i, (_text, where) in enumerate(paragraphs, 1)]
    try:
        around = list(_around_the_body(document))
    except Exception as exc:  # a header, footer or notes part that is not XML
        raise DocxError(f"a broken .docx package ({type(exc).__name__}: {exc})") from None
    for place, container in around:
        for i, (text, where) in enumerate(_paragraphs(container, "", {"tables": 0}), 1):
            paragraphs.append((text, where))
            labels.append(f"{place}{where}，第{i}段" if where else f"{place}第{i}段")
    return "\n".join(text for text, _ in paragraphs), tuple(labels)


_SECTION_PARTS = {"headerReference": "页眉", "footerReference": "页脚"}
_PAGES = {"first": "首页", "default": "", "even": "偶数页"}  # (in the order they are read)


def _around_the_body(document) -> Iterator[tuple[str, object]]:
    """``(place, element)`` for what is printed besides the body, each holding
    paragraphs: text boxes in body order, each section's headers and footers (a part
    that several sections share is read once, under the first), footnotes and endnotes
    in the order the text refers to them."""
    body = document.element.body
    yield from _text_boxes("", body)
    related = document.part.related_parts
    seen = set()
    # a section's properties end its last paragraph (and the body, for the last section);
    # those inside a tracked change of the properties are the old ones
    sections = [s for s in body.iter(f"{{{W}}}sectPr") if _split(s.getparent().tag)[1] in ("body", "pPr")]
    for section, sect in enumerate(sections, 1):
        refs = [ref for ref in sect if _split(ref.tag)[1] in _SECTION_PARTS]
        for ref in sorted(refs, key=_reading_order):
            part = related.get(ref.get(f"{{{R}}}id"))
            if part is None or part.partname in seen:
                continue
            seen.add(part.partname)
            place = f"第{section}节{_PAGES.get(_page(ref), '')}{_SECTION_PARTS[_split(ref.tag)[1]]}"
            root = _xml(part.blob)
            yield place, root
            yield from _text_boxes(place, root)
    for reltype, kind, tag in (("footnotes", "脚注", "footnote"), ("endnotes", "尾注", "endnote")):
        part = next((rel.target_part for rel in document.part.rels.values()
                     if not rel.is_external and rel.reltype.endswith("/" + reltype)), None)
        if part is None:
            continue
        # the separator "notes" Word keeps in the part have a type; real notes have none
        notes = {note.get(f"{{{W}}}id"): note for note in _xml(part.blob)
                 if _split(note.tag) == (W, tag) and note.get(f"{{{W}}}type") is None}
        # Word numbers notes in the order the text refers to them; a note nothing refers
        # to (its reference deleted) is not printed
        shown = dict.fromkeys(ref.get(f"{{{W}}}id") for ref in body.iter(f"{{{W}}}{tag}Reference")
                              if not _inside(ref, body, _DELETED))
        for n, note_id in enumerate((i for i in shown if i in notes), 1):
            yield f"{kind}{n}", notes[note_id]


def _page(ref) -> str:
    return ref.get(f"{{{W}}}type", "default")


def _reading_order(ref) -> tuple[int, int]:
    """Headers before footers; each: the first page's, the others', the even pages'."""
    pages = list(_PAGES)
    return list(_SECTION_PARTS).index(_split(ref.tag)[1]), pages.index(_page(ref)) if _page(ref) in pages else len(pages)


def _text_boxes(place: str, root) -> Iterator[tuple[str, object]]:
    """The text boxes in ``root``, in order (their paragraphs are not the root's)."""
    boxes = [box for box in root.iter(f"{{{W}}}txbxContent") if not _inside(box, root, _FALLBACK | _DELETED)]
    for n, box in enumerate(boxes, 1):
        yield f"{place}文本框{n}", box


#: a tracked deletion (read as accepted: gone)
_DELETED = frozenset({(W, "del"), (W, "moveFrom")})
#: the copy of a text box kept for old readers (its text is read from the mc:Choice beside it)
_FALLBACK = frozenset({(MC, "Fallback")})


def _inside(element, top, tags: frozenset) -> bool:
    """Whether ``element`` has an ancestor below ``top`` whose tag is in ``tags``."""
    parent = element.getparent()
    while parent is not None and parent is not top:
        if _split(parent.tag) in tags:
            return True
        parent = parent.getparent()
    return False


def _xml(blob: bytes):
    from docx.oxml.parser import parse_xml

    return parse_xml(blob)
