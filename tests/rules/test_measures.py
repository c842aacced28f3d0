"""The measure and Direction rules: where a measure stands on a date, progress per Direction, optimism bias."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bvplan.format.measure_checks import unit_problem
from bvplan.format.model import Action, Confidence, Direction, Measure, ThemeFile
from bvplan.rules.directions import action_confidence, confidence_at, direction_progress, optimism_bias
from bvplan.rules.measures import (
    MeasureCounts,
    PlacedMeasure,
    Standing,
    Trend,
    measure_status,
    target_in_force,
)
from bvplan.rules.status import action_status, plan_status

D = dt.date


def measure(**extra: object) -> Measure:
    data: dict[str, object] = {
        "id": "open-rate",
        "title": "Newsletter open rate",
        "unit": "percent",
        "better": "higher",
    }
    data.update(extra)
    return Measure.model_validate(data, strict=False)


RATE = measure(
    tolerance=5,
    baseline={"value": 50, "on": D(2017, 6, 30)},
    targets=[{"period": "2017-18", "value": 60}, {"period": "2017-18 Q4", "value": 65}],
    actuals=[
        {"on": D(2017, 6, 30), "value": 50},
        {"on": D(2017, 9, 30), "value": 58},
        {"on": D(2017, 12, 31), "value": 61},
        {"on": D(2018, 3, 31), "value": 64},
    ],
)


def test_latest_actual_and_target_in_force_on_a_date() -> None:
    status = measure_status(RATE, D(2017, 12, 31))

    assert status.latest is not None and status.latest.value == 61
    assert status.target is not None and status.target.value == 60  # the year's: no Q3 target
    assert status.standing is Standing.ON_TARGET
    assert status.rag == "green"
    assert status.trend is Trend.IMPROVING
    assert [p.value for p in status.history] == [50, 58, 61]


def test_a_quarter_target_wins_over_the_year_and_tolerance_makes_amber() -> None:
    status = measure_status(RATE, D(2018, 3, 31))

    assert status.target is not None and status.target.period == "2017-18 Q4"
    assert status.standing is Standing.WITHIN_TOLERANCE  # 64 against 65, tolerance 5
    assert status.rag == "amber"
    assert status.gap == -1


def test_off_target_beyond_tolerance_and_lower_is_better() -> None:
    days = measure(
        id="days",
        unit="days",
        better="lower",
        tolerance=2,
        targets=[{"period": "2018-19", "value": 10}],
        actuals=[{"on": D(2018, 5, 1), "value": 11}, {"on": D(2018, 8, 1), "value": 13}],
    )

    assert measure_status(days, D(2018, 6, 1)).standing is Standing.WITHIN_TOLERANCE
    later = measure_status(days, D(2018, 9, 1))
    assert later.standing is Standing.OFF_TARGET
    assert later.trend is Trend.WORSENING  # up, and lower is better


def test_before_any_actual_there_is_no_data_and_before_the_baseline_no_baseline() -> None:
    status = measure_status(RATE, D(2017, 6, 29))

    assert status.standing is Standing.NO_DATA
    assert status.baseline is None and status.latest is None
    assert status.trend is Trend.UNKNOWN


def test_no_target_when_only_future_periods_have_one() -> None:
    future = measure(targets=[{"period": "2019-20", "value": 70}], actuals=[{"on": D(2018, 5, 1), "value": 60}])

    assert measure_status(future, D(2018, 6, 30)).standing is Standing.NO_TARGET
    assert target_in_force(future.targets, D(2018, 6, 30)) is None
    # Once its period has passed it stays in force until another is set.
    past = target_in_force(future.targets, D(2021, 1, 1))
    assert past is not None and past[0].value == 70


def test_an_actual_corrected_on_the_same_day_takes_the_later_entry() -> None:
    corrected = measure(actuals=[{"on": D(2018, 5, 1), "value": 60}, {"on": D(2018, 5, 1), "value": 62}])

    status = measure_status(corrected, D(2018, 5, 1))

    assert status.latest is not None and status.latest.value == 62


def test_trend_uses_the_latest_actual_of_each_period() -> None:
    m = measure(
        actuals=[
            {"on": D(2018, 4, 10), "value": 40},
            {"on": D(2018, 6, 20), "value": 70},  # Q1's latest
            {"on": D(2018, 7, 1), "value": 70},
        ]
    )

    status = measure_status(m, D(2018, 7, 2))

    assert [(p.period, p.value) for p in status.history] == [("2018-19 Q1", 70), ("2018-19 Q2", 70)]
    assert status.trend is Trend.STEADY


actuals = st.lists(st.tuples(st.dates(D(2017, 1, 1), D(2020, 12, 31)), st.integers(0, 100)), min_size=0, max_size=8)
targets = st.lists(
    st.tuples(
        st.integers(2016, 2020), st.sampled_from([None, "Q1", "Q2", "Q3", "Q4", "H1", "H2"]), st.integers(0, 100)
    ),
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(
    actuals,
    actuals,
    targets,
    st.dates(D(2017, 1, 1), D(2020, 12, 31)),
    st.sampled_from(["higher", "lower"]),
    st.integers(0, 10),
)
def test_facts_after_the_reporting_date_never_change_the_state(
    known: list[tuple[dt.date, int]],
    extra: list[tuple[dt.date, int]],
    periods: list[tuple[int, str | None, int]],
    day: dt.date,
    better: str,
    tolerance: int,
) -> None:
    def year(y: int) -> str:
        return f"{y}-{(y + 1) % 100:02d}"

    target_list = [{"period": year(y) + (f" {p}" if p else ""), "value": v} for y, p, v in periods]
    before = [{"on": on, "value": v} for on, v in known if on <= day]
    after = [{"on": on, "value": v} for on, v in extra if on > day]
    base = {"targets": target_list, "better": better, "tolerance": tolerance}
    only_known = measure(actuals=before, baseline={"value": 0, "on": day}, **base)
    with_later = measure(actuals=before + after, baseline={"value": 0, "on": day}, **base)

    a, b = measure_status(only_known, day), measure_status(with_later, day)

    assert (a.latest, a.target, a.standing, a.trend, a.history, a.baseline) == (
        b.latest,
        b.target,
        b.standing,
        b.trend,
        b.history,
        b.baseline,
    )


# --- Directions and confidence ----------------------------------------------------------------------------------


def action(**extra: object) -> Action:
    data: dict[str, object] = {
        "id": "PR1",
        "title": "Community Buildings",
        "milestones": [
            {"id": "PR1.1", "title": "Hub one", "due": D(2018, 5, 31)},
            {"id": "PR1.2", "title": "Hub two", "due": D(2018, 9, 30), "completed": D(2018, 9, 1)},
        ],
    }
    data.update(extra)
    return Action.model_validate(data, strict=False)


def test_confidence_at_takes_the_latest_known_and_ignores_later_ones() -> None:
    given_ = [
        Confidence(level="high", reason="On track", on=D(2018, 4, 1)),
        Confidence(level="low", reason="Slipping", on=D(2018, 7, 1)),
    ]

    first = confidence_at(given_, D(2018, 6, 30))
    assert first is not None and first.level == "high"
    later = confidence_at(given_, D(2018, 7, 1))
    assert later is not None and later.level == "low"
    assert confidence_at(given_, D(2018, 3, 31)) is None


def test_high_confidence_with_an_overdue_milestone_is_optimism_bias() -> None:
    act = action(confidence=[{"level": "high", "reason": "All fine", "on": D(2018, 4, 1)}])

    overdue = action_status(act, D(2018, 6, 30))
    on_track = action_status(act, D(2018, 5, 1))
    high = confidence_at(act.confidence, D(2018, 6, 30))

    assert optimism_bias(high, overdue) is True
    assert optimism_bias(high, on_track) is False
    medium = Confidence(level="medium", reason="Late", on=D(2018, 4, 1))
    assert optimism_bias(medium, overdue) is False


def test_progress_against_each_direction_rolls_up_milestones_and_measures() -> None:
    served = action(directions=["D1"], confidence=[{"level": "high", "reason": "Fine", "on": D(2018, 4, 1)}])
    other = action(id="PR2", milestones=[{"id": "PR2.1", "title": "Depot", "due": D(2019, 1, 31)}])
    status = plan_status("demo", "Demo", [("property", "Property", [served, other])], D(2018, 6, 30))
    directions = [
        Direction(id="D1", title="Report quarterly"),
        Direction(id="D2", title="Later one", issued=D(2019, 1, 1)),
    ]
    rate = measure_status(RATE, D(2018, 3, 31))
    measures = [PlacedMeasure("property", "Property", "PR1", ("D1",), rate)]

    [d1] = direction_progress(directions, status, measures)  # D2 was not yet issued

    assert d1.actions == ("PR1",)
    assert (d1.counts.overdue, d1.counts.in_progress, d1.counts.total) == (1, 1, 2)
    assert d1.measures == MeasureCounts(within_tolerance=1)
    assert d1.optimism_bias == ("PR1",)
    assert [c.optimism_bias for c in action_confidence(status)] == [True, False]


def test_theme_file_holds_measures_and_best_value_themes() -> None:
    theme = ThemeFile.model_validate(
        {
            "theme": "Communications",
            "best_value_themes": ["culture"],
            "actions": [],
            "measures": [{"id": "m", "title": "T", "unit": "number", "better": "higher"}],
        },
        strict=False,
    )

    assert theme.measures[0].tolerance == 0
    assert theme.best_value_themes == ["culture"]


@pytest.mark.parametrize(
    ("value", "unit", "problem"),
    [
        (64, "percent", None),
        (100.0, "percent", None),
        (-0.5, "percent", "is not a percentage between 0 and 100"),
        (12, "days", None),
        (-1, "days", "is a negative number of days"),
        (1250.5, "pounds", None),
        (-300000, "pounds", None),  # a deficit, or a saving missed
        (10.005, "pounds", "is not a sum of pounds and pence (at most two decimal places)"),
        (float("nan"), "number", "is not a finite number"),
        (float("inf"), "pounds", "is not a finite number"),
        (-7.25, "number", None),
    ],
)
def test_which_values_fit_which_unit(value: float, unit: str, problem: str | None) -> None:
    assert unit_problem(value, unit) == problem
