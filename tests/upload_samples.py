"""Files for the upload tests, generated here: a good sample of every type the platform takes,
and the hostile ones an attacker (or an unlucky person) sends. Nothing is read from disk."""

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from demo.loading import demo_document

MB = 1024 * 1024


def pdf(title: str = "Council decision 412/2018") -> bytes:
    """A real one-page PDF."""
    return demo_document(title)


def png(size: tuple[int, int] = (32, 24)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def jpeg(size: tuple[int, int] = (32, 24)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 20)).save(out, "JPEG")
    return out.getvalue()


def docx(text: str = "Minutes of the steering group") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Indicator", "Value"])
    workbook.active.append(["Young people placed", 120])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_OOXML = "application/vnd.openxmlformats-officedocument"


def pptx() -> bytes:
    """A minimal presentation package (its content types name the presentation part)."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/ppt/presentation.xml" '
        f'ContentType="{_OOXML}.presentationml.presentation.main+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation/>')
    return out.getvalue()


def odf(kind: str = "text") -> bytes:
    """An OpenDocument package as LibreOffice writes it (its mimetype first, stored)."""
    mime = f"application/vnd.oasis.opendocument.{kind}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mime, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml", '<?xml version="1.0"?><office:document-content/>', zipfile.ZIP_DEFLATED
        )
        archive.writestr(
            "META-INF/manifest.xml",
            f'<?xml version="1.0"?><manifest:manifest><manifest:file-entry '
            f'manifest:full-path="/" manifest:media-type="{mime}"/></manifest:manifest>',
            zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()


def csv() -> bytes:
    return b"currency,month,rate\nGBP,2017-03,0.85553\nPLN,2017-04,4.2247\n"


# The good sample of each type, by the key of core.uploads' FileType.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
WEBM_HEAD = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02"
)


def mp4(size: int = 2048) -> bytes:
    """An MP4 as `filetype` recognises it: its signature (an ftyp box), then padding."""
    return MP4_HEAD + b"\x00" * (size - len(MP4_HEAD))


def webm(size: int = 2048) -> bytes:
    """A WebM as `filetype` recognises it: its EBML header naming the webm doctype."""
    return WEBM_HEAD + b"\x00" * (size - len(WEBM_HEAD))


def vtt() -> bytes:
    """WebVTT captions with the cue tags a subtitle may hold."""
    return (
        b"WEBVTT\n\n00:00.000 --> 00:02.000\n<v Eleni>Welcome to the <b>job desk</b>.\n\n"
        b"00:02.000 --> 00:04.000\n<i>Every</i> <c.yellow>weekday</c>.\n"
    )


GOOD = {
    "pdf": ("decision.pdf", pdf),
    "png": ("photo.png", png),
    "jpeg": ("photo.jpg", jpeg),
    "docx": ("minutes.docx", docx),
    "xlsx": ("indicators.xlsx", xlsx),
    "pptx": ("slides.pptx", pptx),
    "odt": ("minutes.odt", lambda: odf("text")),
    "ods": ("indicators.ods", lambda: odf("spreadsheet")),
    "odp": ("slides.odp", lambda: odf("presentation")),
    "csv": ("rates.csv", csv),
    "mp4": ("clip.mp4", mp4),
    "webm": ("clip.webm", webm),
    "vtt": ("captions.vtt", vtt),
}


# ---------------------------------------------------------------- hostile files


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive written by hand from raw deflated entries (name, data, crc, size): what
    `zipfile` cannot write (an entry compressed ahead of time, or sizes that lie)."""
    out, directory = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0
        )
        out += encoded + data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
    count = len(entries)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


def _deflated(text: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(text) + compressor.flush(), zlib.crc32(text), len(text)


_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="'
    f'{_OOXML}.wordprocessingml.document.main+xml"/></Types>'
).encode()


@functools.cache
def zip_bomb(lying: bool = False) -> bytes:
    """A DOCX-looking archive of about 1 MB whose document expands to 1 GB of zeros. The
    deflated megabyte is repeated (each block flushed, so all are the same), never computed
    from a gigabyte. `lying`: its headers claim a few kilobytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = b"\0" * MB
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * 1024 + compressor.flush()
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(zeros, crc)
    size = 4096 if lying else 1024 * MB
    return _zip(
        [
            ("[Content_Types].xml", *_deflated(_CONTENT_TYPES)),
            ("word/document.xml", data, crc, size),
        ]
    )


def zip_slip() -> bytes:
    """A DOCX-looking archive whose entry would be written outside any folder it is unzipped to."""
    return _zip(
        [
            ("[Content_Types].xml", *_deflated(_CONTENT_TYPES)),
            ("word/document.xml", *_deflated(b"<w:document/>")),
            ("../../../../tmp/evil.sh", *_deflated(b"#!/bin/sh\nrm -rf ~\n")),
        ]
    )


def docm_as_docx() -> bytes:
    """A Word document with macros, renamed .docx."""
    types = _CONTENT_TYPES.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"PE\x00\x00" * 40
SVG = (
    b'<?xml version="1.0" standalone="no"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
    b'onload="alert(document.domain)"><script>fetch("/api/")</script></svg>\n'
)
HTML = (
    b"<!DOCTYPE html><html><body><script>document.location='//evil.example/'</script></body></html>"
)


def pdf_with_html() -> bytes:
    """Starts as a PDF, and is a web page too for a browser that guesses."""
    return b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n" + pdf()[9:]


def pdf_with_javascript() -> bytes:
    return pdf().replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    )


def pdf_and_zip() -> bytes:
    """A PDF with a zip archive appended: a PDF reader and an unzip tool both open it."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as inside:
        inside.writestr("setup.exe", EXE)
    return pdf() + archive.getvalue()


def png_and_html() -> bytes:
    return png() + b"\n" + HTML


def png_bomb() -> bytes:
    """A PNG whose header says 30,000 by 30,000 pixels (900 million), in a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 30001))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class Sample:
    label: str
    name: str
    content: bytes


@functools.cache
def hostile() -> tuple[Sample, ...]:
    """Every hostile file, each of which every file field must refuse."""
    return (
        Sample("executable renamed .pdf", "invoice.pdf", EXE),
        Sample("executable renamed .docx", "report.docx", EXE),
        Sample("executable renamed .csv", "rates.csv", EXE),
        Sample("SVG with a script named .pdf", "receipt.pdf", SVG),
        Sample("SVG with a script named .png", "photo.png", SVG),
        Sample("SVG with a script named .csv", "rates.csv", SVG),
        Sample("HTML named .pdf", "decision.pdf", HTML),
        Sample("HTML named .csv", "rates.csv", HTML),
        Sample("zip bomb named .docx", "report.docx", zip_bomb()),
        Sample("zip bomb named .pdf", "report.pdf", zip_bomb()),
        Sample("zip bomb with lying sizes named .docx", "report.docx", zip_bomb(lying=True)),
        Sample("zip slip named .docx", "report.docx", zip_slip()),
        Sample("macros named .docx", "report.docx", docm_as_docx()),
        Sample("PDF that is also a zip", "decision.pdf", pdf_and_zip()),
        Sample("PDF with HTML at its start", "minutes.pdf", pdf_with_html()),
        Sample("PDF with JavaScript", "form.pdf", pdf_with_javascript()),
        Sample("PNG with HTML appended", "photo.png", png_and_html()),
        Sample("PNG of 900 million pixels", "photo.png", png_bomb()),
        Sample("path traversal name", "../../etc/passwd.pdf", b"root:x:0:0:root:/root:/bin/sh\n"),
        Sample("oversize", "scan.pdf", pdf() + b"0" * (10 * MB)),
        Sample("empty", "empty.pdf", b""),
    )
