"""The quick reading of a clean file must mean exactly what the careful reading means.

`parse` reads a file's values without their places and finds the places again only when a problem
needs them; this holds that shortcut to the careful builder on every YAML file the project has.
A file that cannot be read quickly (bad bytes, bad YAML, a duplicate key, a bomb) is held instead
to the diagnostics its example (tests/examples/*/expected.txt) or hostile case (case.json) documents.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bvplan.format import yamlsource
from bvplan.format.diagnostics import Diagnostic
from tests.conftest import REPO

CORPUS = sorted(
    p
    for folder in ("plans", "tests/examples", "tests/hostile")
    for p in (REPO / folder).rglob("*.y*ml")
    if p.is_file() and not p.is_symlink()
)


def _careful(text: str, path: str) -> tuple[object, yamlsource.SourceMap]:
    loader = yamlsource._Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    builder = yamlsource._Builder(path, yamlsource.EXPANSION_FACTOR * len(text) + yamlsource.EXPANSION_FLOOR)
    return builder.build(node, (), None, 0), builder.source


def _assert_same_reading(document: yamlsource.Document, text: str, path: str) -> None:
    data, source = _careful(text, path)
    assert document.data == data
    assert document.source.spans == source.spans
    assert document.source.yaml11_booleans == source.yaml11_booleans
    assert document.source.bad_dates == source.bad_dates


# `path:line:col: severity[CODE]` in expected.txt; `path:line:col CODE` in case.json; a problem with
# no place in the file (an empty file) has no `:line:col`.
_EXPECTED_LINE = re.compile(r"^(?P<path>[^:\s]+)(?::(?P<at>\d+:\d+))?: \w+\[(?P<code>BV\d+)\]")
_CASE_LINE = re.compile(r"^(?P<path>[^:\s]+)(?::(?P<at>\d+:\d+))? (?P<code>BV\d+)$")


def documented(path: Path) -> set[str]:
    """What `validate` is documented to report on this file, each as 'line:col CODE' (or 'CODE'):
    from its example's expected.txt or its hostile case's case.json; nothing for the shipped plans."""
    parts = path.relative_to(REPO).parts
    if parts[:2] == ("tests", "examples"):
        inside, pattern = Path(*parts[3:]).as_posix(), _EXPECTED_LINE
        lines = (REPO.joinpath(*parts[:3]) / "expected.txt").read_text().splitlines()
    elif parts[:2] == ("tests", "hostile") and parts[3] == "tree":
        inside, pattern = Path(*parts[4:]).as_posix(), _CASE_LINE
        lines = json.loads((REPO.joinpath(*parts[:3]) / "case.json").read_text()).get("diagnostics", [])
    else:
        return set()
    found = (pattern.match(line) for line in lines)
    return {f"{m['at']} {m['code']}" if m["at"] else m["code"] for m in found if m and m["path"] == inside}


def where(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    return f"{span.line}:{span.col} {diagnostic.code}" if span else diagnostic.code


def test_the_corpus_is_not_empty() -> None:
    assert len(CORPUS) > 100


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_quick_and_careful_readings_agree_on_every_project_file(path: Path) -> None:
    """A clean file: the quick reading is the careful one. A file with problems: parse reports
    what its case documents (and what the careful builder made of it is what parse returns)."""
    raw = path.read_bytes()
    text, problem = yamlsource.decode(raw, str(path))
    if text is None or problem is not None:
        assert problem is not None
        assert {where(problem)} <= documented(path) != set()
        return
    document = yamlsource.parse(text, str(path))
    if document.diagnostics:
        assert {where(d) for d in document.diagnostics} <= documented(path) != set()
        if document.data is None:
            return  # nothing was built: the file never composed, or a bomb stopped the builder
    _assert_same_reading(document, text, str(path))


scalars = st.one_of(
    st.sampled_from(["yes", "on", "2018-02-30", "2018-6-3", "0x10", "1e3", ".5", "-", "~", "null", "True", "12"]),
    st.dates().map(str),
    st.integers().map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), st.lists(scalars, max_size=4), max_size=6))
def test_quick_and_careful_readings_agree_on_generated_documents(mapping: dict[str, list[str]]) -> None:
    lines = []
    for key, values in mapping.items():
        lines.append(f"{key}:")
        lines.extend(f"  - {yamlsource_quote(v)}" for v in values)
    text = "\n".join(lines) + "\n"
    document = yamlsource.parse(text, "generated.yaml")
    assume(not document.diagnostics)  # a character YAML does not allow (U+FFFE...), reported by design
    _assert_same_reading(document, text, "generated.yaml")


def yamlsource_quote(value: str) -> str:
    """Plain when YAML would keep it plain, else double-quoted: both kinds of scalar get exercised."""
    if value and value.strip() == value and value.replace("-", "").replace(".", "").isalnum():
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
