"""The Word paper's pieces: the HTML paper read as a tree, and a council's template opened or refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bvplan.papers.docx_paper import DocxTemplateProblem, open_template, parse_html

docx = pytest.importorskip("docx")


def test_the_html_paper_reads_as_a_tree_of_its_elements() -> None:
    root = parse_html('<h1 class="title big">Paper</h1><p>One <strong>bold</strong> word<br>and a break</p>')
    heading = root.find("h1")
    assert heading is not None and heading.text() == "Paper" and heading.classes() == {"title", "big"}
    paragraph = root.find("p")
    assert paragraph is not None and paragraph.find("strong") is not None
    assert "One bold word" in paragraph.text()


def test_a_template_that_is_not_a_word_document_is_refused_with_its_name(tmp_path: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("not a document")
    with pytest.raises(DocxTemplateProblem, match=r"'.*notes\.docx' is not a Word document \(\.docx\), or is damaged"):
        open_template(text)
    workbook = tmp_path / "book.docx"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(DocxTemplateProblem, match=r"is not a Word document \(\.docx or \.dotx\)"):
        open_template(workbook)
    with pytest.raises(DocxTemplateProblem, match="cannot read --docx-template"):
        open_template(tmp_path / "missing.docx")


def test_a_dotx_template_opens_as_a_document(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    dotx = tmp_path / "council.dotx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(dotx, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, data)
    opened = open_template(dotx)
    assert docx.Document(io.BytesIO(opened)).paragraphs is not None
    with zipfile.ZipFile(io.BytesIO(opened)) as archive:
        assert b"document.main+xml" in archive.read("[Content_Types].xml")
