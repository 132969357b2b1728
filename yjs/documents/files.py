"""What an uploaded file must be before anything is stored: small enough, of an allowed kind,
and holding what its name says (the bytes are sniffed, never the browser's word trusted).

`check_upload` raises ValidationError on the "file" field with a message that names the reason;
nothing has been written when it does.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class FileKind:
    label: str  # as a message names it: "a PDF"
    content_type: str  # what we store and serve: from the extension, not the browser
    sniffed: frozenset[str]  # what `filetype` may recognise the bytes as


KINDS = {
    ".pdf": FileKind("a PDF", "application/pdf", frozenset({"application/pdf"})),
    # filetype recognises a Word file as docx or, when the zip's first part is another, as zip.
    ".docx": FileKind("a Word document", DOCX, frozenset({DOCX, "application/zip"})),
    ".png": FileKind("a PNG image", "image/png", frozenset({"image/png"})),
    ".jpg": FileKind("a JPEG image", "image/jpeg", frozenset({"image/jpeg"})),
    ".jpeg": FileKind("a JPEG image", "image/jpeg", frozenset({"image/jpeg"})),
}
ALLOWED_TEXT = "a PDF, a Word document (.docx), or a PNG or JPEG image"
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
# A Word file is a zip: checked before it is unpacked by anyone (no zip bomb).
MAX_DOCX_MEMBERS = 1000
MAX_DOCX_UNPACKED = 100 * 1024 * 1024


def max_bytes() -> int:
    return settings.DOCUMENTS_MAX_BYTES


def size_text(n: int) -> str:
    """`10 MB`, `250 KB`, `812 bytes`: how a size is shown."""
    if n >= 1024 * 1024:
        mb = n / 1024 / 1024
        return f"{mb:.0f} MB" if mb == int(mb) else f"{mb:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def safe_name(name: str) -> str:
    """The file's own name, fit to show and to send back in a download: no folders, no control
    or markup characters, at most 100 characters, the extension in lower case."""
    name = PurePosixPath(str(name).replace("\\", "/")).name
    name = unicodedata.normalize("NFKC", name)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = re.sub(r"[^\w\- ()]+", "_", stem, flags=re.ASCII).strip(" ._") or "document"
    stem = re.sub(r"_+", "_", stem)[:90]
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:8]
    return f"{stem}.{ext}" if ext else stem


def _refuse(message: str):
    raise ValidationError({"file": message})


def check_upload(name: str, data: bytes) -> FileKind:
    """The file's kind if it may be stored; otherwise ValidationError naming why."""
    if not data:
        _refuse("The selected file is empty")
    if len(data) > max_bytes():
        _refuse(
            f"The selected file must be smaller than {size_text(max_bytes())} "
            f"(it is {size_text(len(data))})"
        )
    ext = PurePosixPath(str(name).lower()).suffix
    kind = KINDS.get(ext)
    if kind is None:
        _refuse(f"The selected file must be {ALLOWED_TEXT}")
    guessed = filetype.guess_mime(data)
    if guessed not in kind.sniffed:
        what = f" (it looks like {_describe(guessed)})" if guessed else ""
        _refuse(
            f"The selected file is not {kind.label}: its content does not match its name "
            f"ending {ext}{what}"
        )
    if ext == ".docx":
        _check_docx(data)
    elif kind.content_type in PIL_FORMATS:
        _check_image(data, kind)
    return kind


def _describe(mime: str) -> str:
    known = {
        "application/x-msdownload": "a Windows program",
        "application/x-executable": "a program",
        "application/x-elf": "a program",
        "application/zip": "a zip file",
        "application/pdf": "a PDF",
        "image/png": "a PNG image",
        "image/jpeg": "a JPEG image",
        "image/gif": "a GIF image",
        DOCX: "a Word document",
    }
    return known.get(mime, mime)


def _check_docx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        _refuse("The selected file is not a Word document (.docx): it cannot be opened")
    if len(members) > MAX_DOCX_MEMBERS or sum(m.file_size for m in members) > MAX_DOCX_UNPACKED:
        _refuse("The selected Word document is too large once unpacked")
    if "word/document.xml" not in {m.filename for m in members}:
        _refuse("The selected file is not a Word document (.docx): it has no document inside")


def _check_image(data: bytes, kind: FileKind) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds for a damaged or hostile image
        _refuse(f"The selected file is not {kind.label} that can be opened: it may be damaged")
    if fmt != PIL_FORMATS[kind.content_type]:
        _refuse(f"The selected file is not {kind.label}: its content does not match its name")
