"""The board paper as a Word document, built from the rendered HTML paper.

Built from the HTML (not from a second template) so the Word paper always carries exactly the
sections, numbers and wording of the HTML paper, a council's house HTML templates included. The
HTML is walked with the standard library's parser and written with python-docx through Word's own
styles: h1-h4 become Heading 1-4 (Word's navigation pane and accessibility checker rely on them),
paragraphs keep the numbers the paper gives them (1.1, 1.2), lists become List Bullet / List
Number, tables become real tables whose header rows repeat on every page, and the inline SVG chart
becomes a PNG with the chart's title and description as its alt text.

A council's own template (`--docx-template council.docx`, or .dotx) is opened, its body cleared and
the paper written with its styles; its page setup, headers, footers and logo (the last section's)
are kept. Without one, python-docx's plain document is set to A4. The zip is written with the
reporting date as every member's time, so the same plans give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bvplan.errors import UsageError
from bvplan.papers.chart_png import chart_png
from bvplan.papers.charts import Bar
from bvplan.papers.office import office_module, stable_zip
from bvplan.papers.report import Paper

WHAT = "--format docx"
LANGUAGE = "en-GB"
_VOID = frozenset({"br", "meta", "link", "img", "hr", "input", "col", "area", "base", "wbr", "source"})
_SKIP = frozenset({"head", "style", "script", "template"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset(
    {"p", "ul", "ol", "table", "figure", "section", "main", "header", "footer", "div", "article", "nav"}
)
_SPACE = re.compile(r"\s+")
_BREAK = "\x00"  # a <br> among the inline pieces: a character no HTML text holds
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_WORD_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


class DocxTemplateProblem(UsageError):
    """The --docx-template file is not a Word document python-docx can open."""


@dataclass
class Node:
    """An element of the parsed HTML: its tag, attributes and children (nodes or text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str) -> Node | None:
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None


class _TreeBuilder(HTMLParser):
    """HTML text to a tree of `Node`s; forgiving of unclosed elements, as browsers are."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def open_template(path: Path) -> bytes:
    """The bytes of a .docx or .dotx python-docx can open as a document; else DocxTemplateProblem.

    A .dotx differs from a .docx only in its main part's content type, which is changed in memory.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocxTemplateProblem(f"cannot read --docx-template '{path}': {exc.strerror}") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocxTemplateProblem(
            f"--docx-template '{path}' is not a Word document (.docx), or is damaged: it is not a readable zip file"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            types = archive.read("[Content_Types].xml")
            if _WORD_TEMPLATE_MAIN.encode() in types:
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                    for info in archive.infolist():
                        member = archive.read(info.filename)
                        if info.filename == "[Content_Types].xml":
                            member = member.replace(_WORD_TEMPLATE_MAIN.encode(), _WORD_MAIN.encode())
                        copy.writestr(info, member)
                data = out.getvalue()
            elif _WORD_MAIN.encode() not in types:
                raise DocxTemplateProblem(f"--docx-template '{path}' is not a Word document (.docx or .dotx)")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise DocxTemplateProblem(f"--docx-template '{path}' is damaged: {exc}") from None
    return data


def docx_bytes(html: str, paper: Paper, template: Path | None = None) -> bytes:
    """The Word paper for the rendered HTML paper `html` of `paper`."""
    docx = office_module("docx", WHAT)
    template_bytes = open_template(template) if template is not None else None
    try:
        document = docx.Document(io.BytesIO(template_bytes) if template_bytes is not None else None)
    except Exception as exc:  # python-docx raises many kinds for a damaged package (KeyError, lxml, ValueError)
        raise DocxTemplateProblem(f"--docx-template '{template}' is damaged: {type(exc).__name__}: {exc}") from None
    if template_bytes is None:
        _plain_page(document, paper)
    else:
        _clear_body(document)
    writer = _Writer(document, paper)
    root = parse_html(html)
    writer.block(root)
    _properties(document, paper, root)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), paper.as_of)


def _clear_body(document: Any) -> None:
    """Remove the template's content, keeping its final section (page setup, header and footer refs)."""
    body = document.element.body
    for child in list(body):
        if child.tag != _qn("w:sectPr"):
            body.remove(child)


def _plain_page(document: Any, paper: Paper) -> None:
    """bvplan's own template: A4 with the paper's margins, and a footer naming the paper and page."""
    shared = office_module("docx.shared", WHAT)
    section = document.sections[0]
    section.page_width, section.page_height = shared.Mm(210), shared.Mm(297)
    section.top_margin, section.bottom_margin = shared.Mm(18), shared.Mm(20)
    section.left_margin = section.right_margin = shared.Mm(16)
    footer = section.footer.paragraphs[0]
    footer.text = f"{paper.cover.paper_title} – page "
    _field(footer, "PAGE")
    styles = document.styles
    defaults = styles.element.find(_qn("w:docDefaults"))
    language = defaults.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}/{_qn('w:lang')}") if defaults is not None else None
    if language is not None:  # the spelling and the screen reader's voice: British English
        language.set(_qn("w:val"), LANGUAGE)
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = shared.Pt(11)


def _field(paragraph: Any, instruction: str) -> None:
    oxml = office_module("docx.oxml", WHAT)
    simple = oxml.OxmlElement("w:fldSimple")
    simple.set(_qn("w:instr"), instruction)
    run = oxml.OxmlElement("w:r")
    text = oxml.OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _qn(name: str) -> str:
    return str(office_module("docx.oxml.ns", WHAT).qn(name))


def _properties(document: Any, paper: Paper, root: Node) -> None:
    """Title, author and language for Word's Info pane and screen readers; dated the reporting date."""
    props = document.core_properties
    title_node = root.find("title")
    html_node = root.find("html")
    props.title = _clean(title_node.text()) if title_node is not None else paper.cover.paper_title
    props.author = paper.cover.author or paper.cover.authority
    props.language = (html_node.attrs.get("lang") if html_node is not None else None) or LANGUAGE
    props.subject = paper.cover.plan_title
    props.keywords = f"{paper.cover.board}; {paper.period_label}"
    props.comments = ""
    props.last_modified_by = "bvplan"
    props.revision = 1
    stamp = dt.datetime.combine(paper.as_of, dt.time())
    props.created = props.modified = stamp
    if props.last_printed is not None:  # a template printed once would carry the day it was
        props.last_printed = stamp


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _collect(content: Sequence[Node | str], bold: bool, italic: bool, out: list[tuple[str, bool, bool]]) -> None:
    for child in content:
        if isinstance(child, str):
            out.append((child, bold, italic))
        elif child.tag == "br":
            out.append((_BREAK, bold, italic))
        elif child.tag not in _SKIP:
            classes = child.classes()
            strong = bold or child.tag in ("strong", "b") or "status-overdue" in classes
            _collect(child.children, strong, italic or child.tag in ("em", "i") or "board-rating" in classes, out)


class _Writer:
    """Writes the parsed HTML into the document, block by block."""

    def __init__(self, document: Any, paper: Paper) -> None:
        self.document = document
        self.paper = paper
        self.shared = office_module("docx.shared", WHAT)
        self.oxml = office_module("docx.oxml", WHAT)
        self.enum_style = office_module("docx.enum.style", WHAT)
        self._styles: dict[str, Any] = {}  # looked up once: python-docx finds a style by name by reading them all
        self._break_before = False
        self._added: set[str] = set()  # styles the council's template lacked, added plain

    # -- styles ------------------------------------------------------------------------------
    def style(self, name: str, level: int | None = None) -> Any:
        """The style `name`, added to the document when a council's template lacks it (with its outline level)."""
        if name in self._styles:
            return self._styles[name]
        styles = self.document.styles
        try:
            found = styles[name]
        except KeyError:
            kind = (
                self.enum_style.WD_STYLE_TYPE.TABLE if name == "Table Grid" else self.enum_style.WD_STYLE_TYPE.PARAGRAPH
            )
            added = styles.add_style(name, kind)
            if kind == self.enum_style.WD_STYLE_TYPE.PARAGRAPH:
                added.base_style = styles["Normal"]
                if level is not None:
                    added.font.bold = True
                    added.font.size = self.shared.Pt({1: 16, 2: 14, 3: 12}.get(level, 11))
                    outline = self.oxml.OxmlElement("w:outlineLvl")
                    outline.set(_qn("w:val"), str(level - 1))
                    added.element.get_or_add_pPr().append(outline)
                    added.paragraph_format.keep_with_next = True
            found = added
            self._added.add(name)
        self._styles[name] = found
        return found

    # -- blocks ------------------------------------------------------------------------------
    def block(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    self.paragraph([child])
                continue
            self.element(child)

    def element(self, node: Node) -> None:
        tag = node.tag
        if tag in _SKIP:
            return
        if tag in _HEADINGS:
            level = _HEADINGS[tag]
            paragraph = self.paragraph(node.children, self.style(f"Heading {level}", level))
            if self._break_before:
                paragraph.paragraph_format.page_break_before = True
                self._break_before = False
        elif tag == "p":
            style = "Subtitle" if "board" in node.classes() else None
            self.paragraph(node.children, self.style(style) if style else None)
        elif tag in ("ul", "ol"):
            self.items(node)
        elif tag == "table":
            self.table(node)
        elif tag == "figure":
            self.figure(node)
        elif tag == "svg":
            self.chart(node)
        elif tag == "section" and "appendix" in node.classes():
            self._break_before = True  # the appendix starts on a new page, as it does in print
            self.block(node)
        elif tag in _BLOCKS or tag in ("html", "body", "#root"):
            self.block(node)
        else:
            self.paragraph([node])

    def paragraph(self, content: Sequence[Node | str], style: Any = None) -> Any:
        paragraph = self.document.add_paragraph()
        if style is not None:  # by id: python-docx's own setter reads every style to find the default
            paragraph._p.get_or_add_pPr().style = style.style_id
        self.inline(paragraph, content)
        return paragraph

    def inline(self, paragraph: Any, content: Sequence[Node | str], bold: bool = False) -> None:
        """Runs for inline content: whitespace collapsed as a browser would, <br> a line break."""
        pieces: list[tuple[str, bool, bool]] = []  # (text, bold, italic); _BREAK is a line break
        _collect(content, bold, False, pieces)
        merged: list[tuple[str, bool, bool]] = []
        for text, strong, italic in pieces:
            if text != _BREAK:
                text = _SPACE.sub(" ", text)
                before = merged[-1][0] if merged else _BREAK
                if before.endswith((" ", _BREAK)):
                    text = text.lstrip(" ")
                if not text:
                    continue
            elif merged and merged[-1][0] != _BREAK:
                merged[-1] = (merged[-1][0].rstrip(" "), merged[-1][1], merged[-1][2])
            merged.append((text, strong, italic))
        if merged and merged[-1][0] != _BREAK:
            merged[-1] = (merged[-1][0].rstrip(" "), merged[-1][1], merged[-1][2])
        for text, strong, italic in merged:
            if text == _BREAK:
                paragraph.add_run().add_break()
            elif text:
                run = paragraph.add_run(text)
                run.bold = strong or None
                run.italic = italic or None

    def items(self, node: Node) -> None:
        name = "List Number" if node.tag == "ol" else "List Bullet"
        style = self.style(name)
        # A list style bvplan had to add has no Word numbering behind it: the marks are written out.
        marked = name in self._added
        items = [item for item in node.children if isinstance(item, Node) and item.tag == "li"]
        for number, item in enumerate(items, start=1):
            mark = (f"{number}. " if node.tag == "ol" else "• ") if marked else ""
            self.paragraph([mark, *item.children] if mark else item.children, style)

    def figure(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, Node):
                if child.tag == "figcaption":
                    self.paragraph(child.children, self.style("Caption"))
                else:
                    self.element(child)

    def chart(self, svg: Node) -> None:
        """The chart as an image; its alt text is the SVG's title and its description of every figure."""
        title_node, desc_node = svg.find("title"), svg.find("desc")
        title = _clean(title_node.text()) if title_node is not None else svg.attrs.get("aria-label", "Chart")
        description = _clean(desc_node.text()) if desc_node is not None else title
        bars = [Bar(r.theme, r.completed, r.in_progress, r.overdue, r.not_started) for r in self.paper.summary]
        picture = io.BytesIO(chart_png(bars, title, self.paper.chart_names))
        self.document.add_paragraph().add_run().add_picture(picture, width=self.shared.Mm(170))
        properties = self.document.inline_shapes[-1]._inline.docPr
        properties.set("title", title)
        properties.set("descr", description)
        properties.set("name", "Status chart")

    def table(self, node: Node) -> None:
        caption: Node | None = None
        rows: list[tuple[Node, bool]] = []  # (tr, is a header row)
        footer: list[tuple[Node, bool]] = []
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child.tag == "caption":
                caption = child
            elif child.tag in ("thead", "tbody", "tfoot"):
                target = footer if child.tag == "tfoot" else rows
                target += [
                    (tr, child.tag == "thead") for tr in child.children if isinstance(tr, Node) and tr.tag == "tr"
                ]
            elif child.tag == "tr":
                rows.append((child, False))
        rows += footer
        if caption is not None:
            paragraph = self.paragraph(caption.children, self.style("Caption"))
            paragraph.paragraph_format.keep_with_next = True
        cells_of = [[c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")] for tr, _ in rows]
        columns = max((len(cells) for cells in cells_of), default=0)
        if not columns:
            return
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = self.style("Table Grid")
        table.autofit = False
        widths = self._widths(cells_of, columns)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid, which LibreOffice reads; Word reads each cell's width
        for (tr, header), cells, row in zip(rows, cells_of, table.rows, strict=True):
            properties = row._tr.get_or_add_trPr()
            properties.append(self.oxml.OxmlElement("w:cantSplit"))
            if header:
                properties.append(self.oxml.OxmlElement("w:tblHeader"))  # repeat on every page
            for cell_node, cell, width in zip(cells, row.cells, widths, strict=False):
                cell.width = width
                paragraph = cell.paragraphs[0]
                self.inline(
                    paragraph, cell_node.children, bold=cell_node.tag == "th" and (header or "total" in tr.classes())
                )
                if "num" in cell_node.classes():
                    paragraph.alignment = 2  # right, as the HTML aligns figures
        self.document.add_paragraph()  # Word joins adjacent tables; keep them apart

    def _widths(self, cells_of: Sequence[Sequence[Node]], columns: int) -> list[Any]:
        """Column widths across the text width: each column as wide as its longest text up to a limit,
        and never narrower than its longest word, so words are not broken and figures stay narrow."""
        section = self.document.sections[-1]
        text_width = int(section.page_width - section.left_margin - section.right_margin)
        weights = [4] * columns
        for cells in cells_of:
            for c, cell in enumerate(cells):
                text = _clean(cell.text())
                word = max((len(w) for w in text.split()), default=0)
                weights[c] = max(weights[c], word + 2, min(len(text), 30))
        total = sum(weights)
        return [self.shared.Emu(text_width * n // total) for n in weights]
