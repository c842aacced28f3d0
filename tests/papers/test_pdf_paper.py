"""The PDF paper's bytes come from the plans alone: the bundled Liberation Sans sets it whatever fonts
the machine has, and the font subsets carry the paper's date, not the time they were made.

The structure, text and metadata of the PDF are read back in test_office.py.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bvplan.papers import pdf_paper
from tests.conftest import SHIPPED_PLANS, RunMain, needs_weasyprint

pypdf = pytest.importorskip("pypdf")
ttLib = pytest.importorskip("fontTools.ttLib")

pytestmark = pytest.mark.slow

Q1 = ("report", "q1", "--plan", "bvip-2018-19", "--plans", str(SHIPPED_PLANS), "--format", "pdf")
Q1_POSITION = dt.date(2018, 6, 1)  # the Q1 paper's position date: its creation date
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# The one character of the paper the bundled font has no glyph for (the "completed" tick, from the
# CSS): it comes from the machine's fonts.
NOT_IN_THE_BUNDLED_FONT = {"\u2713", "\xa0"}


def _font_file(font: Any) -> bytes:
    font = font.get_object()
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font["/FontDescriptor"].get_object()
    return bytes(descriptor["/FontFile2"].get_object().get_data())


def _family(data: bytes) -> str:
    return str(ttLib.TTFont(io.BytesIO(data))["name"].getDebugName(1))


def embedded_fonts(path: Path) -> Iterator[bytes]:
    """Every font file embedded in the PDF, once each (pages and the chart's form objects)."""
    seen: set[int] = set()

    def walk(resources: Any) -> Iterator[bytes]:
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            if font.idnum not in seen:
                seen.add(font.idnum)
                yield _font_file(font)
        for xobject in (resources.get("/XObject") or {}).values():
            if "/Resources" in xobject.get_object():
                yield from walk(xobject.get_object()["/Resources"])

    for page in pypdf.PdfReader(path).pages:
        yield from walk(page["/Resources"])


def text_by_family(path: Path) -> dict[str, str]:
    """The PDF's text, by the family name of the embedded font each piece is set in."""
    found: dict[str, list[str]] = {}
    families: dict[int, str] = {}

    for page in pypdf.PdfReader(path).pages:

        def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
            if font is None or not text.strip():
                return
            key = id(font)
            if key not in families:
                families[key] = _family(_font_file(font))
            found.setdefault(families[key], []).append(text)

        page.extract_text(visitor_text=visit)
    return {family: "".join(texts) for family, texts in found.items()}


def test_font_subsets_carry_the_papers_date_where_harfbuzz_cannot_subset(
    run_main: RunMain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without libharfbuzz-subset (a fresh machine), WeasyPrint subsets with fontTools, which stamps
    each subset with the time; two runs seconds apart gave different bytes."""
    needs_weasyprint()
    import weasyprint.pdf.fonts
    from fontTools.misc.timeTools import timestampSinceEpoch

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # the machine has no HarfBuzz subsetter
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    assert run_main(*Q1, "-o", first).returncode == 0
    assert run_main(*Q1, "-o", second).returncode == 0
    midnight = dt.datetime.combine(Q1_POSITION, dt.time(), tzinfo=dt.UTC).timestamp()
    stamps = {ttLib.TTFont(io.BytesIO(data))["head"].modified for data in embedded_fonts(first)}
    assert stamps == {timestampSinceEpoch(midnight)}
    assert first.read_bytes() == second.read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_a_date_the_user_set_for_reproducible_builds_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    with pdf_paper._fonts_dated(Q1_POSITION):
        assert os.environ["SOURCE_DATE_EPOCH"] == "86400"
    assert os.environ["SOURCE_DATE_EPOCH"] == "86400"


def test_the_bundled_faces_and_their_licence_ship_with_the_package() -> None:
    for file, _weight, _style in pdf_paper.FONT_FACES:
        assert _family((pdf_paper.FONTS / file).read_bytes()) == "Liberation Sans"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (pdf_paper.FONTS / "OFL.txt").read_text(encoding="utf-8")


def test_the_font_stylesheet_reads_the_bundled_files_and_nothing_else() -> None:
    needs_weasyprint()
    import weasyprint

    css = pdf_paper.font_faces()
    assert css.count("@font-face") == len(pdf_paper.FONT_FACES) * len(pdf_paper.FONT_FAMILIES)
    for file, _weight, _style in pdf_paper.FONT_FACES:
        assert (pdf_paper.FONTS / file).as_uri() in css
    fetch = pdf_paper._font_fetcher(weasyprint)
    with pytest.raises(ValueError, match="the paper's fonts are bvplan's own"):
        fetch("file:///etc/passwd")


@pytest.mark.skipif(not DEJAVU.is_dir(), reason="needs the DejaVu fonts (Debian's fonts-dejavu-core) to stand in")
def test_the_paper_is_set_in_the_bundled_font_whatever_fonts_the_machine_has(tmp_path: Path) -> None:
    """A machine whose only fonts are DejaVu (wider than Arial: other page breaks) prints the same
    pages and text, set in the bundled font. fontconfig reads its configuration once per process,
    so this paper is printed by a process of its own."""
    needs_weasyprint()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{DEJAVU}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n'
    )
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | {"FONTCONFIG_FILE": str(config)}
    papers = {}
    for name, env in (("dejavu-only", environment), ("this machine", dict(os.environ))):
        papers[name] = tmp_path / f"{name}.pdf"
        done = subprocess.run(
            [sys.executable, "-m", "bvplan", *Q1, "-o", papers[name]], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    texts = {name: text_by_family(path) for name, path in papers.items()}
    for name, by_family in texts.items():
        elsewhere = "".join(text for family, text in by_family.items() if family != "Liberation Sans")
        assert set(elsewhere) <= NOT_IN_THE_BUNDLED_FONT, (name, sorted(by_family))
    pages = {name: len(pypdf.PdfReader(path).pages) for name, path in papers.items()}
    assert pages["dejavu-only"] == pages["this machine"]
    assert texts["dejavu-only"]["Liberation Sans"] == texts["this machine"]["Liberation Sans"]
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
