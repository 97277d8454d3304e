"""What a file really is: its content is sniffed (the `filetype` library reads its signature)
and then checked as its family requires, without ever opening it with an application.

- No web page and no SVG image is ever a document: a file that starts with markup is refused, and
  so is a PDF or an image with script, SVG or HTML markup inside (a polyglot).
- A PDF or an image that is also a zip archive (one appended to it) is refused; so is a PDF with
  scripts or launch actions.
- An image must open as one (Pillow reads its header and checks its structure), within a pixel
  limit, so a picture that decompresses to gigabytes is refused.
- An office document (DOCX, XLSX, PPTX, ODT, ODS, ODP) is a zip archive: its entries are read
  with `zipfile` in memory, never extracted. It must stay within settings.UPLOAD_ARCHIVE_* (what it
  expands to, its compression ratio, its number of entries), have no absolute or `..` entry
  names, no duplicates, no encryption, no macros, and be the document its extension names.
- A text file (CSV) must be UTF-8 text, no markup.
- A video (MP4, WebM) is recognised by its signature; only its head is read (policy.streamed).
- A subtitle file (WebVTT) must be UTF-8 text starting with "WEBVTT", with no markup beyond the
  cue tags of WebVTT (b, i, u, c, v, lang, ruby, rt, timestamps) and no `javascript:`.

Anything that cannot be read is refused with a message, never an error page.
"""

import io
import re
import warnings
import zipfile
import zlib
from typing import Any

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from .policy import (
    DOCX,
    JPEG,
    MB,
    MP4,
    ODP,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    VTT,
    WEBM,
    XLSX,
    FileType,
    UploadRefused,
)

# Markup a browser would run or render: HTML, SVG, scripts, stylesheets that execute.
_MARKUP = re.compile(
    rb"<\s*(?:script|svg|html|body|iframe|object|embed|foreignobject|!doctype\s+html)[\s/>]"
    rb"|<\?xml-stylesheet",
    re.IGNORECASE,
)
# PDF actions that run something when the file is opened.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|RichMedia)(?![A-Za-z0-9])")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_ZIP_MIMES = {
    "application/zip",
    DOCX.mime,
    XLSX.mime,
    PPTX.mime,
    ODT.mime,
    ODS.mime,
    ODP.mime,
}
_OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_ODF_TYPES = {kind.mime: kind for kind in (ODT, ODS, ODP)}


def _refuse(message: str, name: str, **values: Any) -> UploadRefused:
    return UploadRefused(message % {"name": name, **values})


def _mismatch(name: str, declared: FileType) -> UploadRefused:
    return _refuse(
        _("“%(name)s” does not contain what its name says (%(extension)s)."),
        name,
        extension=declared.extension,
    )


def _markup(name: str, declared: FileType) -> UploadRefused:
    return _refuse(
        _(
            "“%(name)s” is a web page or an SVG image, which the platform never accepts: save it "
            "as %(kind)s and upload that."
        ),
        name,
        kind=declared.label,
    )


def _starts_with_markup(head: bytes) -> bool:
    start = head
    for bom in _BOMS:
        if start.startswith(bom):
            start = start[len(bom) :]
            break
    start = start.replace(b"\x00", b"").lstrip()
    return start.startswith(b"<")


def _family(head: bytes) -> str | None:
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime == PDF.mime:
        return "pdf"
    if mime in (PNG.mime, JPEG.mime):
        return "image"
    if mime in _ZIP_MIMES:
        return "office"
    if mime in (MP4.mime, WEBM.mime):
        return "video"
    if mime is None:
        return "text"
    return None


def inspect_content(content: bytes, declared: FileType, name: str) -> FileType:
    """The type the content really has, when it is the declared one and passes the checks of its
    family; otherwise UploadRefused."""
    head = content[:8192]
    if _starts_with_markup(head):
        raise _markup(name, declared)
    family = _family(head)
    if family != declared.family and not (family == "text" and declared.family == "subtitles"):
        raise _mismatch(name, declared)
    found: FileType | None
    if declared.family == "video":
        found = _video(head)
    elif declared.family == "subtitles":
        found = _subtitles(content, name)
    elif declared.family == "pdf":
        found = _pdf(content, name)
    elif declared.family == "image":
        found = _image(content, name)
    elif declared.family == "office":
        found = _office(content, name, declared)
    else:
        found = _text(content, name, declared)
    if found is None or found != declared:
        raise _mismatch(name, declared)
    return found


def _no_hidden_content(content: bytes, name: str) -> None:
    if _MARKUP.search(content):
        raise _refuse(
            _(
                "“%(name)s” hides a web page, a script or an SVG image inside: save it again from "
                "the application that made it and upload that."
            ),
            name,
        )
    if zipfile.is_zipfile(io.BytesIO(content)):
        raise _refuse(
            _(
                "“%(name)s” is two files in one (a zip archive is attached to it): save it again "
                "from the application that made it and upload that."
            ),
            name,
        )


def _pdf(content: bytes, name: str) -> FileType:
    _no_hidden_content(content, name)
    if _PDF_ACTIVE.search(content):
        raise _refuse(
            _(
                "“%(name)s” contains scripts or actions that run when it is opened: print it to "
                "a plain PDF and upload that."
            ),
            name,
        )
    return PDF


def _image(content: bytes, name: str) -> FileType | None:
    from PIL import Image

    _no_hidden_content(content, name)
    max_pixels = int(getattr(settings, "UPLOAD_IMAGE_MAX_PIXELS", 50_000_000))
    too_large = _("“%(name)s” has more than %(n)d million pixels: make the picture smaller.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                image_format, (width, height) = image.format, image.size
                if width * height > max_pixels:
                    raise _refuse(too_large, name, n=max_pixels // 1_000_000)
                image.verify()
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(too_large, name, n=max_pixels // 1_000_000) from None
    except Exception:  # Pillow raises many kinds of errors on a damaged image
        raise _refuse(_("“%(name)s” is not a picture that can be opened."), name) from None
    return {"PNG": PNG, "JPEG": JPEG}.get(image_format or "")


def _unsafe_member(member: str) -> bool:
    parts = member.split("/")
    return (
        member.startswith(("/", "\\"))
        or "\\" in member
        or "\x00" in member
        or re.match(r"^[A-Za-z]:", member) is not None
        or ".." in parts
    )


def _office(content: bytes, name: str, declared: FileType) -> FileType:
    max_bytes = int(getattr(settings, "UPLOAD_ARCHIVE_MAX_MB", 200)) * MB
    max_ratio = int(getattr(settings, "UPLOAD_ARCHIVE_MAX_RATIO", 100))
    max_entries = int(getattr(settings, "UPLOAD_ARCHIVE_MAX_ENTRIES", 1000))
    damaged = _("“%(name)s” is a damaged or unusual %(kind)s file: save it again and upload that.")
    expands = _(
        "“%(name)s” expands to far more than a document does when it is opened (it may be a "
        "“zip bomb”): save it again from the application that made it and upload that."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise _refuse(
                _("“%(name)s” holds more than %(n)d parts: it is not a usual document."),
                name,
                n=max_entries,
            )
        names: set[str] = set()
        declared_total = 0
        for entry in entries:
            if _unsafe_member(entry.filename) or entry.filename in names:
                raise _refuse(
                    _("“%(name)s” holds parts with unsafe names: it is not a usual document."),
                    name,
                )
            names.add(entry.filename)
            if entry.flag_bits & 0x1:
                raise _refuse(
                    _("“%(name)s” is protected by a password: upload it without one."), name
                )
            if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _refuse(damaged, name, kind=declared.label)
            declared_total += entry.file_size
        if declared_total > max_bytes or declared_total > max_ratio * len(content):
            raise _refuse(expands, name)
        if _has_macros(archive, names):
            raise _refuse(
                _("“%(name)s” contains macros: save it as a document without macros."), name
            )
        found = _office_kind(archive, names)
        if found is None:
            raise _mismatch(name, declared)
        # Every entry is decompressed in memory and counted, so an archive that lies about its
        # sizes is caught (zipfile also checks each entry's checksum).
        total = 0
        for entry in entries:
            if entry.is_dir():
                continue
            with archive.open(entry) as member:
                while chunk := member.read(MB):
                    total += len(chunk)
                    if total > max_bytes:
                        raise _refuse(expands, name)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise _refuse(damaged, name, kind=declared.label) from None
    return found


def _has_macros(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """VBA projects (Office) or Basic and scripts (OpenDocument), or content types that say so."""
    if any(
        member.lower().endswith("vbaproject.bin") or member.startswith(("Basic/", "Scripts/"))
        for member in names
    ):
        return True
    if "[Content_Types].xml" in names and archive.getinfo("[Content_Types].xml").file_size <= MB:
        return b"macroEnabled" in archive.read("[Content_Types].xml")
    return False


def _office_kind(archive: zipfile.ZipFile, names: set[str]) -> FileType | None:
    if "mimetype" in names:
        if archive.getinfo("mimetype").file_size > 100:
            return None
        mime = archive.read("mimetype").decode("ascii", "replace").strip()
        kind = _ODF_TYPES.get(mime)
        if kind is not None and {"content.xml", "META-INF/manifest.xml"} <= names:
            return kind
        return None
    if "[Content_Types].xml" in names:
        if archive.getinfo("[Content_Types].xml").file_size > MB:
            return None
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        return next((kind for kind, main in _OOXML_MAIN.items() if main in types), None)
    return None


def _text(content: bytes, name: str, declared: FileType) -> FileType:
    if b"\x00" in content:
        raise _mismatch(name, declared)
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            _("“%(name)s” is not UTF-8 text: save the file as CSV in UTF-8."), name
        ) from None
    if _MARKUP.search(content):
        raise _markup(name, declared)
    return declared


def _video(head: bytes) -> FileType | None:
    kind = filetype.guess(head)
    return {MP4.mime: MP4, WEBM.mime: WEBM}.get(kind.mime if kind is not None else "")


# The tags WebVTT cue text may hold (https://www.w3.org/TR/webvtt1/#cue-text): a class, voice or
# language annotation after the name, or a timestamp; nothing else a browser could render.
_VTT_TAG = re.compile(
    r"</?(?:(?:b|i|u|c|v|lang|ruby|rt)(?:\.[\w-]+)*(?:[ \t][^<>]*)?"
    r"|\d{2,}:\d{2}(?::\d{2})?\.\d{3})>"
)
_ANY_TAG = re.compile(r"<[^<>]*>?")
_VTT_SCRIPT = re.compile(r"<\s*script|javascript\s*:", re.IGNORECASE)


def _subtitles(content: bytes, name: str) -> FileType:
    """A WebVTT file: UTF-8 text, "WEBVTT" first, only cue tags, no script."""
    if b"\x00" in content:
        raise _mismatch(name, VTT)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            _("“%(name)s” is not UTF-8 text: save the subtitles as WebVTT in UTF-8."), name
        ) from None
    if not (text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\r\n")):
        raise _refuse(_("“%(name)s” is not a WebVTT file: its first line must be “WEBVTT”."), name)
    if _VTT_SCRIPT.search(text) or _MARKUP.search(content):
        raise _refuse(
            _("“%(name)s” holds a script: subtitles may only hold text and WebVTT cue tags."),
            name,
        )
    for tag in _ANY_TAG.findall(text):
        if not _VTT_TAG.fullmatch(tag):
            raise _refuse(
                _(
                    "“%(name)s” holds markup that is not a WebVTT cue tag (%(tag)s): only b, i, u, "
                    "c, v, lang, ruby and rt are allowed."
                ),
                name,
                tag=tag[:40],
            )
    return VTT
