"""The error boundary: the one place where what went wrong becomes bvplan's exit code and message.

Everything below the command line raises the errors of `bvplan.errors` and knows nothing of exit
codes. `run` calls one command line's work and turns what escapes into the code documented in
`EXIT_CODES` (printed by `bvplan --help` and listed in the README, which a test holds equal):

    0    done
    1    the plans have errors, or a check failed      PlanErrors, CheckFailed
    2    bad arguments or bad input                     UsageError (RefusedOutput, MissingExtra),
                                                        typer/click's own usage errors
    70   internal error: a bug in bvplan                any other exception (one line; `--debug`
                                                        shows the traceback)
    74   an output could not be written in full         OutputFailed (full disk, file-size limit,
                                                        closed standard output)
    130  interrupted                                    KeyboardInterrupt (Ctrl-C, SIGINT)

What typer and click would print themselves (usage errors, "Aborted!") is printed here instead,
through the checked standard error of `bvplan.cli.output`, so that an argument quoted back is made
as harmless as any other text. Nothing here is kept between calls.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bvplan.cli import output
from bvplan.errors import BvplanError, CheckFailed, OutputFailed, PlanErrors, UsageError

if TYPE_CHECKING:
    from bvplan.format.diagnostics import PlansInvalid

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE in BSD's sysexits.h
EXIT_OUTPUT = 74  # EX_IOERR
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

# (code, meaning): `bvplan --help` prints this table and the README lists it.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done"),
    (EXIT_PROBLEMS, "the plans have errors, or a check failed (validate, --strict, status --fail-on)"),
    (EXIT_USAGE, "bad arguments or bad input: an option, date, period, path, revision, file or output refused"),
    (EXIT_INTERNAL, "internal error: a bug in bvplan (rerun with --debug for the traceback)"),
    (EXIT_OUTPUT, "an output could not be written in full (a full disk, a file-size limit, a closed stream)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)


def exit_codes_help() -> str:
    """The exit-code table as `--help` shows it (its lines kept as they are: click's `\\b`)."""
    rows = "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES)
    return f"\b\nExit codes:\n{rows}"


def code_for(exc: BaseException) -> int:
    """The exit code of an exception that ends a command."""
    if isinstance(exc, OutputFailed):
        return EXIT_OUTPUT
    if isinstance(exc, PlanErrors | CheckFailed):
        return EXIT_PROBLEMS
    if isinstance(exc, UsageError) or _is_click_usage(exc):
        return EXIT_USAGE
    if isinstance(exc, KeyboardInterrupt) or _is_click(exc, "Abort"):
        return EXIT_INTERRUPTED
    if isinstance(exc, BvplanError):  # a new kind of BvplanError not yet given a code
        return EXIT_USAGE
    return EXIT_INTERNAL


def run(work: Callable[[], int | None], debug: bool = False) -> int:
    """Run one command line's `work` with its own checked streams; return its exit code.

    `work` returns an exit code (or None for 0) when it ends on its own; whatever it raises is
    reported here, once, and mapped by `code_for`.
    """
    with output.opened() as out:
        try:
            code = _settled(work, debug)
        finally:
            try:
                out.close()
            except output.ReaderGone:
                pass
            except OutputFailed as exc:
                _say(f"bvplan: error: {exc}")
                code = EXIT_OUTPUT
    return code


def _settled(work: Callable[[], int | None], debug: bool) -> int:
    try:
        result = work()
    except output.ReaderGone:
        return EXIT_OK  # the reader has what it wanted (`bvplan status | head`)
    except SystemExit as exc:  # shell completion ends this way
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
    except KeyboardInterrupt:
        _say("bvplan: interrupted")
        return EXIT_INTERRUPTED
    except BvplanError as exc:
        _report(exc)
        if debug:
            _say(traceback.format_exc())
        return code_for(exc)
    except Exception as exc:
        if _is_click(exc, "Exit"):
            return int(getattr(exc, "exit_code", EXIT_OK))
        if _is_click(exc, "ClickException") or _is_click(exc, "Abort"):
            _show_click(exc)
            return code_for(exc)
        if debug:
            _say(traceback.format_exc())
        said = " ".join(str(exc).split())  # one line, whatever the exception's text holds
        what = f"{type(exc).__name__}: {said[:300]}" if said else type(exc).__name__
        _say(f"bvplan: internal error: {what} (a bug in bvplan; rerun with --debug for the traceback)")
        return EXIT_INTERNAL
    if result == EXIT_INTERRUPTED:  # typer turns Ctrl-C within a command into this code
        _say("bvplan: interrupted")
    return result if isinstance(result, int) else EXIT_OK


def _report(exc: BvplanError) -> None:
    """The message of a BvplanError, after the diagnostics it carries; an error with no message was
    already explained by the command (`validate` lists what it found on standard output)."""
    from bvplan.format.diagnostics import PlansInvalid

    if isinstance(exc, PlansInvalid):
        _show_diagnostics(exc)
    if str(exc):
        _say(f"bvplan: error: {exc}")


def _show_diagnostics(exc: PlansInvalid) -> None:
    from bvplan.cli.common import show_diagnostics
    from bvplan.format.diagnostics import Report

    show_diagnostics(Report(list(exc.diagnostics), exc.files_checked), exc.lines, stderr=True)


def _say(text: str) -> None:
    stream = output.stderr()
    try:
        stream.write(text if text.endswith("\n") else text + "\n")
        stream.flush()
    except (OSError, ValueError, BvplanError, output.ReaderGone):
        pass  # standard error cannot be written: the exit code still tells what happened


def _show_click(exc: Any) -> None:
    """Print a typer/click error as click would (usage line, hint, message), through checked stderr."""
    if _is_click(exc, "Abort"):
        _say("bvplan: interrupted")
        return
    with contextlib.suppress(OSError, ValueError, output.ReaderGone):
        exc.show(file=output.stderr())


def _is_click(exc: BaseException, name: str) -> bool:
    """Whether `exc` is typer's (its own copy of click's) `Abort`, `Exit` or usage error (`ClickException`)."""
    import typer

    kinds = {"Abort": typer.Abort, "Exit": typer.Exit, "ClickException": typer.TyperException}
    return isinstance(exc, kinds[name])


def _is_click_usage(exc: BaseException) -> bool:
    return _is_click(exc, "ClickException")
