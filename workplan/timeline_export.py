"""The timeline as files for a steering committee's slide: SVG (the page's own drawing: its
colours, widths and generic font families are presentation attributes, so the file needs no
<style> and carries no script nor external reference), PNG (the same shapes drawn by
matplotlib's Agg back end, which needs no system library nor network; no pyplot, so no state
shared between requests) and PDF (the SVG placed by Typst on an A4 landscape page: tagged, its
text searchable).

The PNG is a 16:9 slide's width at 150 dpi. Fonts: DejaVu Sans, shipped inside matplotlib,
prints every European name; the SVG names generic families.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation
from matplotlib import patches
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.typst_document import Heading, Image, typst_pdf

from .timeline_drawing import Drawing

MARGIN = 0.3
SLIDE_WIDTH = 13.33  # a 16:9 slide, inches
PNG_DPI = 150
_ANCHOR = {"start": "left", "middle": "center", "end": "right"}

CONTENT_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
}


def timeline_svg(drawing: Drawing) -> bytes:
    """A standalone SVG file: the page's drawing with the SVG namespace and an XML prolog."""
    body = render_to_string("workplan/_timeline_svg.html", {"drawing": drawing, "standalone": True})
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def _figure(drawing: Drawing, page: tuple[float, float], scale: float) -> Figure:
    """The drawing on a page of `page` inches, `scale` inches per unit, top centred."""
    fig = Figure(figsize=page)
    width, height = drawing.width * scale, drawing.height * scale
    left = (page[0] - width) / 2
    bottom = page[1] - MARGIN - height if page[1] > height + 2 * MARGIN else (page[1] - height) / 2
    ax = fig.add_axes((left / page[0], bottom / page[1], width / page[0], height / page[1]))
    ax.set_xlim(0, drawing.width)
    ax.set_ylim(drawing.height, 0)
    ax.axis("off")
    points = scale * 72  # typographic points per unit

    for r in drawing.rects:
        ax.add_patch(
            patches.Rectangle(
                (r.x, r.y),
                r.w,
                r.h,
                facecolor=r.fill,
                edgecolor="none" if r.stroke == "none" else r.stroke,
                linewidth=0,
            )
        )
    for line in drawing.lines:
        ax.plot(
            [line.x1, line.x2],
            [line.y1, line.y2],
            color=line.stroke,
            linewidth=line.width * points,
            linestyle=(0, (4, 3)) if line.dashed else "-",
            solid_capstyle="butt",
        )
    for p in drawing.polys:
        ax.add_patch(
            patches.Polygon(
                list(p.points), closed=True, facecolor=p.fill, edgecolor=p.stroke, linewidth=points
            )
        )
    for c in drawing.circles:
        ax.add_patch(
            patches.Circle(
                (c.cx, c.cy), c.r, facecolor=c.fill, edgecolor=c.stroke, linewidth=1.2 * points
            )
        )
    for t in drawing.texts:
        ax.text(
            t.x,
            t.y,
            t.text,
            fontsize=t.size * points,
            color=t.fill,
            fontweight="bold" if t.bold else "normal",
            ha=_ANCHOR[t.anchor],
            va="baseline",
            rotation=90 if t.vertical else 0,
            rotation_mode="anchor",
            family="DejaVu Sans",
        )
    return fig


def timeline_png(drawing: Drawing) -> bytes:
    scale = SLIDE_WIDTH / drawing.width
    fig = _figure(drawing, (SLIDE_WIDTH, drawing.height * scale), scale)
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)  # the Agg canvas, attached to the figure: no pyplot, no GUI
    fig.savefig(buffer, format="png", dpi=PNG_DPI)
    return buffer.getvalue()


def timeline_pdf(drawing: Drawing, title: str, programme: str) -> bytes:
    """One A4 landscape page, the chart fitted to it: tagged PDF/UA-1 (core.typst_document),
    the chart a figure whose alternative text says what it shows; its text stays searchable."""
    return typst_pdf(
        title=title,
        language=translation.get_language() or "en",
        programme=programme,
        landscape=True,
        blocks=[
            Heading(title, 0),
            Image(
                timeline_svg(drawing).decode("utf-8"),
                alt=drawing.label,
                width_mm=247,
                height_mm=150,
            ),
        ],
    )
