"""Generate a synthetic plans folder of N milestones, valid under `bvplan validate`.

The shape follows the real plans: a plan has five themes, a theme 3-8 actions, an action 10-15
milestones, so 100,000 milestones is about 300 plans: a national view of every council's plan.
Content is what the papers hold: revised deadlines with their commentary, notes, completions,
cancellations, RAG overrides, theme updates, multi-line text, and every tenth plan carried forward
from an earlier one. The same seed gives the same bytes.

    python bench/generate.py 10000 /tmp/bench-10k   # writes /tmp/bench-10k/plans/<plan id>/*.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

THEMES_PER_PLAN = 5
ACTIONS_PER_THEME = (3, 8)
MILESTONES_PER_ACTION = (10, 15)
# Every PREDECESSOR_EVERY-th plan is an earlier (2017-18) plan that the next one carries forward from.
PREDECESSOR_EVERY = 10

LIVE_START, LIVE_END = dt.date(2018, 4, 1), dt.date(2020, 3, 31)
EARLY_START, EARLY_END = dt.date(2017, 4, 1), dt.date(2018, 3, 31)

THEMES = [
    ("elections", "Elections", "EL"),
    ("communications", "Communications", "CO"),
    ("property", "Property and Disposals", "PR"),
    ("grants", "Grants", "GR"),
    ("organisational-culture", "Organisational Culture", "OC"),
    ("procurement", "Procurement", "PC"),
    ("recruitment", "Recruitment of Statutory Officers", "RE"),
]
PLACES = [
    "Tower Hamlets",
    "Rotherham",
    "Northamptonshire",
    "Liverpool",
    "Slough",
    "Croydon",
    "Thurrock",
    "Woking",
    "Nottingham",
    "Birmingham",
    "Sandwell",
    "Fenland",
    "Wirral",
    "Hackney",
    "Middlesbrough",
    "Kirklees",
]
VERBS = [
    "Report to CMT on",
    "Consult Directorates on",
    "Consider paper at AMCB on",
    "Report back to the Commissioners on",
    "Agree terms of reference for",
    "Publish",
    "Complete review of",
    "Implement",
    "Launch",
    "Evaluate",
    "Train managers in",
    "Procure",
    "Draft policy on",
    "Present to Cabinet",
    "Embed",
]
OBJECTS = [
    "the Community Buildings Scheme",
    "asset reviews and service delivery plans",
    "the new intranet site",
    "the grants framework",
    "the electoral registration canvass",
    "the procurement strategy",
    "the disposals pipeline",
    "the staff survey action plan",
    "the Mainstream Grants Programme",
    "the VCS strategy action plan",
    "the scheme of delegation",
    "member development",
    "the complaints process",
    "the contracts register",
    "polling station reviews",
]
OWNERS = [
    "Divisional Director, Property and Major Programmes",
    "Head of Third Sector Programmes",
    "Service Head, Corporate Strategy and Equality",
    "Electoral Services Manager",
    "Head of Communications",
    "Head of Procurement",
    "Director of Human Resources",
    "Monitoring Officer",
    "Chief Finance Officer",
]
SENTENCES = [
    "This activity will be addressed as part of a wider review of the Overview and Scrutiny work programme.",
    "Proposals have been discussed with the Mayor, the Deputy Mayor and the Chair of Overview and Scrutiny.",
    "The timetable moved to align with the Cabinet forward plan and the budget setting process.",
    "Consultation with directorates took longer than planned because of the number of responses received.",
    "A new framework will be developed as part of the VCS strategy action plan.",
    "Officers are working with the Commissioners to agree the scope before the report goes to CMT.",
    "Open rate for the residents' newsletter reached 64% and 943 residents were surveyed.",
    "Work continues to progress with partners and the voluntary sector on the delivery plan.",
]


@dataclass
class Budget:
    left: int

    def take(self, wanted: int) -> int:
        given = min(wanted, self.left)
        self.left -= given
        return given


@dataclass
class PlanIds:
    actions: list[str] = field(default_factory=list)
    milestones: list[str] = field(default_factory=list)


def month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    days, year, month = [], start.year, start.month
    while True:
        day = month_end(year, month)
        if day > end:
            return days
        days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def quoted(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar: safe for any text.
    return json.dumps(text, ensure_ascii=False)


def folded(key: str, text: str, indent: int) -> list[str]:
    """`key: >-` and the text wrapped below it, as people write long commentary."""
    pad = " " * indent
    body = textwrap.wrap(text, 76 - indent)
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in body)]


def text_field(rng: random.Random, key: str, indent: int, sentences: int) -> list[str]:
    text = " ".join(rng.sample(SENTENCES, sentences))
    if sentences > 1:
        return folded(key, text, indent)
    return [f"{' ' * indent}{key}: {quoted(text)}"]


def milestone_lines(
    rng: random.Random, mid: str, start: dt.date, end: dt.date, carried: list[str], predecessor: str | None
) -> list[str]:
    dues = month_ends(start + dt.timedelta(days=40), end)
    due = rng.choice(dues[: max(1, len(dues) - 3)])
    out = [f"      - id: {mid}", f"        title: {rng.choice(VERBS)} {rng.choice(OBJECTS)}"]
    if rng.random() < 0.2:
        out.append(f"        owner: {rng.choice(OWNERS)}")
    if rng.random() < 0.5:
        out.append(f"        ref: PEN-{rng.randrange(10_000):04d}")
    if predecessor and carried and rng.random() < 0.3:
        out.append(f"        carried_from: {predecessor}/{rng.choice(carried)}")
    begin = None
    if rng.random() < 0.2:
        begin = max(start, due - dt.timedelta(days=90))
        out.append(f"        start: {begin.isoformat()}")
    out.append(f"        due: {due.isoformat()}")
    deadline = due
    if rng.random() < 0.25:
        out.append("        revisions:")
        proposed = due - dt.timedelta(days=rng.randrange(0, 30))
        for _ in range(rng.choice((1, 1, 1, 2))):
            deadline = min(end, deadline + dt.timedelta(days=rng.randrange(30, 120)))
            out.append(f"          - to: {deadline.isoformat()}")
            out.extend(text_field(rng, "reason", 12, rng.choice((1, 2, 3))))
            out.append(f"            proposed: {proposed.isoformat()}")
            if rng.random() < 0.7:
                out.append(f"            agreed: {(proposed + dt.timedelta(days=rng.randrange(0, 30))).isoformat()}")
                out.append("            by: Best Value Improvement Board")
            proposed = min(deadline, proposed + dt.timedelta(days=rng.randrange(1, 90)))
    roll = rng.random()
    if roll < 0.45:
        earliest = begin or start
        done = min(end, max(earliest, deadline - dt.timedelta(days=rng.randrange(-20, 60))))
        out.append(f"        completed: {done.isoformat()}")
    elif roll < 0.48:
        out.append("        cancelled:")
        out.append(f"          on: {min(end, due).isoformat()}")
        out.extend(text_field(rng, "reason", 10, 1))
    if rng.random() < 0.02:
        out.append("        rag:")
        out.append(f"          status: {rng.choice(('red', 'amber', 'green'))}")
        out.extend(text_field(rng, "reason", 10, 1))
        out.append(f"          on: {due.isoformat()}")
    if rng.random() < 0.02:
        out.append("        exempt: true")
    if rng.random() < 0.3:
        out.append("        notes:")
        day = start + dt.timedelta(days=rng.randrange(30, 200))
        for _ in range(rng.randrange(1, 4)):
            out.append(f"          - on: {day.isoformat()}")
            out.extend(text_field(rng, "text", 12, rng.choice((1, 2, 4))))
            day += dt.timedelta(days=rng.randrange(20, 120))
    return out


def theme_text(
    rng: random.Random,
    theme: tuple[str, str, str],
    counts: list[int],
    span: tuple[dt.date, dt.date],
    ids: PlanIds,
    carried: PlanIds | None,
    predecessor: str | None,
) -> str:
    _slug, name, prefix = theme
    start, end = span
    out = [
        "# Synthetic benchmark data (bench/generate.py).",
        f"theme: {name}",
        f"lead: {rng.choice(OWNERS)}",
    ]
    out.extend(text_field(rng, "context", 0, 2))
    out.append("actions:")
    for a, count in enumerate(counts, start=1):
        aid = f"{prefix}{a}"
        ids.actions.append(aid)
        out.append(f"  - id: {aid}")
        out.append(f"    title: {rng.choice(VERBS)} {rng.choice(OBJECTS)}")
        out.append(f"    owner: {rng.choice(OWNERS)}")
        if predecessor and carried and a <= 2 and carried.actions:
            out.append(f"    carried_from: {predecessor}/{rng.choice(carried.actions)}")
        if rng.random() < 0.1:
            out.append("    assurance:")
            out.append(f"      level: {rng.choice(('substantive', 'reasonable', 'limited'))}")
            out.append(f"      on: {(start + dt.timedelta(days=200)).isoformat()}")
        out.append("    milestones:")
        for m in range(1, count + 1):
            mid = f"{aid}.{m}"
            ids.milestones.append(mid)
            pool = carried.milestones if carried and a <= 2 else []
            out.extend(milestone_lines(rng, mid, start, end, pool, predecessor))
    out.append("updates:")
    for key in quarter_keys(start, end)[:4]:
        out.append(f"  {key}:")
        out.extend(text_field(rng, "summary", 4, 3))
        for kind in ("achievements", "outcomes", "continuing"):
            out.append(f"    {kind}:")
            out.extend(f"      - {quoted(s)}" for s in rng.sample(SENTENCES, rng.randrange(1, 4)))
    return "\n".join(out) + "\n"


def quarter_keys(start: dt.date, end: dt.date) -> list[str]:
    keys = []
    for year in range(start.year, end.year):
        keys.extend(f"{year}-{(year + 1) % 100:02d} Q{q}" for q in range(1, 5))
    return keys


def plan_text(
    rng: random.Random, plan_id: str, council: str, span: tuple[dt.date, dt.date], slugs: list[str], carried: str | None
) -> str:
    start, end = span
    out = [
        "# Synthetic benchmark data (bench/generate.py).",
        f"id: {plan_id}",
        f"title: Best Value Improvement Plan {start.year}-{str(end.year)[2:]}",
        f"authority: {council}",
        "board: Best Value Improvement Board",
        f"start: {start.isoformat()}",
        f"end: {end.isoformat()}",
        "cadence: quarterly",
    ]
    if carried:
        out.append(f"carried_from: {carried}")
    out.append(f"author: {quoted(rng.choice(OWNERS))}")
    out.append("themes:")
    out.extend(f"  - {slug}" for slug in slugs)
    out.append("meetings:")
    for number, key in enumerate(quarter_keys(start, end), start=1):
        year, quarter = int(key[:4]), int(key[-1])
        meeting = month_end(year + (quarter * 3 + 3) // 12, (quarter * 3 + 3) % 12 + 1)
        out.append(f"  - period: {key}")
        out.append(f"    date: {meeting.isoformat()}")
        out.append(f'    item: "{number}.1"')
    return "\n".join(out) + "\n"


def plans(milestones: int, seed: int) -> Iterator[tuple[str, dict[str, str]]]:
    """(plan id, {file name: text}) until `milestones` milestones are written."""
    rng = random.Random(seed)
    budget = Budget(milestones)
    previous: tuple[str, PlanIds] | None = None
    index = 0
    while budget.left:
        early = index % PREDECESSOR_EVERY == PREDECESSOR_EVERY - 1
        # An earlier plan belongs to the council whose next plan carries forward from it.
        council_number = index + 2 if early else index + 1
        council = f"{PLACES[council_number % len(PLACES)]} Council {council_number:03d}"
        span = (EARLY_START, EARLY_END) if early else (LIVE_START, LIVE_END)
        plan_id = f"council-{council_number:03d}-{span[0].year}-{str(span[1].year)[2:]}"
        carried = previous if previous and not early else None
        ids = PlanIds()
        files: dict[str, str] = {}
        themes = rng.sample(THEMES, THEMES_PER_PLAN)
        slugs = []
        for theme in themes:
            counts = []
            for _ in range(rng.randint(*ACTIONS_PER_THEME)):
                taken = budget.take(rng.randint(*MILESTONES_PER_ACTION))
                if taken:
                    counts.append(taken)
            if not counts:
                break
            slugs.append(theme[0])
            files[f"{theme[0]}.yaml"] = theme_text(
                rng, theme, counts, span, ids, carried[1] if carried else None, carried[0] if carried else None
            )
        files["plan.yaml"] = plan_text(rng, plan_id, council, span, slugs, carried[0] if carried else None)
        previous = (plan_id, ids) if early else None
        index += 1
        yield plan_id, files


def generate(milestones: int, target: Path, seed: int = 2018) -> Path:
    """Write `target/plans/` afresh and return it."""
    root = target / "plans"
    if root.exists():
        shutil.rmtree(root)
    for plan_id, files in plans(milestones, seed):
        folder = root / plan_id
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("milestones", type=int, help="how many milestones in all")
    parser.add_argument("target", type=Path, help="folder to write plans/ into (its plans/ is replaced)")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    root = generate(args.milestones, args.target, args.seed)
    files = list(root.rglob("*.yaml"))
    size = sum(f.stat().st_size for f in files)
    print(f"{root}: {len(files)} files, {size / 1_048_576:.1f} MiB, {args.milestones} milestones")


if __name__ == "__main__":
    main()
