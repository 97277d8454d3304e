"""A delegate's certificate of attendance as an A4 PDF, drawn by Typst (typst/certificate.typ).

As for the infographics (infographics/rendering.py): the `typst` wheel compiles in-process,
with the DejaVu fonts matplotlib ships and no system font, so every machine draws the same
file; the PDF is tagged PDF/UA-1 (a title, a language, headings and lists), which Typst checks
as it writes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import typst

from core.typst_document import FONT_PATHS

from .selectors.after import CertificateData

TEMPLATE = Path(__file__).parent / "typst" / "certificate.typ"


def certificate_pdf(data: CertificateData) -> bytes:
    result: Any = typst.compile(
        str(TEMPLATE),
        format="pdf",
        font_paths=FONT_PATHS,
        ignore_system_fonts=True,
        pdf_standards="ua-1",
        sys_inputs={"data": json.dumps(dataclasses.asdict(data))},
    )
    return bytes(result)
