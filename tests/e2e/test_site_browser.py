"""The public site and the HTML paper in a real browser: axe-core, keyboard, reflow and print.

Every page of the shipped plans' site is opened in Debian's Chromium through Playwright, served
from a local http.server on 127.0.0.1 as a web host would serve it, and checked with axe-core
(WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices); so are the board paper's HTML, full
and public. A failure names the rule, the page and the element. Control pages prove each check can
fail.

Skipped only when Chromium or Playwright is absent and not in CI (`.ci/run` installs Chromium; the
test extra installs Playwright and axe-core); with CI set they must run.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHIPPED_PLANS, RunCli
from tests.papers.test_rendering import chromium
from tests.papers.test_site import demo_plans

pytestmark = pytest.mark.slow

OUTPUT = Path(__file__).resolve().parent.parent / "output"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# A date by which all three shipped plans have begun and every shipped board has met: the site then
# has every page the site of today has (tests/papers/test_site.py checks it).
AS_OF = "2026-03-31"
# A4 less 15 mm margins each side, in CSS pixels (96 to the inch): the printed page's width.
PRINTED_WIDTH = round((210 - 30) / 25.4 * 96)


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium()  # the paper's browser tests' rule: skip without Chromium, fail in CI
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]'); the browser tests need it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield launched
        launched.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on 127.0.0.1 (a free port), as a static web host serves it."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The shipped plans' site, built by the command itself and served; (folder, base URL)."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("site") / "public"
    result = subprocess.run(
        [sys.executable, "-m", "bvplan", "site", "--plans", str(SHIPPED_PLANS), "--as-of", AS_OF, "-o", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    with served(folder) as base:
        yield folder, base


def pages_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def new_page(browser: Any, **options: Any) -> Any:
    """A page in a context of its own, with axe-core loaded into every document it opens."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(**options)
    context.add_init_script(Axe().axe_script)
    return context.new_page()


def axe_violations(page: Any) -> list[str]:
    """Every axe-core violation on the page, as 'rule (impact): help, at element'."""
    from axe_playwright_python.sync_playwright import Axe

    if page.evaluate("() => typeof axe === 'undefined'"):  # a page written with set_content
        page.evaluate(Axe().axe_script)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate("(options) => axe.run(document, options).then(r => r.violations)", options)
    found = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']}, at {target}")
    return found


def test_axe_finds_a_violation_on_a_control_page(browser: Any) -> None:
    """The check below can fail: an image without a text alternative is caught."""
    page = new_page(browser)
    page.set_content('<!DOCTYPE html><html lang="en"><head><title>Control</title></head><body><main>'
                     '<h1>Control</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                     "</main></body></html>")  # fmt: skip
    assert any(v.startswith("image-alt") for v in axe_violations(page))
    page.context.close()


def test_every_page_of_the_site_has_no_axe_violations(browser: Any, site: tuple[Path, str]) -> None:
    folder, base = site
    names = pages_of(folder)
    assert len(names) > 50  # every theme, action, Direction and past position has a page
    page = new_page(browser)
    failures = []
    for name in names:
        page.goto(base + name)
        failures += [f"{name}: {v}" for v in axe_violations(page)]
    page.context.close()
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("public", [False, True], ids=["full", "public"])
def test_the_html_paper_has_no_axe_violations(browser: Any, run_cli: RunCli, tmp_path: Path, public: bool) -> None:
    """The shipped Q1 2018-19 paper as `report --format html` writes it, and the test plans' paper, whose
    full version marks exempt items and whose measures, Directions and confidence have tables of their own."""
    from bvplan.papers.rendering import render
    from tests.papers.test_report import paper_of

    out = tmp_path / "q1.html"
    args = ["report", "q1", "--plan", "bvip-2018-19", "--plans", SHIPPED_PLANS, "--format", "html", "-o", out]
    result = run_cli(*args, *(["--public"] if public else []))
    assert result.returncode == 0, result.stderr
    fixture = demo_plans(tmp_path / "fixture")
    (tmp_path / "fixture.html").write_text(render(paper_of(fixture, public=public), "html"), encoding="utf-8")
    page = new_page(browser)
    failures = []
    with served(tmp_path) as base:
        for name in ("q1.html", "fixture.html"):
            page.goto(base + name)
            failures += [f"{name}: {v}" for v in axe_violations(page)]
    page.context.close()
    assert failures == [], "\n".join(failures)


# ---- keyboard ------------------------------------------------------------------------------------

FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"


def tab_order(page: Any, presses: int) -> list[str]:
    """What has focus after each press of Tab: an element's tag, text and href."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => { const e = document.activeElement; return e.tagName + ' ' + (e.getAttribute('href') || '') + ' ' + e.textContent.trim(); }"))  # fmt: skip
    return seen


FOCUS_STYLE = "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor].join('|'); }"


@pytest.mark.parametrize("name", ["index.html", "plans/bvip-2018-19/actions/PR1.html", "archive/index.html"])
def test_tab_reaches_every_link_in_order_with_focus_visible(browser: Any, site: tuple[Path, str], name: str) -> None:
    _folder, base = site
    page = new_page(browser)
    page.goto(base + name)
    expected = page.evaluate(
        "(selector) => Array.from(document.querySelectorAll(selector)).map(e => e.tagName + ' ' + (e.getAttribute('href') || '') + ' ' + e.textContent.trim())",
        FOCUSABLE,
    )
    assert expected[0].startswith("A #main-content Skip to main content")
    order = []
    styles = []
    for _ in expected:
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => { const e = document.activeElement; return e.tagName + ' ' + (e.getAttribute('href') || '') + ' ' + e.textContent.trim(); }"))  # fmt: skip
        styles.append(page.evaluate(FOCUS_STYLE))
    assert order == expected
    page.evaluate("() => document.activeElement.blur()")
    unfocused = page.evaluate(
        "(selector) => Array.from(document.querySelectorAll(selector)).map(e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor].join('|'); })",
        FOCUSABLE,
    )
    invisible = [order[i] for i, (a, b) in enumerate(zip(styles, unfocused, strict=True)) if a == b]
    assert invisible == [], "focus is not visible on: " + ", ".join(invisible)
    page.context.close()


def test_the_skip_link_moves_focus_to_the_main_content(browser: Any, site: tuple[Path, str]) -> None:
    _folder, base = site
    page = new_page(browser)
    page.goto(base + "index.html")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main-content"
    page.keyboard.press("Tab")  # the next stop is inside <main>, past the header and navigation
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    page.context.close()


# ---- reflow (WCAG 1.4.10) ------------------------------------------------------------------------

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) found.push('page:' + document.documentElement.scrollWidth + '>' + width);
  for (const e of document.body.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    if (box.width && box.right > width + 1 && getComputedStyle(e).position !== 'absolute') found.push(e.tagName.toLowerCase() + '.' + e.className + ':' + Math.round(box.right));
  }
  return found.slice(0, 5);
}"""


def test_the_overflow_probe_sees_an_overflow(browser: Any) -> None:
    page = new_page(browser, viewport={"width": 320, "height": 640})
    page.set_content('<!DOCTYPE html><html lang="en"><body><table><tr><td style="white-space:nowrap">'
                     + "W" * 200 + "</td></tr></table></body></html>")  # fmt: skip
    assert page.evaluate(OVERFLOW)
    page.context.close()


@pytest.mark.parametrize(
    ("viewport", "scale"), [((320, 640), 1), ((320, 256), 4)], ids=["320px-wide", "1280px-at-400%-zoom"]
)
def test_no_page_scrolls_sideways_at_320_css_pixels(
    browser: Any, site: tuple[Path, str], viewport: tuple[int, int], scale: int
) -> None:
    """A 1280 px window zoomed to 400% is 320 CSS pixels wide, drawn at four device pixels each."""
    folder, base = site
    page = new_page(browser, viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=scale)
    failures = []
    for name in pages_of(folder):
        page.goto(base + name)
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            failures.append(f"{name}: {overflow}")
    page.context.close()
    assert failures == [], "\n".join(failures)


# ---- print ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["index.html", "plans/bvip-2018-19/actions/PR1.html", "open-data.html", "archive/bvap-2015-16/2016-01-26.html"],
)
def test_a_page_prints_without_cut_tables(browser: Any, site: tuple[Path, str], name: str, tmp_path: Path) -> None:
    import pypdf

    _folder, base = site
    page = new_page(browser, viewport={"width": PRINTED_WIDTH, "height": 1000})
    page.goto(base + name)
    page.emulate_media(media="print")
    # Nothing wider than the printed page, and no table row split over two pages.
    assert page.evaluate(OVERFLOW) == []
    rows = page.evaluate(
        "() => Array.from(document.querySelectorAll('table tr')).map(r => getComputedStyle(r).breakInside)"
    )
    assert rows and set(rows) == {"avoid"}
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('thead')).every(h => getComputedStyle(h).display === 'table-header-group')"
    )
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    for caption in page.evaluate(
        "() => Array.from(document.querySelectorAll('caption')).map(c => c.textContent.trim())"
    ):
        assert " ".join(caption.split()[:3]) in " ".join(text.split()), caption
    assert "Skip to main content" not in text
    page.context.close()


def test_home_page_screenshot(browser: Any, site: tuple[Path, str]) -> None:
    """A picture of the home page for people to look at (tests/output/site-home.png; the README's is docs/)."""
    _folder, base = site
    page = new_page(browser, viewport={"width": 1024, "height": 900})
    page.goto(base + "index.html")
    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "site-home.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    page.context.close()
