"""A4 PDF documents with fonts that print every European name (Gdańsk, Αθήνα, Rīga)."""

from pathlib import Path

import matplotlib
from fpdf import FPDF

# DejaVu covers every European alphabet; matplotlib ships it inside its wheel.
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"


class _NumberedPages(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="C")


def pdf_document(title: str, *, language: str = "en") -> FPDF:
    """A new A4 document with the DejaVu family (regular, bold, italic) and page numbers."""
    pdf = _NumberedPages(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.add_font(FONT, "", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(_FONTS / "DejaVuSans-Oblique.ttf"))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.alias_nb_pages()
    return pdf
