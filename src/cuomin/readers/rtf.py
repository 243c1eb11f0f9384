"""RTF text: Word saves RTF under .doc too, and many forms offered as .doc are RTF.

The text is read with striprtf, which follows the document's code page (``\\ansicpg936``:
GBK, as Chinese RTF is written) and ``\\u`` escapes, and leaves out what is not printed
text (the font and colour tables, pictures, ``{\\*…}`` destinations). One paragraph a
line, each labelled ``第N段``.
"""

from __future__ import annotations


class RtfError(ValueError):
    """Bytes that are not a readable RTF document; the message says why."""


def is_rtf(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf").startswith(b"{\\rtf")


def parse_rtf(data: bytes) -> tuple[str, tuple[str, ...]]:
    """``(text, labels)``: one line of text and one label (``第N段``) per paragraph.
    Raises :class:`RtfError`."""
    if not is_rtf(data):
        raise RtfError("not an RTF document")
    from striprtf.striprtf import rtf_to_text

    try:
        # RTF is 7-bit text: other characters are escaped (\'d6, \u20013); a stray byte
        # above 127 is kept as the character of the same number rather than refused
        text = rtf_to_text(data.decode("latin-1"), errors="replace")
    except Exception as exc:  # (striprtf on malformed input: IndexError, LookupError …)
        raise RtfError(f"a damaged RTF document ({type(exc).__name__})") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines), tuple(f"第{i}段" for i in range(1, len(lines) + 1))
