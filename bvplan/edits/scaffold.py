"""A new plan repository: a plan that teaches its own format, a pre-commit hook and a CI workflow.

`scaffold_files` is pure (settings in, file texts out); `write_new_files` writes them only when
none of them exists yet, so running `bvplan init` in a council's existing repository can never
replace anything there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bvplan import __version__
from bvplan.clock import today
from bvplan.errors import RefusedOutput
from bvplan.format.periods import make_period, year_label

HOOK_ID = "bvplan-validate"
WORKFLOW = PurePosixPath(".github/workflows/plans.yml")
PRE_COMMIT_CONFIG = PurePosixPath(".pre-commit-config.yaml")


@dataclass(frozen=True)
class Settings:
    plan_id: str
    title: str
    authority: str
    board: str
    year: int  # the calendar year in which the plan's financial year starts
    cadence: str  # "quarterly" or "six-monthly"
    theme: str
    hook_repo: str | None = None  # a git URL of bvplan for a pinned pre-commit hook; None: bvplan on PATH
    # What CI asks pip for. None: the repository variable BVPLAN_INSTALL must say, since bvplan is
    # not on a public index yet; --hook-repo gives a git URL it can be installed from.
    install: str | None = None
    today: dt.date | None = None  # None: the real today (see bvplan.clock)

    @property
    def theme_slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.theme.casefold()).strip("-") or "theme"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is valid YAML and escapes everything needed."""
    return json.dumps(text, ensure_ascii=False)


def _plan_yaml(s: Settings) -> str:
    year = make_period(s.year, None)
    first = make_period(s.year, "Q1" if s.cadence == "quarterly" else "H1")
    return f"""\
# yaml-language-server: $schema=../../schemas/plan.schema.json
#
# plan.yaml: one improvement plan. The folder it sits in (plans/{s.plan_id}/) is named after the plan
# id, and holds one more YAML file per theme. Check every edit with `bvplan validate`; the
# pre-commit hook and the pull-request workflow run it for you. The modeline above lets editors
# with the YAML language server complete and check keys (schemas/ holds the schema; refresh it with
# `bvplan schema plan > schemas/plan.schema.json` after upgrading bvplan).
#
# Dates are written YYYY-MM-DD, unquoted. Text with a colon or a leading quote needs "quotes".

# The plan's id: lower case letters, digits, '.', '_' and '-'. Other plans refer to it.
id: {s.plan_id}
# The plan's name as the board papers give it.
title: {_quoted(s.title)}
# The council (shown on the paper's cover).
authority: {_quoted(s.authority)}
# The board the plan reports to, e.g. the Best Value Improvement Board.
board: {_quoted(s.board)}
# The first day the plan covers. UK local government years run 1 April to 31 March.
start: {year.start}
# The last day it covers; a plan may span several years.
end: {year.end}
# How often the board hears about it: quarterly (Q1 is April to June) or six-monthly (H1 is April
# to September). `bvplan report q1` writes the paper for a period.
cadence: {s.cadence}
# Optional keys, shown with examples:
# author: Head of Corporate Strategy   # who writes the papers
# carried_from: bvip-2017-18           # the plan this one continues (`bvplan carry-forward` fills it in)
# due_soon_days: 30                    # days before a deadline that a milestone is "due soon" (amber)
# year_start: "04-01"                  # MM-DD the reporting year starts, if not 1 April
# rag:                                 # the RAG colour of each status, if not these defaults
#   completed: blue
#   in_progress: green
#   due_soon: amber
#   revised: amber
#   overdue: red
#
# The theme files (names without .yaml) in the order the papers show them.
themes:
  - {s.theme_slug}
# The board's meetings: the period each one hears about, and its date (for the paper's cover).
meetings:
  - period: {first.label}
    date: {first.end + dt.timedelta(days=19)}
    # item: "4.1"                      # the agenda item number
    # title: Best Value Improvement Plan - quarterly update
"""


def _theme_yaml(s: Settings) -> str:
    text = _theme_template(s)
    # The example's facts (a completion, a note, a proposal) are dated in the first quarter. A fact
    # cannot be dated after today (BV320), so for a year still to come they are shown commented out.
    happened = make_period(s.year, "Q1").end <= (s.today or today())
    return text.replace("@@", "" if happened else "# ")


def _theme_template(s: Settings) -> str:
    year = make_period(s.year, None)
    q1, q2, q3 = (make_period(s.year, part) for part in ("Q1", "Q2", "Q3"))
    first_period = make_period(s.year, "Q1" if s.cadence == "quarterly" else "H1")
    return f"""\
# yaml-language-server: $schema=../../schemas/theme.schema.json
#
# One theme of the plan (also called a work stream or an action plan): its strategic actions, each
# delivered through dated milestones. Replace the examples below with your own.

# The theme's name as the papers show it, and its lead officer.
theme: {_quoted(s.theme)}
lead: Director of Governance
# Optional: a paragraph of context shown before the theme's progress in the paper.
# context: Why this theme is in the plan.
actions:
  # A strategic action. Its id is unique within the plan: letters, digits, '.', '_', '-'.
  - id: G1
    title: Review the constitution and the scheme of delegation
    owner: Head of Democratic Services   # milestones without an owner inherit this one
    # ref: PI-123                        # the item's code in another performance system
    # carried_from: bvip-2017-18/G4      # '<plan id>/<item id>' of the action this one continues
    milestones:
      # A milestone: a dated deliverable. `due` is the original deadline and is never rewritten.
      - id: G1.1
        title: Report the proposed changes to the Corporate Management Team
        due: {q1.end}
        # The day it was done: from then on the milestone counts as Completed.
        @@completed: {q1.end - dt.timedelta(days=2)}
        # Progress notes, dated; the latest one on or before the reporting date is shown.
        @@notes:
        @@  - on: {q1.start}
        @@    text: Officers' working group formed; first draft of the changes circulated.
      - id: G1.2
        title: Full Council agrees the revised constitution
        start: {q2.start}                # optional: not started before this day
        due: {q2.end}
        # A deadline moves by a revision: proposed to the board, then agreed. Until it is agreed
        # the original deadline stands. `bvplan revise` and `bvplan agree` write these for you.
        @@revisions:
        @@  - to: {q3.end}
        @@    reason: Council meeting moved to allow a second round of consultation.
        @@    proposed: {q1.end}
            # agreed: {q1.end}            # the day the board agreed it
            # by: {s.board}
        # A milestone no longer needed is cancelled, with the reason; it then leaves the counts:
        # cancelled:
        #   on: {q2.start}
        #   reason: Superseded by the new governance review.
        # The board's own RAG rating, which wins over the computed one from its date:
        # rag: {{status: amber, reason: Depends on the Council meeting date, on: {q1.end}}}
        # exempt: true                   # leave this item out of --public reports
# The theme's narrative for each reporting period, as the progress summaries in the papers have it.
updates:
  {first_period.label}:
    summary: Work on the constitution began on time.
    achievements:        # key achievements this period
      - Officers' working group formed.
    outcomes:            # measurable outcomes
      - 12 Members attended the first workshop.
    continuing:          # areas where work continues to progress
      - Consultation with Members on the scheme of delegation.
# (The plan year runs {year.start} to {year.end}.)
"""


def _pre_commit(s: Settings) -> str:
    if s.hook_repo:
        return f"""\
# pre-commit checks the plan files of every commit with `bvplan validate`. Run `pre-commit install`
# once in each clone. pre-commit installs the pinned bvplan below by itself.
repos:
  - repo: {s.hook_repo}
    rev: v{__version__}
    hooks:
      - id: {HOOK_ID}
"""
    return f"""\
# pre-commit checks the plan files of every commit with `bvplan validate`. Run `pre-commit install`
# once in each clone. This hook runs the bvplan on your PATH (pip install bvplan). To have pre-commit
# install a pinned bvplan by itself instead, replace the `local` repo below with:
#   - repo: <the git URL your council installs bvplan from>
#     rev: v{__version__}
#     hooks:
#       - id: {HOOK_ID}
repos:
  - repo: local
    hooks:
      - id: {HOOK_ID}
        name: bvplan validate
        entry: bvplan validate
        language: system
        files: ^plans/.*\\.ya?ml$
        pass_filenames: true
        require_serial: true
"""


def _install_expression(install: str | None) -> str:
    """The workflow's BVPLAN value: the repository variable, else the spec given to init (if any)."""
    if install is None:
        return '"${{ vars.BVPLAN_INSTALL }}"'
    fallback = install.replace("'", "''")  # a single-quoted string inside a GitHub expression
    return _quoted(f"${{{{ vars.BVPLAN_INSTALL || '{fallback}' }}}}")


def install_spec(hook_repo: str | None, install: str | None) -> str | None:
    """What CI installs: --install, else bvplan from the --hook-repo git URL at this version, else unknown."""
    if install:
        return install
    if hook_repo:
        return f"git+{hook_repo}@v{__version__}"
    return None


def _workflow(s: Settings) -> str:
    return f"""\
# On every pull request: check the plans (problems show as annotations on the changed lines), list
# what the pull request changes in the job summary, and build this quarter's board paper as an
# artifact to download from the run's page. On main: build the public progress site too, as an
# artifact ready for GitHub Pages (see the `site` job).
name: plans

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

env:
  # The plan whose paper is built: change it when next year's plan starts.
  PLAN_ID: {s.plan_id}
  # What pip installs: where your council keeps bvplan, pinned to the version you have tested, e.g.
  # git+https://git.example.org/your-council/bvplan@v{__version__}. The repository variable
  # BVPLAN_INSTALL (Settings > Secrets and variables > Actions > Variables) overrides the default here.
  BVPLAN: {_install_expression(s.install)}

jobs:
  plans:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0  # the whole history, so that `bvplan changes` can read the base branch
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - name: Install bvplan
        run: |
          if [ -z "$BVPLAN" ]; then
            echo "::error::Set the repository variable BVPLAN_INSTALL to where your council keeps bvplan, e.g. git+https://git.example.org/your-council/bvplan@v{__version__}"
            exit 1
          fi
          python -m pip install "$BVPLAN"
      - name: Validate the plans
        run: bvplan validate --format github
      - name: List what this pull request changes
        if: github.event_name == 'pull_request'
        run: bvplan changes --since "origin/$GITHUB_BASE_REF" --format markdown >> "$GITHUB_STEP_SUMMARY"
      - name: Build this quarter's board paper
        run: |
          mkdir -p out
          today=$(date +%F)
          bvplan report "$today" --plan "$PLAN_ID" --format all -o "out/$PLAN_ID-$today"
      - uses: actions/upload-artifact@v6
        with:
          name: board-paper
          path: out/
          if-no-files-found: error

  # The public progress site (`bvplan site`), built from main once the plans pass, and uploaded as
  # the artifact GitHub Pages publishes. To publish it, set Settings > Pages > Source to "GitHub
  # Actions" and add a job that runs actions/deploy-pages (the README shows one); or download the
  # artifact and copy it to the council's web server.
  site:
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    needs: plans
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0  # the history, for the site's changes since the last board and its feed
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - name: Install bvplan
        run: |
          if [ -z "$BVPLAN" ]; then
            echo "::error::Set the repository variable BVPLAN_INSTALL to where your council keeps bvplan, e.g. git+https://git.example.org/your-council/bvplan@v{__version__}"
            exit 1
          fi
          python -m pip install "$BVPLAN"
      - name: Build the public site
        run: bvplan site -o public
      - uses: actions/upload-pages-artifact@v4
        with:
          path: public/
"""


def scaffold_files(settings: Settings) -> dict[PurePosixPath, str]:
    """Every file of a new plan repository, by path relative to its top."""
    from bvplan.format.schema import schema_text

    folder = PurePosixPath("plans") / settings.plan_id
    return {
        folder / "plan.yaml": _plan_yaml(settings),
        folder / f"{settings.theme_slug}.yaml": _theme_yaml(settings),
        PurePosixPath("schemas/plan.schema.json"): schema_text("plan"),
        PurePosixPath("schemas/theme.schema.json"): schema_text("theme"),
        PRE_COMMIT_CONFIG: _pre_commit(settings),
        WORKFLOW: _workflow(settings),
    }


def default_settings(
    year: int,
    plan_id: str | None = None,
    title: str | None = None,
    authority: str | None = None,
    board: str | None = None,
    cadence: str = "quarterly",
    theme: str = "Governance",
    hook_repo: str | None = None,
    install: str | None = None,
) -> Settings:
    """Settings for a plan covering the financial year starting in `year`, with defaults for the rest."""
    label = year_label(year)
    return Settings(
        plan_id=plan_id or f"bvip-{label}",
        title=title or f"Best Value Improvement Plan {label}",
        authority=authority or "Example Borough Council",
        board=board or "Best Value Improvement Board",
        year=year,
        cadence=cadence,
        theme=theme,
        hook_repo=hook_repo,
        install=install_spec(hook_repo, install),
    )


class WouldOverwrite(Exception):
    def __init__(self, existing: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in existing))
        self.existing = existing


def write_new_files(root: Path, files: Mapping[PurePosixPath, str]) -> list[Path]:
    """Write every file under `root`, or none: WouldOverwrite if any of them exists already.

    Each file goes through the output guard as a new file only (bvplan.edits.files.write_output), so
    a file that appears meanwhile is refused, never replaced. Raises RefusedOutput or OutputFailed.
    """
    from bvplan.edits.files import write_output  # here: it loads the plan loader, which scaffold_files needs not

    targets = {root / Path(relative): text for relative, text in files.items()}
    existing = [path for path in targets if os.path.lexists(path)]
    if existing:
        raise WouldOverwrite(existing)
    written: list[Path] = []
    made: list[Path] = []  # folders created here, removed again if the run fails
    try:
        for path, text in targets.items():
            for folder in reversed([path.parent, *path.parent.parents]):
                if not folder.exists():
                    try:
                        folder.mkdir()
                    except OSError as exc:
                        raise RefusedOutput(f"cannot create {folder}: {exc.strerror}") from exc
                    made.append(folder)
            write_output(path, text.encode("utf-8"), replace=False)
            written.append(path)
    except BaseException:
        # All or nothing: a failure half-way (a full disk, a file in the way, Ctrl-C) takes back
        # every file and folder this run made, so that a second run can start clean.
        for path in reversed(written):
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return written
