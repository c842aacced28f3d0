"""The errors bvplan raises, named by what went wrong rather than by how a command ends.

Rules, edits and papers raise these and know nothing of exit codes or command-line flags. The
command line turns each class into its documented exit code in one place, its error boundary
(`bvplan.cli.boundary`); anything else that escapes is a bug in bvplan, and gets a code of its own.
Each message says where and what, in words a user can act on, without a traceback.
"""

from __future__ import annotations


class BvplanError(Exception):
    """Something the user can act on; the message says where and what."""


class UsageError(BvplanError):
    """What was asked cannot be done as asked: a bad argument, date, period, path, revision or input file."""


class RefusedOutput(UsageError):
    """bvplan will not write there: a plan file or a link to one, a folder, or a special file it cannot use."""


class MissingExtra(UsageError):
    """The command needs an optional extra that is not installed; the message says how to get it."""


class PlanErrors(BvplanError):
    """The plans a command uses, or the plan an edit would produce, have errors; nothing was written."""


class CheckFailed(BvplanError):
    """A check the user asked for did not pass (warnings under `--strict`, `status --fail-on`)."""


class OutputFailed(BvplanError):
    """An output could not be written in full (a full disk, a file-size limit, a closed stream)."""
