"""A delegate's certificate of attendance as an A4 PDF, drawn by Typst (typst/certificate.typ).

As for the infographics (infographics/rendering.py): the `typst` wheel compiles in-process,
with the DejaVu fonts matplotlib ships and no system font, so every machine draws the same
file; the PDF is tagged PDF/UA-1 (a title, a language, headings and lists), which Typst checks
as it writes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from core.typst_document import typst_template_pdf

from .selectors.after import CertificateData

TEMPLATE = Path(__file__).parent / "typst" / "certificate.typ"


def certificate_pdf(data: CertificateData) -> bytes:
    return typst_template_pdf(TEMPLATE, dataclasses.asdict(data))
