"""A4 PDF documents with fonts that print every European name (Gdańsk, Αθήνα, Rīga)."""

from pathlib import Path

import matplotlib
from fpdf import FPDF

# DejaVu covers every European alphabet; matplotlib ships it inside its wheel.
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"


class _NumberedPages(FPDF):
    running_header = ""
    running_footer = ""

    def header(self) -> None:
        if self.running_header:
            self.set_font(FONT, "", 8)
            self.cell(0, 6, self.running_header, align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

    def footer(self) -> None:
        if self.running_footer:
            self.set_y(-17)
            self.set_font(FONT, "", 8)
            self.cell(0, 5, self.running_footer, align="C")
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="C")


def pdf_document(title: str, *, language: str = "en", header: str = "", footer: str = "") -> FPDF:
    """A new A4 document with the DejaVu family (regular, bold, italic) and page numbers; with
    `header` and `footer`, a line of text at the top and above the number of every page."""
    pdf = _NumberedPages(orientation="portrait", unit="mm", format="A4")
    pdf.running_header = header
    pdf.running_footer = footer
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.add_font(FONT, "", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(_FONTS / "DejaVuSans-Oblique.ttf"))
    pdf.set_auto_page_break(auto=True, margin=22 if footer else 18)
    pdf.alias_nb_pages()
    return pdf
