"""The quick reading of a clean file must mean exactly what the careful reading means.

`parse` reads a file's values without their places and finds the places again only when a problem
needs them; this holds that shortcut to the careful builder on every YAML file the project has.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bvplan.format import yamlsource
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


def _assert_same_reading(text: str, path: str) -> None:
    document = yamlsource.parse(text, path)
    if document.diagnostics or document.data is None:
        return  # the careful builder read it; nothing quick to compare
    data, source = _careful(text, path)
    assert document.data == data
    assert document.source.spans == source.spans
    assert document.source.yaml11_booleans == source.yaml11_booleans
    assert document.source.bad_dates == source.bad_dates


def test_the_corpus_is_not_empty() -> None:
    assert len(CORPUS) > 100


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_quick_and_careful_readings_agree_on_every_project_file(path: Path) -> None:
    raw = path.read_bytes()
    text, problem = yamlsource.decode(raw, str(path))
    if text is None or problem is not None:
        pytest.skip("not UTF-8: read by neither builder")
    _assert_same_reading(text, str(path))


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
    _assert_same_reading("\n".join(lines) + "\n", "generated.yaml")


def yamlsource_quote(value: str) -> str:
    """Plain when YAML would keep it plain, else double-quoted: both kinds of scalar get exercised."""
    if value and value.strip() == value and value.replace("-", "").replace(".", "").isalnum():
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
