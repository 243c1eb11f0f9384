"""Word (.docx): every paragraph of the body and of its tables, in document order.

The extracted text has one paragraph per line, so a finding's line *is* its paragraph
number (every ¶ counts, empty ones too, as Word counts them) and its column is the
character within the paragraph. Each line has a label for reports: ``第12段`` or
``表格1第2行第3列，第12段``.

Tracked changes are read as if accepted (insertions in, deletions out): that is the
text that will be published. Field codes are skipped and field results kept; a line
break or page break inside a paragraph becomes a space. Text boxes, headers, footers,
footnotes and comments are not read (docs/cli-check.md says so).
"""

from __future__ import annotations

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_SKIP = frozenset({"del", "moveFrom", "txbxContent", "instrText", "delText", "pPr", "rPr", "fldData", "sectPr"})
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    if data.startswith(_OLE):
        raise DocxError(
            "a Word 97–2003 (.doc) or password-protected file, not .docx: "
            "save it as .docx (without a password) and check that"
        )
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError

        body = docx.Document(io.BytesIO(data)).element.body
    except (zipfile.BadZipFile, PackageNotFoundError):
        raise DocxError("not a .docx file (not a Word 2007+ package)") from None
    except KeyError as exc:
        raise DocxError(f"a broken .docx package (missing part {exc})") from None
    except Exception as exc:  # lxml syntax errors, wrong content type (.docm, .dotx) …
        raise DocxError(f"not a readable .docx file ({type(exc).__name__}: {exc})") from None
    paragraphs = _paragraphs(body, "", {"tables": 0})
    labels = tuple(
        f"{where}，第{i}段" if where else f"第{i}段" for i, (_text, where) in enumerate(paragraphs, 1)
    )
    return "\n".join(text for text, _ in paragraphs), labels
