"""The board paper as a tagged PDF, printed by WeasyPrint from the rendered HTML paper.

WeasyPrint lays out HTML and CSS as print without a browser (Chromium would need one installed
wherever bvplan runs) and writes tagged PDF: with `pdf_variant="pdf/ua-1"` it adds the structure
tree, marks the document as PDF/UA-1 in its XMP metadata, and takes the title from <title> and
the language from <html lang>. Fonts are always embedded (subset).

The same plans give the same bytes, whatever fonts the machine has:
- the paper is set in Liberation Sans (metric-compatible with Arial, the font the paper's CSS asks
  for first), shipped in bvplan/papers/fonts/ under the SIL Open Font License, so the layout and the
  embedded fonts do not depend on what fontconfig finds (a fresh machine may have only DejaVu,
  which is wider: another page break, another text order). A character it has no glyph for (the
  ✓ of completed milestones, a script it does not cover) still comes from the machine's fonts;
- the paper's reporting date is the creation and modification date, and WeasyPrint adds no random
  identifier for PDF/UA;
- where HarfBuzz's subsetter is missing, WeasyPrint subsets fonts with fontTools, which stamps each
  subset with the time it was made unless SOURCE_DATE_EPOCH says otherwise: it is the paper's date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html as html_module
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bvplan.papers.office import office_module
from bvplan.papers.report import Paper

PDF_VARIANT = "pdf/ua-1"
FONTS = Path(__file__).parent / "fonts"
# The bundled faces: file, weight, style.
FONT_FACES = (
    ("LiberationSans-Regular.ttf", "normal", "normal"),
    ("LiberationSans-Bold.ttf", "bold", "normal"),
    ("LiberationSans-Italic.ttf", "normal", "italic"),
    ("LiberationSans-BoldItalic.ttf", "bold", "italic"),
)
# The families of the paper's CSS the bundled faces answer for: the first it names (Arial), so no
# font of the machine is ever chosen before them (the PDF names the embedded font after it, as
# fontconfig's own Arial-to-Liberation alias did), and their own name. A house template that asks
# for another font gets it from the machine.
FONT_FAMILIES = ("Arial", "Liberation Sans")


def _with_metadata(html: str, paper: Paper) -> str:
    """The HTML with the <meta> tags WeasyPrint reads for the PDF's author, subject and dates."""
    day = paper.as_of.isoformat()
    metas = {
        "author": paper.cover.author or paper.cover.authority,
        "description": f"{paper.cover.plan_title}: {paper.period_label}",
        "keywords": f"{paper.cover.board}, {paper.period_label}",
        "generator": "bvplan",
        "dcterms.created": day,
        "dcterms.modified": day,
    }
    tags = "".join(f'<meta name="{name}" content="{html_module.escape(value)}">\n' for name, value in metas.items())
    head = html.find("<head>")
    if head < 0:
        return tags + html
    return html[: head + len("<head>")] + "\n" + tags + html[head + len("<head>") :]


def pdf_bytes(html: str, paper: Paper) -> bytes:
    """The PDF of the rendered HTML paper `html`; it fetches nothing but the bundled fonts (the paper is
    self-contained)."""
    weasyprint = office_module("weasyprint", "--format pdf")
    # WeasyPrint warns on the log about CSS it does not support (e.g. `overflow-wrap: anywhere`
    # in older versions); the paper's CSS is ours, and such notes are no concern of the user.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = _fetcher(weasyprint)
    fonts = weasyprint.text.fonts.FontConfiguration()
    stylesheet = weasyprint.CSS(string=font_faces(), font_config=fonts, url_fetcher=_font_fetcher(weasyprint))
    document = weasyprint.HTML(string=_with_metadata(html, paper), url_fetcher=fetcher)
    with _fonts_dated(paper.as_of):
        data = document.write_pdf(
            stylesheets=[stylesheet], font_config=fonts, pdf_variant=PDF_VARIANT, uncompressed_pdf=False
        )
    return bytes(data)


def font_faces() -> str:
    """@font-face rules for the bundled fonts, by file URL (read where they are, not copied into CSS)."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(FONTS / file).as_uri()}"); }}'
        for file, weight, style in FONT_FACES
        for family in FONT_FAMILIES
    )


def _font_fetcher(weasyprint: Any) -> Any:
    """The fetcher of bvplan's own font stylesheet: the bundled font files and nothing else."""
    folder = FONTS.as_uri() + "/"

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        if not url.startswith(folder):
            raise ValueError(f"the paper's fonts are bvplan's own, not {url}")
        if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 68 and later
            return weasyprint.URLFetcher(allowed_protocols={"file"}).fetch(url, *args, **kwargs)
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch


@contextlib.contextmanager
def _fonts_dated(day: dt.date) -> Iterator[None]:
    """Font subsets made meanwhile are dated `day` rather than now (fontTools reads SOURCE_DATE_EPOCH,
    the reproducible-builds convention), unless the user has set SOURCE_DATE_EPOCH themselves."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def _fetcher(weasyprint: Any) -> Any:
    """Only data: URLs are fetched: a paper prints from the plans alone, whatever a house template names."""
    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 68 and later
        return weasyprint.URLFetcher(allowed_protocols={"data"})

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        if not url.startswith("data:"):
            raise ValueError(f"the paper may not fetch {url}")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch
