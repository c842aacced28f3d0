"""Fuzzing: generate valid plans, damage them, and require a clean answer from every command.

Valid plan trees are generated as YAML text, then damaged the ways hand edits go wrong (keys lost,
doubled or retyped, lines swapped, tabs, stray bytes, truncation, impossible dates, revisions out of
order, broken indentation). The loader and validator run in-process on every example; a smaller
sample runs through the real command line (validate, status, report, and an edit). The only
outcomes allowed are success or a clean error, exit 1 or 2, never an uncaught exception.

CI runs a bounded number of examples. A long run is the same tests with more:

    BVPLAN_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/e2e/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bvplan.cli import main
from bvplan.errors import UsageError
from bvplan.format.diagnostics import CODES, Severity
from bvplan.rules.validation import validate

EXAMPLES = int(os.environ.get("BVPLAN_FUZZ_EXAMPLES", "150"))
CLI_EXAMPLES = max(10, EXAMPLES // 5)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ_CLI = settings(FUZZ, max_examples=CLI_EXAMPLES)

PLAN_START, PLAN_END = dt.date(2018, 4, 1), dt.date(2019, 3, 31)
CLEAN_EXITS = {0, 1, 2}
FIRST_MILESTONE = "A1.1"  # the first theme's ids start with A
Tree = dict[str, str]  # file name in the plan folder -> YAML text


# ----- valid plans, as YAML text


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text`: all but printable ASCII escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return _quoted(value)


def _emit(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML for nested dicts and lists of scalars."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_emit(item, indent + 2))
            elif isinstance(item, dict | list):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, dict):
                inner = _emit(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return lines


def yaml_text(value: dict[str, Any]) -> str:
    return "\n".join(_emit(value)) + "\n"


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=30)
# Any text a plan may hold, including quotes, markup, tabs, line breaks and other scripts; control
# characters are not text (BV350), and the damaged trees and the note test below try those.
text_characters = st.characters(
    exclude_categories=("Cc", "Cs"), include_characters="\t\n", exclude_characters="\ufffe\uffff"
)
titles = st.one_of(words.map(str.strip).filter(bool), st.text(text_characters, min_size=1, max_size=40))


def days(low: dt.date, high: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=low, max_value=high)


@st.composite
def milestones(draw: st.DrawFn, milestone_id: str) -> dict[str, Any]:
    due = draw(days(PLAN_START, PLAN_END - dt.timedelta(days=60)))
    milestone: dict[str, Any] = {"id": milestone_id, "title": draw(titles), "due": due}
    if draw(st.booleans()):
        milestone["owner"] = draw(titles)
    revisions = []
    deadline, proposed = due, PLAN_START
    for _ in range(draw(st.integers(0, 2))):
        if deadline >= PLAN_END - dt.timedelta(days=2):
            break
        new_deadline = draw(days(deadline + dt.timedelta(days=1), PLAN_END))
        proposed = draw(days(proposed, deadline))
        revision: dict[str, Any] = {"to": new_deadline, "reason": draw(titles), "proposed": proposed}
        if draw(st.booleans()):
            # A later proposal supersedes this one (BV322), so the next is proposed once this is agreed.
            revision["agreed"] = draw(days(proposed, min(proposed + dt.timedelta(days=30), new_deadline)))
            proposed = revision["agreed"]
        revisions.append(revision)
        deadline = new_deadline
    if revisions:
        milestone["revisions"] = revisions
    ending = draw(st.sampled_from(["open", "completed", "cancelled"]))
    if ending == "completed":
        milestone["completed"] = draw(days(PLAN_START, PLAN_END))
    elif ending == "cancelled":
        milestone["cancelled"] = {"on": draw(days(deadline, PLAN_END)), "reason": draw(titles)}
    notes = sorted(draw(st.lists(days(PLAN_START, PLAN_END), max_size=2)))
    if notes:
        milestone["notes"] = [{"on": day, "text": draw(titles), "exempt": draw(st.booleans())} for day in notes]
    if draw(st.booleans()):
        milestone["exempt"] = draw(st.booleans())
    return milestone


@st.composite
def theme_files(draw: st.DrawFn, prefix: str) -> dict[str, Any]:
    actions = []
    for a in range(1, draw(st.integers(1, 3)) + 1):
        count = draw(st.integers(1, 3))
        actions.append(
            {
                "id": f"{prefix}{a}",
                "title": draw(titles),
                "exempt": draw(st.booleans()),
                "milestones": [draw(milestones(f"{prefix}{a}.{m}")) for m in range(1, count + 1)],
            }
        )
    theme: dict[str, Any] = {"theme": draw(titles), "actions": actions}
    if draw(st.booleans()):
        theme["updates"] = {
            "2018-19 Q1": {
                "summary": draw(titles),
                "achievements": draw(st.lists(titles, max_size=2)),
                "exempt": draw(st.booleans()),
            }
        }
    return theme


@st.composite
def plan_trees(draw: st.DrawFn) -> Tree:
    slugs = draw(
        st.lists(st.sampled_from(["grants", "property", "elections", "culture"]), min_size=1, max_size=3, unique=True)
    )
    plan = {
        "id": "fz",
        "title": draw(titles),
        "authority": draw(titles),
        "board": draw(titles),
        "start": PLAN_START,
        "end": PLAN_END,
        "cadence": draw(st.sampled_from(["quarterly", "six-monthly"])),
        "themes": slugs,
        "meetings": [{"period": "2018-19 Q1", "date": dt.date(2018, 7, 24), "item": "4.1"}],
    }
    tree = {"plan.yaml": yaml_text(plan)}
    for index, slug in enumerate(slugs):
        tree[f"{slug}.yaml"] = yaml_text(draw(theme_files("ABCD"[index])))
    return tree


# ----- damage


# Values that replace a key's value: YAML 1.1 words, wrong kinds, impossible dates, syntax fragments.
RETYPED = [
    "yes",
    "no",
    "on",
    "[]",
    "{}",
    "42",
    "~",
    "2018-02-30",
    "tomorrow",
    "*nope",
    "&a",
    "2018-6-1",
    "2018-06-30T10:00",
    "99999999999999999999",
    "|",
    ">-",
    "[[[[",
    "'",
    "@",
    "`",
    "%",
    ".nan",
    "-.inf",
    "0x1F",
    "1_000",
    "!!binary",
    "!!python/object/apply:os.system",
    "- x",
    '"open',
    "? x",
    "<<: {}",
    "{a: [b",
]
BAD_DATES = ["2018-02-30", "2019-13-01", "2018-00-10", "0000-01-01", "2018-04-31", "tomorrow", "2018/06/30"]
ACCIDENTS = [
    "delete",
    "duplicate",
    "swap",
    "tab",
    "indent",
    "dedent",
    "retype",
    "date",
    "rename",
    "reorder",
    "garbage",
    "truncate",
    "crlf",
    "empty",
]
GARBAGE = st.one_of(
    st.binary(min_size=1, max_size=8),
    st.sampled_from(
        [b"\t", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\r", b"\r\n", b": ", b"- ", b"&x ", b"*x", b"\xe2\x80\xa8"]
    ),
)


@st.composite
def damaged(draw: st.DrawFn, text: str) -> bytes:
    """The text with one to three hand-editing accidents."""
    lines = text.splitlines(keepends=True)
    raw: bytes | None = None
    for _ in range(draw(st.integers(1, 3))):
        if raw is not None:
            break
        if not lines:
            lines = ["\n"]
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        body = line.rstrip("\n")
        kind = draw(st.sampled_from(ACCIDENTS))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif kind == "tab":
            lines[i] = "\t" + line.lstrip(" ")
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + line
        elif kind == "dedent":
            lines[i] = line[draw(st.integers(1, 3)) :] if line.startswith(" ") else line
        elif kind == "retype" and ": " in body:
            key = body.split(": ", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(RETYPED))}\n"
        elif kind == "date":
            for n, candidate in enumerate(lines):
                if candidate.rstrip().endswith(("-01", "-30", "-31")) or "20" in candidate:
                    for stamp in ("2018-", "2019-"):
                        if stamp in candidate:
                            start = candidate.index(stamp)
                            lines[n] = candidate[:start] + draw(st.sampled_from(BAD_DATES)) + candidate[start + 10 :]
                            break
                    else:
                        continue
                    break
        elif kind == "rename" and ":" in body:
            key, rest = body.split(":", 1)
            lines[i] = key + draw(st.sampled_from(["x", "_", "s", ""])) + ":" + rest + "\n"
        elif kind == "reorder":
            proposed = [n for n, candidate in enumerate(lines) if "proposed:" in candidate]
            if len(proposed) >= 2:
                a, b = proposed[0], proposed[-1]
                lines[a], lines[b] = lines[b], lines[a]
        elif kind == "garbage":
            encoded = "".join(lines).encode()
            at = draw(st.integers(0, len(encoded)))
            raw = encoded[:at] + draw(GARBAGE) + encoded[at:]
        elif kind == "truncate":
            encoded = "".join(lines).encode()
            raw = encoded[: draw(st.integers(0, len(encoded)))]
        elif kind == "crlf":
            lines = [candidate.replace("\n", "\r\n") for candidate in lines]
        elif kind == "empty":
            lines = []
    return raw if raw is not None else "".join(lines).encode()


@st.composite
def damaged_trees(draw: st.DrawFn) -> dict[str, bytes]:
    tree = draw(plan_trees())
    victims = draw(st.lists(st.sampled_from(sorted(tree)), min_size=1, max_size=2, unique=True))
    return {name: (draw(damaged(text)) if name in victims else text.encode()) for name, text in tree.items()}


# ----- running


@contextmanager
def written(tree: dict[str, bytes]) -> Iterator[Path]:
    """The tree on disk as `<tmp>/plans/fz/`; yields the plans folder."""
    root = Path(tempfile.mkdtemp(prefix="bvplan-fuzz-"))
    try:
        folder = root / "plans" / "fz"
        folder.mkdir(parents=True)
        for name, content in tree.items():
            (folder / name).write_bytes(content)
        yield root / "plans"
    finally:
        shutil.rmtree(root)


def check_in_process(plans: Path) -> int:
    """Validate in-process: no exception but UsageError; every diagnostic registered and inside its file."""
    try:
        loaded = validate([plans])
    except UsageError:
        return 2
    for diagnostic in loaded.report.diagnostics:
        assert diagnostic.code in CODES
        assert diagnostic.message
        if diagnostic.span is not None:
            lines = loaded.lines.get(diagnostic.path)
            assert diagnostic.span.line >= 1 and diagnostic.span.col >= 1
            if lines is not None:
                assert diagnostic.span.line <= len(lines) + 1, diagnostic
    return 1 if loaded.report.errors else 0


def errors_by_file(plans: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for diagnostic in validate([plans]).report.diagnostics:
        if diagnostic.severity is Severity.ERROR:
            name = Path(diagnostic.path).name
            counts[name] = counts.get(name, 0) + 1
    return counts


def run(*args: str) -> int:
    """bvplan in process, through its error boundary (an internal error would be 70, not a clean exit)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    output = out.getvalue() + err.getvalue()
    assert "Traceback" not in output
    assert code in CLEAN_EXITS, (args, code, output)
    return code


# ----- the properties


@FUZZ
@given(plan_trees())
def test_generated_plans_are_valid(tree: Tree) -> None:
    """The generator makes only valid plans (so the damage is what the validator answers), and none is refused."""
    with written({name: text.encode() for name, text in tree.items()}) as plans:
        loaded = validate([plans])
        errors = [d for d in loaded.report.diagnostics if d.severity is Severity.ERROR]
        assert errors == [], (errors, tree)


@FUZZ
@given(damaged_trees())
def test_damaged_plans_get_clean_answers_in_process(tree: dict[str, bytes]) -> None:
    with written(tree) as plans:
        check_in_process(plans)


@FUZZ_CLI
@given(damaged_trees(), st.sampled_from(["2018-06-30", "q2", "2018-19 h2", "2019-03-31"]))
def test_damaged_plans_get_clean_answers_from_every_command(tree: dict[str, bytes], when: str) -> None:
    with written(tree) as plans:
        valid = check_in_process(plans) == 0
        assert run("validate", str(plans)) == (0 if valid else 1)
        status = run("status", "--plans", str(plans), "--as-of", when, "--format", "json")
        assert status == (0 if valid else 1)
        assert run("report", when, "--plans", str(plans), "--public") in ({0, 2} if valid else {1})
        before = {p.name: p.read_bytes() for p in (plans / "fz").iterdir()}
        errors_before = errors_by_file(plans)
        edited = run("complete", FIRST_MILESTONE, "--on", "2018-06-01", "--plans", str(plans))
        after = {p.name: p.read_bytes() for p in (plans / "fz").iterdir()}
        if edited != 0:
            assert after == before, "a refused edit changed a file"
            return
        changed = [name for name in before if after[name] != before[name]]
        assert len(changed) == 1
        # The plan may have been broken elsewhere already; the edit must not add a problem.
        errors_after = errors_by_file(plans)
        assert errors_after.pop(changed[0], 0) == 0, "an edit wrote a file that does not validate"
        errors_before.pop(changed[0], None)
        assert errors_after == errors_before


@FUZZ_CLI
@given(plan_trees(), st.text(min_size=1, max_size=60))
def test_a_note_reads_back_exactly_or_is_refused(tree: Tree, text: str) -> None:
    """Whatever a note says, the file stays valid YAML holding exactly that text, or nothing is written."""
    encoded = {name: content.encode() for name, content in tree.items()}
    milestone = FIRST_MILESTONE
    with written(encoded) as plans:
        before = {p.name: p.read_bytes() for p in (plans / "fz").iterdir()}
        code = run("note", milestone, "--on", "2019-03-01", "--plans", str(plans), "--", text)
        if code != 0:
            assert {p.name: p.read_bytes() for p in (plans / "fz").iterdir()} == before
            return
        loaded = validate([plans])
        assert loaded.report.errors == 0
        # Notes stay in date order; of those on the note's day, the one written last is the new one.
        notes = [
            note.text
            for plan in loaded.workspace.plans
            for _theme, _action, found, _path in plan.milestones()
            if found.id == milestone
            for note in found.notes
            if note.on == dt.date(2019, 3, 1)
        ]
        assert notes[-1] == text


LAUGHS = (
    "a: &a ["
    + "x, " * 100
    + "]\n"
    + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 50)}]\n" for p, c in zip("abcde", "bcdef", strict=True))
)
BOMBS = {
    "deep-flow": "a: " + "[" * 50_000 + "]" * 50_000,
    "deep-block": "- " * 50_000 + "x",
    "long-number": "k: " + "9" * 10_000,
    "alias-fan-out": LAUGHS,
}


@pytest.mark.parametrize("text", BOMBS.values(), ids=BOMBS.keys())
def test_resource_bombs_in_process(text: str) -> None:
    """The in-process loader answers the bombs too (the CLI cases are in the hostile corpus)."""
    with written({"plan.yaml": text.encode()}) as plans:
        assert check_in_process(plans) == 1
