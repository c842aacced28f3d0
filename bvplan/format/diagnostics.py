"""Problems found in plan files: where they are, what is wrong, how to fix it.

Every check in bvplan reports through `Diagnostic`, so that every command shows a problem the same
way. The codes are a public contract: they appear in CI logs and in the documentation, and are
never reused for a different problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bvplan.errors import PlanErrors


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Span:
    """A region of a file, 1-based lines and columns, end exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, line: int, col: int) -> Span:
        return cls(line, col, line, col + 1)


# code -> (name, what it means). docs/errors.md gives each with an example and a fix, in this order;
# a test checks that it lists exactly these codes, with these names.
CODES: dict[str, tuple[str, str]] = {
    "BV100": ("unreadable", "The file or folder cannot be read (missing, a directory, or no permission)."),
    "BV101": ("not-utf8", "The file is not valid UTF-8 text."),
    "BV102": ("yaml-syntax", "The file is not valid YAML."),
    "BV103": ("duplicate-key", "A mapping has the same key twice; YAML would silently keep the last."),
    "BV104": ("alias-expansion", "Anchors and aliases expand to far more data than the file holds."),
    "BV105": ("empty-file", "The file holds no YAML document."),
    "BV106": ("too-large", "The file is larger than bvplan will read, or nested too deeply."),
    "BV200": ("missing-key", "A required key is missing."),
    "BV201": ("unknown-key", "A key that the format does not have, often a typo."),
    "BV202": ("wrong-type", "A value of the wrong kind: a list where a mapping belongs, a number for text."),
    "BV203": ("invalid-date", "A date that does not exist or is not written YYYY-MM-DD."),
    "BV204": ("yaml11-boolean", "yes/no/on/off: YAML 1.1 tools read these as booleans, YAML 1.2 as text."),
    "BV205": ("invalid-value", "A value outside what the key allows (an unknown choice, a malformed id)."),
    "BV301": ("duplicate-id", "An action or milestone id is used twice within a plan."),
    "BV302": ("agreed-before-proposed", "A revision was agreed before it was proposed."),
    "BV303": ("revisions-out-of-order", "Revisions are not listed in the order they were proposed."),
    "BV304": ("completed-before-start", "A milestone is completed before its start date."),
    "BV305": ("outside-plan-period", "A date falls outside the plan's start and end (warning)."),
    "BV306": ("unknown-reference", "carried_from names a plan, action or milestone that does not exist."),
    "BV307": ("plan-id-mismatch", "The plan id differs from its folder name."),
    "BV308": ("completed-and-cancelled", "A milestone is both completed and cancelled."),
    "BV309": ("invalid-period", "A period key is not like '2018-19 Q1', '2015-16 H2' or '2017-18'."),
    "BV310": ("theme-order", "plan.yaml's themes list does not match the theme files."),
    "BV311": ("no-plan-file", "A theme file's folder has no plan.yaml."),
    "BV312": ("plan-dates", "The plan ends before it starts."),
    "BV313": ("notes-out-of-order", "Notes are not in date order (warning)."),
    "BV314": ("duplicate-plan", "Two plan folders declare the same plan id."),
    "BV320": (
        "dated-in-future",
        "A completion, note, proposal, agreement, withdrawal, cancellation or correction is dated after today.",
    ),
    "BV321": ("deadline-before-proposal", "A revision proposes a deadline before the day it is proposed."),
    "BV322": (
        "revision-not-pending",
        "A revision was agreed or withdrawn when it was not waiting: superseded by a later proposal, already agreed or withdrawn, or not yet proposed.",
    ),
    "BV330": ("position-after-meeting", "A meeting's position date is after the meeting (warning)."),
    "BV331": ("missing-section", "A meeting's paper lacks a section the plan requires (warning)."),
    "BV340": ("actual-before-baseline", "A measure's actual is dated before its baseline."),
    "BV341": ("target-outside-plan", "A measure's target is for a period outside the plan (warning)."),
    "BV342": ("unknown-direction", "An action or measure names a Direction that plan.yaml does not list."),
    "BV343": ("value-unit", "A measure's value does not fit its unit."),
    "BV344": ("confidence-in-future", "A confidence of delivery is dated after today."),
    "BV345": (
        "completed-without-evidence",
        "A milestone is completed with no evidence, and the plan requires it (warning).",
    ),
    "BV346": ("duplicate-measure", "A measure or Direction id is used twice within a plan."),
    "BV350": (
        "not-text",
        "A value holds a control character (other than tab or newline) or another character that is not text.",
    ),
    "BV351": ("actual-in-future", "A measure's actual is dated after today."),
    "BV400": ("unanswered", "A Direction requirement or an accepted recommendation that no action answers."),
    "BV401": ("answer-without-milestones", "An action answers a requirement or recommendation but has no milestones."),
    "BV402": (
        "closed-without-evidence",
        "A requirement, recommendation or exit criterion is met or closed with no evidence.",
    ),
    "BV403": ("unknown-answer", "An action answers an id that is no requirement or recommendation of the plan."),
    "BV404": ("register-overdue", "A requirement or recommendation is past its deadline and still open (warning)."),
    "BV405": ("no-outcome-measure", "A Direction with requirements has no outcome measure (warning)."),
    "BV406": ("duplicate-register-id", "A requirement or recommendation id is already used in the plan."),
    "BV407": ("rejected-without-reason", "A recommendation is rejected with no reason given."),
    "BV420": ("unknown-framework", "plan.yaml names a framework that no pack declares."),
    "BV421": (
        "unknown-characteristic",
        "An action or an assessment names a characteristic that none of the plan's frameworks has.",
    ),
    "BV422": ("duplicate-framework", "Two of the council's framework packs declare the same id."),
    "BV423": ("framework-id-mismatch", "A framework pack's id differs from its file name."),
    "BV424": (
        "duplicate-characteristic",
        "A theme or characteristic id is used twice in a pack, or in two of a plan's frameworks.",
    ),
    "BV425": ("unknown-level", "An assessment gives a level that its framework's rating scale does not have."),
    "BV426": ("scale-level", "A rating scale names a good level it does not have, or has a level twice."),
    "BV427": ("assessment-in-future", "An assessment is dated after today."),
    "BV428": (
        "optimistic-rating",
        "A characteristic is rated good while the actions serving it are overdue or their measures off target (warning).",
    ),
}


@dataclass(frozen=True)
class Diagnostic:
    path: str
    span: Span | None
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered diagnostic code {self.code}")

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        if self.span is None:
            return (self.path, 0, 0, self.code)
        return (self.path, self.span.line, self.span.col, self.code)

    @property
    def location(self) -> str:
        if self.span is None:
            return self.path
        return f"{self.path}:{self.span.line}:{self.span.col}"


def error(path: str, span: Span | None, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(path, span, Severity.ERROR, code, message, hint)


def warning(path: str, span: Span | None, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(path, span, Severity.WARNING, code, message, hint)


@dataclass
class Report:
    """The diagnostics of one run, with the number of files read."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.sort_key, d.message): d for d in self.diagnostics}
        return [unique[k] for k in sorted(unique)]


class PlansInvalid(PlanErrors):
    """PlanErrors that carry their diagnostics (and the lines of the files they point into), so that
    whoever reports the error can show each one with its excerpt before the message."""

    def __init__(
        self,
        message: str,
        diagnostics: list[Diagnostic],
        lines: Mapping[str, list[str]] | None = None,
        files_checked: int = 0,
    ) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)
        self.lines = dict(lines or {})
        self.files_checked = files_checked
