"""The board paper as a tagged PDF, printed by WeasyPrint from the rendered HTML paper.

WeasyPrint lays out HTML and CSS as print without a browser (Chromium would need one installed
wherever bvplan runs) and writes tagged PDF: with `pdf_variant="pdf/ua-1"` it adds the structure
tree, marks the document as PDF/UA-1 in its XMP metadata, and takes the title from <title> and
the language from <html lang>. Fonts are always embedded (subset). The paper's reporting date is
given as the creation and modification date, and WeasyPrint adds no random identifier for PDF/UA,
so the same plans give the same bytes on the same machine (the fonts found by fontconfig are part
of the file, so another machine with other fonts gives other bytes and the same text).
"""

from __future__ import annotations

import html as html_module
import logging
from typing import Any

from bvplan.papers.office import office_module
from bvplan.papers.report import Paper

PDF_VARIANT = "pdf/ua-1"


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
    """The PDF of the rendered HTML paper `html`; it fetches nothing (the paper is self-contained)."""
    weasyprint = office_module("weasyprint", "--format pdf")
    # WeasyPrint warns on the log about CSS it does not support (e.g. `overflow-wrap: anywhere`
    # in older versions); the paper's CSS is ours, and such notes are no concern of the user.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=_with_metadata(html, paper), url_fetcher=_fetcher(weasyprint))
    data = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    return bytes(data)


def _fetcher(weasyprint: Any) -> Any:
    """Only data: URLs are fetched: a paper prints from the plans alone, whatever a house template names."""
    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 68 and later
        return weasyprint.URLFetcher(allowed_protocols={"data"})

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        if not url.startswith("data:"):
            raise ValueError(f"the paper may not fetch {url}")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch
