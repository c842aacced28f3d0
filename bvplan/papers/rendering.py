"""Render a paper through Jinja templates: bvplan's own, or a council's house style.

Templates are looked up by file name, first in the folder given with `--templates`, then among
bvplan's own (the package `bvplan.templates`, the repository's `templates/` folder). A template
named `builtin/<name>` is always bvplan's own, so a house template can extend the one it replaces.

Every template runs in Jinja's sandbox: a template is a file someone sent, not code we trust.
HTML templates (`*.html.j2`) escape everything they print; Markdown templates print plan text
through the `md` filter. Undefined names are errors, not blanks, so a typo cannot silently drop a
section. Any mistake in a template becomes a `TemplateProblem` naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import stat
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, StrictUndefined, TemplateNotFound, nodes
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from bvplan.errors import UsageError
from bvplan.papers.charts import DEFAULT_NAMES, Bar, status_chart
from bvplan.papers.markdown import escape as markdown_escape
from bvplan.papers.measure_paper import MeasureRow
from bvplan.papers.report import Paper, SummaryRow
from bvplan.papers.trend_chart import sparkline

PACKAGE = "bvplan.templates"
BUILTIN_PREFIX = "builtin/"
TEMPLATES = {"md": "report.md.j2", "html": "report.html.j2"}
EXTENSIONS = {"md": ".md.j2", "html": ".html.j2"}
# The board paper keeps its historical file name; every other paper NAME is NAME.md.j2 / NAME.html.j2.
BOARD_PAPER = "board"
PAPER_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class TemplateProblem(UsageError):
    """A template that cannot be read or rendered; the message names the file and line."""


class _PackagedLoader(BaseLoader):
    """bvplan's own templates, read with importlib.resources so they work from a wheel or a zip."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        name = template.removeprefix(BUILTIN_PREFIX)
        if "/" in name or "\\" in name or name.startswith("."):
            raise TemplateNotFound(template)
        resource = files(PACKAGE).joinpath(name)
        if not resource.is_file():
            raise TemplateNotFound(template)
        return resource.read_text(encoding="utf-8"), f"{BUILTIN_PREFIX}{name}", lambda: True


# A template is a small text file; anything larger is refused before it is read.
MAX_TEMPLATE_BYTES = 1 << 20


class _FolderLoader(BaseLoader):
    """House templates from one folder, never from outside it.

    A name is looked up inside the folder only (no `..`, no absolute names), and a file or folder
    that is a symbolic link pointing outside the folder is refused, as is anything that is not a
    regular file (a pipe would block the read, a device would never end).
    """

    def __init__(self, folder: Path) -> None:
        self._folder = Path(os.path.realpath(folder))

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = template.replace("\\", "/").split("/")
        if template.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise TemplateNotFound(template)
        candidate = self._folder.joinpath(*parts)
        real = Path(os.path.realpath(candidate))
        if not real.is_relative_to(self._folder):
            raise SecurityError(f"the template '{template}' is a link to a file outside the templates folder")
        try:
            descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            raise TemplateNotFound(template) from None
        except OSError as exc:
            raise TemplateNotFound(template) from exc
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise SecurityError(f"the template '{template}' is not a regular file")
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise SecurityError(f"the template '{template}' is larger than {MAX_TEMPLATE_BYTES} bytes")
            with os.fdopen(descriptor, "rb", closefd=False) as stream:
                data = stream.read(MAX_TEMPLATE_BYTES + 1)
        finally:
            os.close(descriptor)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SecurityError(f"the template '{template}' is not UTF-8 text") from exc
        return text, str(candidate), lambda: True


class _Loader(BaseLoader):
    """The user's folder first, then bvplan's own; remembers each file it served, for error messages."""

    def __init__(self, user_dir: Path | None) -> None:
        packaged = _PackagedLoader()
        self._packaged = packaged
        self._choice = ChoiceLoader([_FolderLoader(user_dir), packaged] if user_dir else [packaged])
        self.served: set[str] = set()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        loader: BaseLoader = self._packaged if template.startswith(BUILTIN_PREFIX) else self._choice
        source, filename, uptodate = loader.get_source(environment, template)
        if filename:
            self.served.add(filename)
        return source, filename, uptodate


def _autoescape(name: str | None) -> bool:
    base = (name or "").removesuffix(".j2")
    return base.endswith((".html", ".htm", ".svg", ".xml"))


def long_date(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def deadline_date(day: dt.date | None, month_precision: bool = False) -> str:
    """A deadline as precise as the plan recorded it: 'Oct-15' for a month-end in a plan of month deadlines."""
    if day is None:
        return ""
    if month_precision and (day + dt.timedelta(days=1)).day == 1:  # a month-end; another day keeps its day
        return f"{_MONTHS[day.month - 1][:3]}-{day.year % 100:02d}"
    return short_date(day)


def md(text: object) -> str:
    return "" if text is None else markdown_escape(str(text))


def css_string(text: object) -> Markup:
    """Text as a quoted CSS string that is safe inside a <style> element.

    A <style> element is raw text to HTML, so HTML escaping would show as `&amp;` in print; every
    character but letters, digits and spaces is written as a CSS escape instead, which also keeps
    out a `</style>` or a quote that would end the string.
    """
    body = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in str(text or ""))
    return Markup(f'"{body}"')


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def join_words(items: Iterable[object], last: str = "and") -> str:
    texts = [str(item) for item in items]
    if len(texts) <= 1:
        return "".join(texts)
    return f"{', '.join(texts[:-1])} {last} {texts[-1]}"


def chart(
    rows: Sequence[SummaryRow], title: str = "Milestones by status and theme", names: Sequence[str] = DEFAULT_NAMES
) -> Markup:
    """The status chart as inline SVG, its series in the plan's words; charts.py escapes every text it draws."""
    bars = [Bar(r.theme, r.completed, r.in_progress, r.overdue, r.not_started) for r in rows]
    return Markup(status_chart(bars, title, names=names))


def trend_chart(row: MeasureRow) -> Markup:
    """A measure's trend as inline SVG, its values as its text alternative; trend_chart.py escapes it."""
    return Markup(sparkline(row.points, f"Trend of {row.title}: {row.trend_text}"))


# A house template may multiply a string or raise a number to a power; unchecked, one expression
# (`'x' * 10**10`) asks for gigabytes. Results past this size are refused by the sandbox instead.
MAX_OPERATION_RESULT = 1_000_000


# Work is bounded too: every step of a loop and every call counts against a budget that grows with
# the paper (bvplan's own templates spend a few dozen a milestone), so nested `range(100000)` loops
# are refused after a few seconds' work, on any machine at the same point. The output is bounded.
BASE_BUDGET = 2_000_000
BUDGET_PER_ITEM = 500
MAX_OUTPUT_CHARS = 64 * 1024 * 1024
BUDGET_NAME = "__bvplan_counted"
BOUND_NAME = "__bvplan_bounded"


class _BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**", "+"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = BASE_BUDGET

    def spend(self, steps: int = 1) -> None:
        self.budget -= steps
        if self.budget < 0:
            raise SecurityError("the template does too much work (loops or calls); its work is bounded")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.spend()
        if operator == "**" and isinstance(right, int) and abs(right) > 64 and not isinstance(left, float):
            raise SecurityError(f"the power {right} is too large for a template")
        if operator == "*" and _repeated_length(left, right) > MAX_OPERATION_RESULT:
            raise SecurityError("the result of '*' would be too large for a template")
        if operator == "+" and _joined_length(left, right) > MAX_OPERATION_RESULT:
            raise SecurityError("the result of '+' would be too large for a template")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.spend()
        if __obj is not __self.globals.get(BOUND_NAME):
            _refuse_large_arguments(args, kwargs)
        return _bounded(super().call(__context, __obj, *args, **kwargs))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template as Jinja parses it, with every loop counted and every `~` bounded."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.Name(BUDGET_NAME, "load"), [loop.iter], [], None, None)
        for concat in list(tree.find_all(nodes.Concat)):
            concat.nodes = [nodes.Call(nodes.Name(BOUND_NAME, "load"), [n], [], None, None) for n in concat.nodes]
        return tree


def _refuse_large_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A number this large asks for that much output (`center`, `ljust`, `indent`, `wordwrap`)."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OPERATION_RESULT:
            raise SecurityError(f"the number {value} is too large for a template")


def _joined_length(left: Any, right: Any) -> int:
    sized = (str, bytes, list, tuple)
    return len(left) + len(right) if isinstance(left, sized) and isinstance(right, sized) else 0


def _bounded(value: Any) -> Any:
    if isinstance(value, str | bytes | list | tuple) and len(value) > MAX_OPERATION_RESULT:
        raise SecurityError("a value in the template grew too large (its size is bounded)")
    return value


def _counted(env: _BoundedSandbox) -> Callable[[Any], Iterator[Any]]:
    def counted(iterable: Any) -> Iterator[Any]:
        for item in iterable:
            env.spend()
            yield item

    return counted


def _bounded_filter(env: _BoundedSandbox, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that spends from the budget and refuses huge arguments and results."""

    # The value filtered comes first, after the context for filters that take one; only the
    # arguments after it ask for sizes (`center(80)`), the value itself may be any number.
    skip = 2 if getattr(function, "jinja_pass_arg", None) else 1

    @functools.wraps(function)  # keeps jinja_pass_arg, so Jinja passes the context as before
    def bounded(*args: Any, **kwargs: Any) -> Any:
        env.spend()
        _refuse_large_arguments(args[skip:], kwargs)
        return _bounded(function(*args, **kwargs))

    return bounded


def _repeated_length(left: Any, right: Any) -> int:
    """The length of `sequence * count`, in either order; 0 for arithmetic."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int):
            return len(sequence) * count
    return 0


def environment(user_dir: Path | None = None) -> _BoundedSandbox:
    env = _BoundedSandbox(
        loader=_Loader(user_dir),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        md=md,
        long_date=long_date,
        short_date=short_date,
        deadline_date=deadline_date,
        plural=plural,
        join_words=join_words,
        css_string=css_string,
    )
    for name, function in list(env.filters.items()):
        env.filters[name] = _bounded_filter(env, function)
    env.globals.update(status_chart=chart, trend_chart=trend_chart)
    env.globals[BUDGET_NAME] = _counted(env)
    env.globals[BOUND_NAME] = _bounded
    return env


_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def tidy(text: str, markdown: bool) -> str:
    """Whitespace made canonical, so that output diffs well: one blank line at most, one final newline."""
    # HTML has no <pre>: the blank lines left by parts a paper leaves out carry nothing there.
    text = _BLANK_RUNS.sub("\n\n", _TRAILING_SPACE.sub("", text)) if markdown else _BLANK_LINES.sub("\n", text)
    return text.strip("\n") + "\n"


def template_name(paper_kind: str, fmt: str) -> str:
    """The template file of a paper: `report.md.j2` for the board paper, else `<paper>.md.j2`."""
    if paper_kind == BOARD_PAPER:
        return TEMPLATES[fmt]
    return paper_kind + EXTENSIONS[fmt]


def available_papers(user_dir: Path | None) -> list[str]:
    """The papers that can be asked for: bvplan's own and any a house templates folder adds."""
    names = {BOARD_PAPER}
    folders = [Path(str(files(PACKAGE)))] + ([user_dir] if user_dir else [])
    for folder in folders:
        try:
            entries = [p.name for p in folder.iterdir()]
        except OSError:
            continue
        for entry in entries:
            for ext in EXTENSIONS.values():
                stem = entry.removesuffix(ext)
                if entry.endswith(ext) and PAPER_NAME.match(stem) and stem not in ("report", "parts"):
                    names.add(stem)
    return sorted(names)


def render(paper: Paper, fmt: str, user_dir: Path | None = None) -> str:
    """The paper as Markdown (`md`) or HTML (`html`), through the template of its kind."""
    name = template_name(paper.kind, fmt)
    env = environment(user_dir)
    env.budget = BASE_BUDGET + BUDGET_PER_ITEM * _items(paper)
    return tidy(render_named(env, name, {"paper": paper}), markdown=fmt == "md")


def render_named(env: _BoundedSandbox, name: str, context: dict[str, Any]) -> str:
    """One template of `env` rendered with `context`, its output bounded; any mistake a TemplateProblem."""
    try:
        template = env.get_template(name)
        chunks, size = [], 0
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the output would be larger than {MAX_OUTPUT_CHARS} characters")
            chunks.append(chunk)
        text = "".join(chunks)
    except RecursionError:
        raise TemplateProblem(f"template {name}: refused by the sandbox: it calls itself without end") from None
    except Exception as exc:
        raise _problem(exc, env, name) from None
    return text


def _items(paper: Paper) -> int:
    """How many things the paper lists, for the work budget: its milestones, changes and themes."""
    milestones = len(paper.status.milestones())
    return milestones + len(paper.changes or ()) + len(paper.summary) + 1


def _problem(exc: Exception, env: Environment, name: str) -> Exception:
    served = env.loader.served if isinstance(env.loader, _Loader) else set()
    where = _where(exc, served)
    if where is None and not isinstance(exc, TemplateError):
        return exc  # not the template's doing: a bug in bvplan, to be seen as one
    kind = type(exc).__name__
    if isinstance(exc, TemplateNotFound):
        message = f"no template named '{exc.name}'"
    elif kind == "SecurityError":
        message = f"refused by the sandbox: {exc}"
    else:
        message = f"{kind}: {getattr(exc, 'message', None) or exc}"
    return TemplateProblem(f"template {where or name}: {message}")


def _where(exc: Exception, served: set[str]) -> str | None:
    """`file, line N` of the innermost template frame of the error, if a template was running."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return f"{exc.filename}, line {exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in served]
    if not frames:
        return None
    return f"{frames[-1].filename}, line {frames[-1].lineno}"
