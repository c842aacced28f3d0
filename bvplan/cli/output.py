"""Standard output and error as every command writes them: checked, and harmless where they land.

Checked: a write or flush that fails (a full disk behind `> paper.md`, a closed file) ends the
command with a message and exit 1, instead of a traceback or a silent exit 0 with half a paper.
A reader that stops early (`bvplan status | head`) is not an error: bvplan stops writing, exit 0.

Harmless: text from plan files, file names and arguments can hold anything. Before it reaches a
terminal or a CI log,
- control characters (C0 but tab and newline, DEL, C1), bidirectional overrides and undecodable
  bytes are shown as escapes (`\\x1b`, `\\u202e`, `\\xff`), so no escape sequence from a plan can
  move the cursor, clear the screen, retitle the window or hide a line;
- a line that GitHub Actions would take for a workflow command (`::error::`, `::set-output`,
  `##[command]`, after any leading blanks) gets a zero-width space before it, so it shows as typed.
JSON is escaped the JSON way instead (`\\u001b`), so its data is unchanged for a program reading it.

rich draws tables and colour with escape sequences of its own; `SafeConsole` cleans the text of
each piece rich draws before rich adds its styles, so bvplan's colours pass and a plan's do not.
"""

from __future__ import annotations

import errno
import io
import os
import re
import sys
from typing import IO, TYPE_CHECKING, cast

from bvplan.papers.visible import clean

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console
    from rich.segment import Segment

EXIT_OUTPUT_FAILED = 1

# A line GitHub Actions' runner reads as a command: `::name ...::` or the older `##[name]`, after
# leading white space (the runner trims it).
_WORKFLOW_COMMAND = re.compile(r"^([ \t]*)(::|##\[)", re.MULTILINE)
ZERO_WIDTH_SPACE = "\u200b"


def defuse_workflow_commands(text: str) -> str:
    return _WORKFLOW_COMMAND.sub(lambda m: m.group(1) + ZERO_WIDTH_SPACE + m.group(2), text)


def safe_text(text: str) -> str:
    """Text fit for a terminal and a CI log: `clean`, and no line a workflow command."""
    return defuse_workflow_commands(clean(text))


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ud800-\udfff]")


def safe_json(text: str) -> str:
    """JSON text with the characters `clean` escapes written as JSON escapes: the same data.

    Valid JSON holds raw control characters only inside strings, where `\\uXXXX` means the same."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# The start of a line that may still turn into a workflow command once more of it is written.
_UNDECIDED = re.compile(r"[ \t]*(?::|#|##)?")


class CheckedStream(io.TextIOBase):
    """A text stream over stdout or stderr that cleans what is written and checks every write.

    The start of each line is judged whole, even when a caller writes a line in pieces: a piece
    that could still begin `::` or `##[` is held (a few characters at most) until it cannot.
    The real stream is looked up at each write, so that it follows a replaced `sys.stdout`.
    """

    def __init__(self, name: str, json: bool = False, drawn: bool = False, commands: bool = False) -> None:
        super().__init__()
        self._name = name
        self._json = json
        self._commands = commands  # workflow commands meant as such (`validate --format github`)
        self._drawn = drawn  # written by SafeConsole, which cleaned the text and added its own styles
        self._held = ""
        self._judged = False  # the current line's start has been judged and written

    @property
    def _stream(self) -> IO[str]:
        stream = _real(self._name)
        if stream is None:  # the descriptor was closed before Python started (`>&-`)
            raise OSError(errno.EBADF, "it is closed")
        return stream

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
        if _real(self._name) is None:
            return  # closed, and nothing was written to it (a write would have failed)
        try:
            self._stream.flush()
        except OSError as exc:
            _failed(exc, self._name)
        except ValueError:  # closed: nothing more can be written, and nothing is held
            pass

    def _put(self, text: str) -> None:
        try:
            self._stream.write(text)
        except OSError as exc:
            _failed(exc, self._name)


def _failed(exc: OSError, name: str) -> None:
    """End the command for standard output that cannot be written, without a second failure at exit.

    Standard error that cannot be written is let go: there is nowhere to say so, and the exit code
    still tells what happened."""
    _silence(name)
    if name != "standard output":
        return
    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        raise SystemExit(0)  # the reader has what it wanted (`| head`)
    reason = exc.strerror or str(exc)
    try:
        sys.stderr.write(f"bvplan: error: cannot write to standard output: {reason}; the output is incomplete\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    raise SystemExit(EXIT_OUTPUT_FAILED)


def _silence(name: str) -> None:
    """Point the failed stream at /dev/null, so that Python's own flush at exit cannot fail again."""
    stream = _real(name)
    if stream is None:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


_streams: dict[tuple[str, object], CheckedStream] = {}
# The process's own streams, once `install` has put checked ones in their place.
_installed: dict[str, IO[str] | None] = {}


def _real(name: str) -> IO[str] | None:
    if name in _installed:
        return _installed[name]
    return sys.stdout if name == "standard output" else sys.stderr


def install() -> None:
    """Make sys.stdout and sys.stderr the checked streams, so that what typer and click print
    (usage errors quoting an argument, help) is cleaned and checked like the rest."""
    _installed["standard output"], _installed["standard error"] = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stdout(), stderr()


def stdout(json: bool = False) -> IO[str]:
    """Standard output, checked and made safe (JSON-escaped when `json`)."""
    key = ("standard output", json)
    if key not in _streams:
        _streams[key] = CheckedStream(key[0], json)
    return cast("IO[str]", _streams[key])


def workflow_commands() -> IO[str]:
    """Standard output for GitHub workflow commands that bvplan means (each escaped by its writer)."""
    key = ("standard output", "commands")
    if key not in _streams:
        _streams[key] = CheckedStream(key[0], commands=True)
    return cast("IO[str]", _streams[key])


def stderr() -> IO[str]:
    key = ("standard error", False)
    if key not in _streams:
        _streams[key] = CheckedStream(key[0])
    return cast("IO[str]", _streams[key])


def finish() -> None:
    """Flush everything written; a failure ends the process as any failed write does."""
    for stream in list(_streams.values()):
        stream.flush()
    for name in ("standard output", "standard error"):
        raw = _real(name)
        if raw is None:
            continue
        try:
            raw.flush()
        except OSError as exc:
            _failed(exc, name)
        except (ValueError, AttributeError):
            pass


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

    name = "standard error" if stderr_stream else "standard output"
    interactive = (stderr() if stderr_stream else stdout()).isatty()
    # NO_COLOR asks for plain text: no bold or underline escapes either, not only no colour.
    plain = bool(os.environ.get("NO_COLOR")) or not interactive
    # Styled, rich's own escape sequences must pass; the text between them is cleaned segment by
    # segment. Plain, everything written is cleaned again, so a stray write cannot pass a control.
    key = (name, "drawn")
    if plain:
        file = stderr() if stderr_stream else stdout()
    else:
        if key not in _streams:
            _streams[key] = CheckedStream(name, drawn=True)
        file = cast("IO[str]", _streams[key])
    return SafeConsole(
        file=file,
        highlight=False,
        soft_wrap=not interactive,
        width=None if interactive else 100,
        no_color=plain,
        color_system=None if plain else "auto",
        emoji=False,
        markup=False,
    )
