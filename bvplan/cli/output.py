"""Standard output and error as every command writes them: checked, and harmless where they land.

bvplan never replaces `sys.stdout` or `sys.stderr`. It writes through wrappers made here, which look
the real stream up at each write (so that pytest's capture and a redirected stream are followed).
`bvplan.cli.main` opens one `Output` for each run (`opened`), and every `stdout()`, `stderr()` and
`console()` of that run writes through it; outside a run (a test calling a renderer) each call
makes its own.

Checked: a write or flush that fails (a full disk behind `> paper.md`, a file-size limit, a closed
stream) raises `bvplan.errors.OutputFailed`, which the error boundary reports with its exit code;
never a traceback, never a silent exit 0 with half a paper. A reader that stops early
(`bvplan status | head`) is not an error: `ReaderGone` ends the command quietly.

Harmless: text from plan files, file names and arguments can hold anything. Before it reaches a
terminal or a CI log,
- control characters (C0 but tab and newline, DEL, C1), bidirectional overrides and undecodable
  bytes are shown as escapes (`\\x1b`, `\\u202e`, `\\xff`), so no escape sequence from a plan can
  move the cursor, clear the screen, retitle the window or hide a line;
- a line that GitHub Actions would take for a workflow command (`::error::`, `::set-output`,
  `##[command]`, after any leading blanks) gets a zero-width space before it, so it shows as typed.
JSON is escaped the JSON way instead (`\\u001b`), so its data is unchanged for a program reading it.

rich draws tables and colour with escape sequences of its own; `console()` cleans the text of each
piece rich draws before rich adds its styles, so bvplan's colours pass and a plan's do not.

Whether standard output is a terminal is decided in one place, `is_terminal()`: a terminal gets
rich's tables and colour, anything else (a pipe, a file) plain text.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import IO, TYPE_CHECKING, cast

from bvplan.errors import OutputFailed
from bvplan.papers.visible import clean

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console
    from rich.segment import Segment

# A line GitHub Actions' runner reads as a command: `::name ...::` or the older `##[name]`, after
# leading white space (the runner trims it).
_WORKFLOW_COMMAND = re.compile(r"^([ \t]*)(::|##\[)", re.MULTILINE)
ZERO_WIDTH_SPACE = "\u200b"
STDOUT, STDERR = "standard output", "standard error"


class ReaderGone(Exception):
    """The reader of standard output went away (`bvplan status | head`): stop writing, quietly."""


def defuse_workflow_commands(text: str) -> str:
    return _WORKFLOW_COMMAND.sub(lambda m: m.group(1) + ZERO_WIDTH_SPACE + m.group(2), text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ud800-\udfff]")


def safe_json(text: str) -> str:
    """JSON text with the characters `clean` escapes written as JSON escapes: the same data.

    Valid JSON holds raw control characters only inside strings, where `\\uXXXX` means the same."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# The start of a line that may still turn into a workflow command once more of it is written.
_UNDECIDED = re.compile(r"[ \t]*(?::|#|##)?")


def _raw(name: str) -> IO[str] | None:
    """The process's stream, looked up now (pytest and `contextlib.redirect_stdout` replace it)."""
    return sys.stdout if name == STDOUT else sys.stderr


def _descriptor(stream: IO[str]) -> int | None:
    try:
        return stream.fileno()
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation: pytest's capture, StringIO
        return None


class Sink:
    """Where the checked streams of one standard stream put their bytes, in UTF-8 whatever the locale.

    A stream with a descriptor is written with `os.write`, in a loop until every byte is taken: a
    short write (a file-size limit: `ulimit -f`) is followed by one that fails, and so is reported.
    Python's own buffered writer can drop the rest of a short write without a word. Standard
    output's text is held (up to 64 KiB) between writes, except for a terminal. A stream with no descriptor (pytest's
    capture, a StringIO) is written as text.
    """

    LIMIT = 64 * 1024

    def __init__(self, name: str, lookup: Callable[[str], IO[str] | None], hold: bool) -> None:
        self.name = name
        self._lookup = lookup
        self._hold = hold
        self._pending: list[bytes] = []
        self._size = 0

    def stream(self) -> IO[str]:
        stream = self._lookup(self.name)
        if stream is None:  # the descriptor was closed before Python started (`>&-`)
            raise OSError(errno.EBADF, "it is closed")
        return stream

    def put(self, text: str) -> None:
        stream = self.stream()
        if _descriptor(stream) is None:
            stream.write(text)
            return
        data = text.encode("utf-8", "backslashreplace")
        self._pending.append(data)
        self._size += len(data)
        if not self._hold or self._size >= self.LIMIT or stream.isatty():
            self.drain()

    def drain(self) -> None:
        if not self._pending:
            return
        data, self._pending, self._size = b"".join(self._pending), [], 0
        stream = self.stream()
        descriptor = _descriptor(stream)
        if descriptor is None:
            stream.write(data.decode("utf-8"))
            return
        stream.flush()  # anything written to the stream itself goes first
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]


class CheckedStream(io.TextIOBase):
    """A text stream over stdout or stderr that cleans what is written and checks every write.

    The start of each line is judged whole, even when a caller writes a line in pieces: a piece
    that could still begin `::` or `##[` is held (a few characters at most) until it cannot.
    Modes: `json` escapes the JSON way; `commands` passes workflow commands bvplan means
    (`validate --format github`); `drawn` passes text rich already cleaned, with rich's own styles.
    """

    def __init__(
        self,
        name: str,
        json: bool = False,
        drawn: bool = False,
        commands: bool = False,
        sink: Sink | None = None,
    ) -> None:
        super().__init__()
        self._name = name
        self._sink = sink or Sink(name, _raw, hold=False)
        self._json = json
        self._commands = commands
        self._drawn = drawn
        self._held = ""
        self._judged = False  # the current line's start has been judged and written
        self._failed = False

    @property
    def _stream(self) -> IO[str]:
        return self._sink.stream()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def isatty(self) -> bool:
        try:
            return self._stream.isatty()
        except (OSError, ValueError, AttributeError):
            return False

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._json:
            self._put(safe_json(text))
            return len(text)
        if self._commands:
            self._put(clean(text))
            return len(text)
        out: list[str] = []
        for piece in (text if self._drawn else clean(text)).splitlines(keepends=True):
            if self._judged:
                out.append(piece)
            else:
                line, self._held = self._held + piece, ""
                if not line.endswith("\n") and _UNDECIDED.fullmatch(line):
                    self._held = line
                    continue
                out.append(defuse_workflow_commands(line))
            self._judged = not piece.endswith("\n")
        if out:
            self._put("".join(out))
        return len(text)

    def flush(self) -> None:
        if self._held:
            held, self._held = self._held, ""
            self._put(held)
        if self._failed or _raw(self._name) is None:
            return  # closed, and nothing was written to it (a write would have failed)
        try:
            self._sink.drain()
            self._stream.flush()
        except OSError as exc:
            self._fail(exc)
        except ValueError:  # closed: nothing more can be written, and nothing is held
            pass

    def _put(self, text: str) -> None:
        if self._failed:
            return
        try:
            self._sink.put(text)
        except OSError as exc:
            self._fail(exc)

    def _fail(self, exc: OSError) -> None:
        """Standard output that cannot be written ends the command; standard error is let go (there is
        nowhere to say so, and the exit code still tells what happened)."""
        self._failed = True
        silence(self._name)
        if self._name != STDOUT:
            return
        if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
            raise ReaderGone from exc
        reason = exc.strerror or str(exc)
        raise OutputFailed(f"cannot write to standard output: {reason}; the output is incomplete") from exc


def silence(name: str) -> None:
    """Point a failed stream's descriptor at /dev/null, so that Python's own flush at exit cannot
    fail a second time with a traceback. Only the real process streams have a descriptor to move."""
    stream = _raw(name)
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        buffer = getattr(stream, "buffer", None)
        descriptor = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)
        if buffer is not None:  # drop what could not be written: it goes nowhere now
            with contextlib.suppress(OSError, ValueError):
                stream.flush()


class Output:
    """The checked streams of one run of bvplan (made by `opened`, flushed by `close`)."""

    def __init__(self, hold: bool = False) -> None:
        self._streams: dict[tuple[str, str], CheckedStream] = {}
        # One sink a standard stream, shared by its checked streams, so that their text stays in order.
        # Standard error is written at once, as Python's own is, so that messages come when they are due.
        self._sinks = {name: Sink(name, _raw, hold and name == STDOUT) for name in (STDOUT, STDERR)}

    def stream(self, name: str, mode: str = "") -> CheckedStream:
        key = (name, mode)
        if key not in self._streams:
            self._streams[key] = CheckedStream(
                name,
                json=mode == "json",
                drawn=mode == "drawn",
                commands=mode == "commands",
                sink=self._sinks[name],
            )
        return self._streams[key]

    def close(self) -> None:
        """Flush everything written; a failure raises as any failed write does."""
        for stream in list(self._streams.values()):
            stream.flush()
        for name in (STDOUT, STDERR):
            raw = _raw(name)
            if raw is None:
                continue
            try:
                raw.flush()
            except OSError as exc:
                CheckedStream(name)._fail(exc)
            except (ValueError, AttributeError):
                pass


_current: ContextVar[Output | None] = ContextVar("bvplan_output", default=None)


@contextlib.contextmanager
def opened() -> Iterator[Output]:
    """The checked streams for one run, used by every `stdout()`, `stderr()` and `console()` within it;
    the caller (the error boundary) closes them, so that a failed final flush is reported too."""
    output = Output(hold=True)
    token = _current.set(output)
    try:
        yield output
    finally:
        _current.reset(token)


def _output() -> Output:
    return _current.get() or Output()


def stdout(json: bool = False) -> IO[str]:
    """Standard output, checked and made safe (JSON-escaped when `json`)."""
    return cast("IO[str]", _output().stream(STDOUT, "json" if json else ""))


def workflow_commands() -> IO[str]:
    """Standard output for GitHub workflow commands that bvplan means (each escaped by its writer)."""
    return cast("IO[str]", _output().stream(STDOUT, "commands"))


def stderr() -> IO[str]:
    return cast("IO[str]", _output().stream(STDERR))


def is_terminal(stderr_stream: bool = False) -> bool:
    """The one rule for drawing: rich's tables and colour for a terminal, plain text for anything else."""
    stream = _raw(STDERR if stderr_stream else STDOUT)
    try:
        return bool(stream is not None and stream.isatty())
    except (OSError, ValueError, AttributeError):
        return False


def console(stderr_stream: bool = False) -> Console:
    """A rich Console over the checked stream, cleaning every piece of text it draws.

    Colour only for a terminal; rich honours NO_COLOR itself. Width is fixed when piped so that
    output does not depend on the terminal a script happens to run in.
    """
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            return super()._render_buffer(
                segment if segment.control else Segment(clean(segment.text), segment.style, segment.control)
                for segment in buffer
            )

    name = STDERR if stderr_stream else STDOUT
    interactive = is_terminal(stderr_stream)
    # NO_COLOR asks for plain text: no bold or underline escapes either, not only no colour.
    plain = bool(os.environ.get("NO_COLOR")) or not interactive
    # Styled, rich's own escape sequences must pass; the text between them is cleaned segment by
    # segment. Plain, everything written is cleaned again, so a stray write cannot pass a control.
    file = _output().stream(name, "" if plain else "drawn")
    return SafeConsole(
        file=cast("IO[str]", file),
        highlight=False,
        soft_wrap=not interactive,
        width=None if interactive else 100,
        no_color=plain,
        color_system=None if plain else "auto",
        emoji=False,
        markup=False,
    )
