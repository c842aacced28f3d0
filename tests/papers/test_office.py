"""Word, PDF and spreadsheet output, read back with the libraries that read those files.

The Word paper is opened with python-docx, the PDF with pypdf, the workbook with openpyxl, and each
is checked against the HTML paper or `status --format csv` of the same plans. Skipped when the
`office` extra is not installed (tests/e2e/test_office_missing.py covers that case).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bvplan.papers.office import OfficeExtraMissing, office_module, stable_zip
from tests.conftest import SHIPPED_PLANS, Ran, RunMain, main_in_process, needs_weasyprint

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

Q1 = ("report", "q1", "--plan", "bvip-2018-19", "--plans", str(SHIPPED_PLANS))
STATUS_Q1 = ("status", "--as-of", "q1", "--plan", "bvip-2018-19", "--plans", str(SHIPPED_PLANS))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def bvplan(*args: str | Path, cwd: Path | None = None) -> Ran:
    """`bvplan ARGS` in this process (as the run_main fixture does, usable at module scope)."""
    return main_in_process(*args, cwd=cwd)


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Html(HTMLParser):
    """The headings, numbered paragraphs and tables of the HTML paper, to hold the others against."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.numbered: list[str] = []
        self.tables: list[bool] = []  # has a header row (thead)
        self._open: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2", "h3", "h4", "p"):
            self._open.append(tag)
            self._text = []
        elif tag == "table":
            self.tables.append(False)
        elif tag == "thead":
            self.tables[-1] = True

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[-1]:
            self._open.pop()
            text = words("".join(self._text))
            if tag == "p":
                if re.match(r"\d+\.\d+\. ", text):
                    self.numbered.append(text)
            else:
                self.headings.append((int(tag[1]), text))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Q1 2018-19 paper as HTML and Word, written by the CLI."""
    folder = tmp_path_factory.mktemp("papers")
    out = {}
    for suffix in ("html", "docx"):
        path = folder / f"q1.{suffix}"
        result = bvplan(*Q1, "-o", path)
        assert result.returncode == 0, result.stderr
        out[suffix] = path
    return out


@pytest.fixture(scope="module")
def html(papers: dict[str, Path]) -> _Html:
    parser = _Html()
    parser.feed(papers["html"].read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def document(papers: dict[str, Path]) -> Any:
    return docx.Document(str(papers["docx"]))


# -- Word ------------------------------------------------------------------------------------


def test_word_headings_are_the_html_papers_headings_in_word_heading_styles(document: Any, html: _Html) -> None:
    headings = [
        (int(p.style.name.removeprefix("Heading ")), words(p.text))
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]
    assert headings == html.headings
    assert headings[0] == (1, "Best Value Improvement Plan 2018-19 Quarterly Report")
    assert [text for level, text in headings if level == 2][:6] == [
        "1. Introduction",
        "2. Recommendations",
        "3. Background",
        "4. Status criteria",
        "5. Summary by theme",
        "6. Progress by theme",
    ]
    assert (3, "6.2. Elections") in headings
    # The appendix starts on a new page, as it does in print.
    appendix = next(p for p in document.paragraphs if p.text.startswith("Appendix 1:"))
    assert appendix.paragraph_format.page_break_before is True


def test_word_paragraphs_keep_the_papers_numbers(document: Any, html: _Html) -> None:
    numbered = [
        words(p.text)
        for p in document.paragraphs
        if re.match(r"\d+\.\d+\. ", p.text) and not p.style.name.startswith("Heading")
    ]
    assert numbered == html.numbered
    assert [n.split(" ")[0] for n in numbered[:4]] == ["1.1.", "1.2.", "1.3.", "2.1."]
    assert "There are 14 actions (12 still open), delivered through 43 milestones" in numbered[1]


def test_word_lists_use_word_list_styles(document: Any) -> None:
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    numbers = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert any(b.startswith("Completed – where the key milestone has been achieved") for b in bullets)
    assert numbers[0].startswith("Consider and comment on the draft update report")


def test_word_tables_are_real_tables_with_repeating_header_rows(document: Any, html: _Html) -> None:
    assert len(document.tables) == len(html.tables)
    for table, has_header in zip(document.tables, html.tables, strict=True):
        first = table.rows[0]._tr
        repeats = first.trPr is not None and first.trPr.find(f"{W}tblHeader") is not None
        assert repeats == has_header
        for row in table.rows[1:]:  # only the header row repeats
            assert row._tr.trPr.find(f"{W}tblHeader") is None
    summary = next(t for t in document.tables if t.rows[0].cells[0].text == "Theme")
    assert [c.text for c in summary.rows[-1].cells] == ["Total", "14", "23", "5", "1", "43", "33%"]
    assert [c.text for c in summary.rows[1].cells] == ["Elections", "10", "1", "0", "0", "11", "91%"]


def test_word_chart_is_an_image_with_alt_text_and_its_figures_in_a_table(document: Any) -> None:
    assert len(document.inline_shapes) == 1
    properties = document.inline_shapes[0]._inline.docPr
    assert properties.get("title") == "Milestones by status and theme, 1 June 2018"
    description = properties.get("descr")
    assert "Elections: 10 completed, 1 in progress, 0 overdue, of 11 milestones." in description
    assert "Property: 1 completed, 4 in progress, 3 overdue, of 8 milestones." in description
    image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[image].content_type == "image/png"
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Milestones by status and theme as at 1 June 2018" in captions


def test_word_document_properties(document: Any) -> None:
    props = document.core_properties
    assert props.title == "Best Value Improvement Plan 2018-19 Quarterly Report"
    assert props.author == "Acting Service Manager, Strategy, Policy and Performance"
    assert props.language == "en-GB"
    day = dt.datetime(2018, 6, 1, tzinfo=dt.UTC)
    assert props.created == day and props.modified == day


def test_same_plans_give_the_same_word_and_workbook_bytes(papers: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    assert bvplan(*Q1, "-o", again).returncode == 0
    assert again.read_bytes() == papers["docx"].read_bytes()
    books = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for book in books:
        assert bvplan(*STATUS_Q1, "-o", book).returncode == 0
    assert books[0].read_bytes() == books[1].read_bytes()


def _council_template(path: Path) -> None:
    """A council's template: its own header, footer, heading colour and some body text to be replaced."""
    from docx.shared import RGBColor

    template = docx.Document()
    section = template.sections[0]
    section.header.paragraphs[0].text = "London Borough of Tower Hamlets – Committee Report"
    section.footer.paragraphs[0].text = "OFFICIAL"
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x80, 0x00, 0x80)
    template.add_paragraph("Replace this text with your report.")
    template.save(str(path))


def test_council_template_keeps_its_styles_header_and_footer(tmp_path: Path, document: Any) -> None:
    template = tmp_path / "council.docx"
    _council_template(template)
    output = tmp_path / "paper.docx"
    result = bvplan(*Q1, "--docx-template", template, "-o", output)
    assert result.returncode == 0, result.stderr
    paper = docx.Document(str(output))
    assert paper.sections[0].header.paragraphs[0].text == "London Borough of Tower Hamlets – Committee Report"
    assert paper.sections[0].footer.paragraphs[0].text == "OFFICIAL"
    assert paper.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0x80, 0x00, 0x80)
    texts = [p.text for p in paper.paragraphs]
    assert "Replace this text with your report." not in texts
    assert texts == [p.text for p in document.paragraphs]  # the same paper, in the council's dress


def test_council_template_without_word_list_heading_or_table_styles(tmp_path: Path) -> None:
    """Many council templates define only the styles they use: the missing ones are added, headings
    with their outline level (so the navigation pane still lists them)."""
    template = tmp_path / "council.docx"
    _council_template(template)
    lean = docx.Document(str(template))
    for name in ("Heading 3", "List Bullet", "Caption", "Table Grid"):
        lean.styles[name].delete()
    lean.save(str(template))
    output = tmp_path / "paper.docx"
    result = bvplan(*Q1, "--docx-template", template, "-o", output)
    assert result.returncode == 0, result.stderr
    paper = docx.Document(str(output))
    assert "6.2. Elections" in [p.text for p in paper.paragraphs if p.style.name == "Heading 3"]
    outline = paper.styles["Heading 3"].element.pPr.find(f"{W}outlineLvl")
    assert outline is not None and outline.get(f"{W}val") == "2"
    bullets = [p.text for p in paper.paragraphs if p.style.name == "List Bullet"]
    assert bullets and all(b.startswith("• ") for b in bullets)  # no Word numbering behind the style
    assert all(t.style.name == "Table Grid" for t in paper.tables)


def test_council_template_as_dotx(tmp_path: Path) -> None:
    """Word saves templates as .dotx: the same package with another content type."""
    docx_template = tmp_path / "council.docx"
    _council_template(docx_template)
    dotx = tmp_path / "council.dotx"
    with zipfile.ZipFile(docx_template) as source, zipfile.ZipFile(dotx, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, data)
    output = tmp_path / "paper.docx"
    result = bvplan(*Q1, "--docx-template", dotx, "-o", output)
    assert result.returncode == 0, result.stderr
    assert docx.Document(str(output)).sections[0].footer.paragraphs[0].text == "OFFICIAL"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Dear colleague, please use the attached template.\n", "is not a Word document"),
        ("truncated", "is not a Word document (.docx), or is damaged"),
        ("xlsx", "is not a Word document (.docx or .dotx)"),
        ("no-document", "is damaged"),
    ],
)
def test_a_template_that_is_not_a_word_document_is_refused_and_nothing_is_written(
    tmp_path: Path, run_main: RunMain, content: bytes | str, message: str
) -> None:
    template = tmp_path / "council.docx"
    if content == "truncated":
        _council_template(template)
        template.write_bytes(template.read_bytes()[:3000])
    elif content == "xlsx":
        openpyxl.Workbook().save(str(template))
    elif content == "no-document":
        _council_template(template)
        broken = tmp_path / "broken.docx"
        with zipfile.ZipFile(template) as source, zipfile.ZipFile(broken, "w") as target:
            for info in source.infolist():
                if info.filename != "word/document.xml":
                    target.writestr(info, source.read(info.filename))
        broken.replace(template)
    else:
        assert isinstance(content, bytes)
        template.write_bytes(content)
    output = tmp_path / "paper.docx"
    output.write_bytes(b"last quarter's paper")
    result = run_main(*Q1, "--docx-template", template, "-o", output)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert output.read_bytes() == b"last quarter's paper"


def test_word_and_pdf_are_files_not_terminal_text(run_main: RunMain) -> None:
    for fmt in ("docx", "pdf"):
        result = run_main(*Q1, "--format", fmt)
        assert result.returncode == 2
        assert f"--format {fmt} writes a file" in result.stderr
        assert result.stdout == ""


def test_docx_template_needs_the_word_format(run_main: RunMain, tmp_path: Path) -> None:
    template = tmp_path / "council.docx"
    _council_template(template)
    result = run_main(*Q1, "--docx-template", template, "-o", tmp_path / "q1.html")
    assert result.returncode == 2
    assert "--docx-template is for the Word paper" in result.stderr
    assert not (tmp_path / "q1.html").exists()


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed: Debian's libreoffice-writer-nogui, as .ci/run installs it",
)
def test_libreoffice_opens_the_word_paper(papers: dict[str, Path], tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    profile = tmp_path / "profile"  # its own profile: no clash with another LibreOffice running
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(papers["docx"]),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(tmp_path / "q1.pdf")
    # A4 pages; the paper (cover, sections, a 43-milestone appendix) takes 8 to 20 of them.
    assert 8 <= len(reader.pages) <= 20
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 210
    text = words(" ".join(page.extract_text() for page in reader.pages))
    assert "Appendix 1: Best Value Improvement Plan 2018-19" in text


# -- PDF ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs_weasyprint()
    path = tmp_path_factory.mktemp("pdf") / "q1.pdf"
    result = bvplan(*Q1, "-o", path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.slow
def test_pdf_text_holds_every_section(pdf: Path, html: _Html) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(pdf)
    # A line that ends in a hyphen ("short-" / "term") is one word broken by the layout.
    text = words(re.sub(r"-\n", "-", " ".join(page.extract_text() for page in reader.pages)))
    for _level, heading in html.headings:
        assert heading in text
    for paragraph in html.numbered:
        assert paragraph in text


@pytest.mark.slow
def test_pdf_is_tagged_with_title_language_and_embedded_fonts(pdf: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(pdf)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/StructTreeRoot"]["/K"]  # the tree has content
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata is not None
    assert reader.metadata.title == "Best Value Improvement Plan 2018-19 Quarterly Report"
    assert reader.metadata.author == "Acting Service Manager, Strategy, Policy and Performance"
    assert reader.metadata["/CreationDate"] == "D:20180601"
    kinds: dict[str, list[Any]] = {}

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            kinds.setdefault(str(node.get("/S")), []).append(node)
            children = node.get("/K")
            for child in children if isinstance(children, list) else [children] if children is not None else []:
                walk(child)

    walk(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/P", "/L", "/Table", "/TH", "/THead"} <= set(kinds)
    assert [str(f["/Alt"]) for f in kinds["/Figure"]] == ["Milestones by status and theme, 1 June 2018"]
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp or b'pdfuaid="http://www.aiim.org/pdfua/ns/id/"' in xmp
    fonts = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts += 1
    assert fonts


@pytest.mark.slow
def test_same_plans_give_the_same_pdf_bytes(pdf: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    assert bvplan(*Q1, "-o", again).returncode == 0
    assert again.read_bytes() == pdf.read_bytes()


# -- Spreadsheet ----------------------------------------------------------------------------


def _as_csv_text(value: object) -> str:
    """A cell as `status --format csv` writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("xlsx") / "tracker.xlsx"
    result = bvplan(*STATUS_Q1, "--format", "xlsx", "-o", path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    return openpyxl.load_workbook(path)


def test_workbook_agrees_with_csv_cell_by_cell(workbook: Any) -> None:
    result = bvplan(*STATUS_Q1, "--format", "csv")
    expected = list(csv.reader(io.StringIO(result.stdout)))
    header, rows = expected[0], expected[1:]
    got: list[list[str]] = []
    for sheet in workbook.worksheets[1:]:
        values = [[_as_csv_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        assert values[0] == header
        got += values[1:]
    assert got == rows
    assert len(got) == 43


def test_workbook_has_a_summary_and_one_sheet_per_theme(workbook: Any) -> None:
    assert workbook.sheetnames == [
        "Summary",
        "Elections",
        "Communications",
        "Property",
        "Grants",
        "Organisational Culture",
    ]
    summary = [list(row) for row in workbook["Summary"].iter_rows(values_only=True)]
    assert summary[0][:7] == ["plan", "theme", "completed", "in_progress", "overdue", "not_started", "total"]
    assert summary[-1][:7] == ["bvip-2018-19", "Total", 18, 23, 2, 0, 43]
    for sheet in workbook.worksheets[1:]:
        assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == {sheet.title}


def test_workbook_header_frozen_filters_on_dates_real_and_rag_filled(workbook: Any) -> None:
    from bvplan.papers.status_views import COLUMNS
    from bvplan.papers.xlsx_views import DATE_COLUMNS, RAG_FILLS

    rag = COLUMNS.index("rag")
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
    property_sheet = workbook["Property"]
    for row in property_sheet.iter_rows(min_row=2):
        for column, cell in zip(COLUMNS, row, strict=True):
            if column in DATE_COLUMNS and cell.value is not None:
                assert isinstance(cell.value, dt.datetime) and cell.number_format == "yyyy-mm-dd"
        assert row[rag].value in RAG_FILLS
        assert row[rag].fill.fgColor.rgb.endswith(RAG_FILLS[row[rag].value])
    assert {row[rag].value for row in property_sheet.iter_rows(min_row=2)} >= {"red", "green"}


def test_workbook_is_never_written_to_a_terminal(run_main: RunMain) -> None:
    result = run_main(*STATUS_Q1, "--format", "xlsx")
    assert result.returncode == 2
    assert "give a file with -o" in result.stderr
    assert result.stdout == ""


def test_status_output_file_takes_its_format_from_the_extension(run_main: RunMain, tmp_path: Path) -> None:
    for suffix, fmt in (("csv", "csv"), ("json", "json"), ("md", "markdown")):
        path = tmp_path / f"status.{suffix}"
        result = run_main(*STATUS_Q1, "-o", path)
        assert result.returncode == 0, result.stderr
        assert path.read_text(encoding="utf-8") == run_main(*STATUS_Q1, "--format", fmt).stdout
    plan_file = tmp_path / "theme.yaml"
    result = run_main(*STATUS_Q1, "--format", "csv", "-o", plan_file)
    assert result.returncode == 2 and not plan_file.exists()


def test_sheet_names_are_valid_and_distinct() -> None:
    from bvplan.papers.xlsx_views import sheet_name

    taken = {"summary"}
    assert sheet_name("Summary", taken) == "Summary (2)"
    assert sheet_name("Grants: voluntary/community [2018]?", taken) == "Grants- voluntary-community -20"
    long = "Organisational Culture and Governance Improvement"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) == len(second) == 31 and first != second


# -- What the writers share ------------------------------------------------------------------


def test_a_zip_is_restamped_with_the_papers_day_so_the_same_content_gives_the_same_bytes() -> None:
    def written(when: tuple[int, int, int, int, int, int]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name in ("[Content_Types].xml", "word/document.xml"):
                archive.writestr(zipfile.ZipInfo(name, date_time=when), f"<{name}/>")
        return out.getvalue()

    day = dt.date(2018, 6, 1)
    first, second = written((2026, 1, 2, 3, 4, 5)), written((2026, 12, 6, 20, 0, 0))
    assert first != second
    assert stable_zip(first, day) == stable_zip(second, day)
    with zipfile.ZipFile(io.BytesIO(stable_zip(first, day))) as archive:
        assert [(i.filename, i.date_time) for i in archive.infolist()] == [
            ("[Content_Types].xml", (2018, 6, 1, 0, 0, 0)),
            ("word/document.xml", (2018, 6, 1, 0, 0, 0)),
        ]
        assert archive.read("word/document.xml") == b"<word/document.xml/>"


def test_a_missing_office_library_names_the_command_that_installs_it() -> None:
    with pytest.raises(
        OfficeExtraMissing, match=r"--format pdf needs the 'office' extra .*pip install 'bvplan\[office\]'"
    ):
        office_module("bvplan_no_such_library", "--format pdf")
