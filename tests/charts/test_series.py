"""Line series handed to the renderers: bucket alignment and splitting at gaps."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from bot.charts.drawing import segments_xy, x_of
from bot.charts.model import BatteryHistory, BatteryPlan, HistoryPoint, PlanSeries, PlanStep
from bot.charts.prepare import (
    plan_power_segments,
    plan_soc_segments,
    power_step_segments,
    reason_marks,
    soc_range_segments,
    soc_segments,
)
from tests.charts.helpers import utc

BUCKET = timedelta(minutes=15)
T0 = utc(2026, 1, 15, 10)


def point(index: int, soc: float | None, power: float | None = 100.0) -> HistoryPoint:
    """Return the point of bucket ``index`` after T0."""
    return HistoryPoint(
        bucket_start_utc=T0 + index * BUCKET,
        soc_avg_pct=soc,
        soc_min_pct=None if soc is None else soc - 1,
        soc_max_pct=None if soc is None else soc + 1,
        power_avg_w=power,
    )


def battery(*points: HistoryPoint) -> BatteryHistory:
    """Return a battery history made of ``points``."""
    return BatteryHistory(name="Venus", points=points)


def test_contiguous_buckets_make_one_soc_line_at_bucket_midpoints() -> None:
    segments = soc_segments(battery(point(0, 50), point(1, 51), point(2, 52)), BUCKET)
    half = BUCKET / 2
    assert segments == [((T0 + half, 50), (T0 + BUCKET + half, 51), (T0 + 2 * BUCKET + half, 52))]


def test_a_missing_bucket_splits_the_line() -> None:
    segments = soc_segments(battery(point(0, 50), point(1, 51), point(3, 53), point(4, 54)), BUCKET)
    assert [[value for _, value in segment] for segment in segments] == [[50, 51], [53, 54]]


def test_a_missing_value_splits_the_line_and_unsorted_points_are_ordered() -> None:
    points = battery(point(4, 54), point(0, 50), point(2, None), point(1, 51), point(3, 53))
    segments = soc_segments(points, BUCKET)
    assert [[value for _, value in segment] for segment in segments] == [[50, 51], [53, 54]]


def test_a_late_timestamp_within_tolerance_is_not_a_gap() -> None:
    late = HistoryPoint(bucket_start_utc=T0 + BUCKET + timedelta(minutes=5), soc_avg_pct=51)
    assert len(soc_segments(battery(point(0, 50), late), BUCKET)) == 1


def test_a_lone_bucket_is_drawn_flat_across_its_bucket() -> None:
    segments = soc_segments(battery(point(0, 50), point(5, 60)), BUCKET)
    assert segments[1] == ((T0 + 5 * BUCKET, 60), (T0 + 6 * BUCKET, 60))


def test_power_steps_hold_each_value_to_the_end_of_its_bucket() -> None:
    points = battery(point(0, 50, -800), point(1, 50, 400), point(3, 50, 300))
    assert power_step_segments(points, BUCKET) == [
        ((T0, -800), (T0 + BUCKET, 400), (T0 + 2 * BUCKET, 400)),
        ((T0 + 3 * BUCKET, 300), (T0 + 4 * BUCKET, 300)),
    ]


def test_power_and_soc_gaps_are_independent() -> None:
    points = battery(point(0, 50, None), point(1, 51, 200), point(2, 52, 250))
    assert len(soc_segments(points, BUCKET)) == 1
    assert power_step_segments(points, BUCKET) == [
        ((T0 + BUCKET, 200), (T0 + 2 * BUCKET, 250), (T0 + 3 * BUCKET, 250))
    ]


def test_soc_envelope_needs_both_min_and_max() -> None:
    only_avg = HistoryPoint(bucket_start_utc=T0 + 2 * BUCKET, soc_avg_pct=52, soc_min_pct=51)
    segments = soc_range_segments(battery(point(0, 50), point(1, 51), only_avg), BUCKET)
    assert segments == [((T0 + BUCKET / 2, 49, 51), (T0 + BUCKET * 3 / 2, 50, 52))]


def test_segments_are_joined_with_nan_so_no_line_crosses_a_gap() -> None:
    xs, ys = segments_xy(
        [((T0, 1.0), (T0 + BUCKET, 2.0)), ((T0 + 3 * BUCKET, 3.0), (T0 + 4 * BUCKET, 4.0))]
    )
    assert len(xs) == len(ys) == 5
    assert math.isnan(xs[2])
    assert math.isnan(ys[2])
    assert xs[0] == x_of(T0)
    assert xs[1] - xs[0] == pytest.approx(BUCKET / timedelta(days=1))
    assert list(ys[[0, 1, 3, 4]]) == [1.0, 2.0, 3.0, 4.0]


def step(
    start_h: int,
    end_h: int,
    power: float,
    soc: tuple[float, float] | None,
    label: str | None = None,
) -> PlanStep:
    """Return a plan step from T0 + start_h to T0 + end_h."""
    return PlanStep(
        start_utc=T0 + timedelta(hours=start_h),
        end_utc=T0 + timedelta(hours=end_h),
        power_w=power,
        soc_start_pct=None if soc is None else soc[0],
        soc_end_pct=None if soc is None else soc[1],
        label=label,
    )


def hours(value: int) -> timedelta:
    """Return ``value`` hours."""
    return timedelta(hours=value)


def test_plan_soc_is_linear_per_step_and_split_where_unknown() -> None:
    plan = BatteryPlan(
        name="A",
        steps=(
            step(0, 2, -1000, (20, 60)),
            step(2, 4, 0, (60, 60)),
            step(4, 5, 500, None),
            step(5, 6, 500, (60, 50)),
        ),
    )
    assert plan_soc_segments(plan) == [
        ((T0, 20), (T0 + hours(2), 60), (T0 + hours(2), 60), (T0 + hours(4), 60)),
        ((T0 + hours(5), 60), (T0 + hours(6), 50)),
    ]


def test_plan_power_is_a_step_line_split_between_steps_that_do_not_touch() -> None:
    plan = BatteryPlan(
        name="A", steps=(step(3, 4, 500, None), step(0, 2, -900, None), step(2, 3, 0, None))
    )
    assert plan_power_segments(plan) == [
        ((T0, -900), (T0 + hours(2), 0), (T0 + hours(3), 500), (T0 + hours(4), 500))
    ]
    gapped = BatteryPlan(name="A", steps=(step(0, 1, 100, None), step(2, 3, 200, None)))
    assert len(plan_power_segments(gapped)) == 2


def test_reason_marks_show_each_change_once_and_name_batteries_when_they_differ() -> None:
    first = BatteryPlan(
        name="Garage",
        steps=(
            step(-1, 1, 300, None, "auto"),
            step(1, 2, 300, None, "auto"),
            step(2, 5, -900, None, "précharge"),
        ),
    )
    second = BatteryPlan(
        name="Cellier",
        steps=(step(0, 2, 300, None, "auto"), step(2, 5, 0, None, "pause")),
    )
    plan = PlanSeries(start_utc=T0, end_utc=T0 + hours(48), batteries=(first, second))
    assert reason_marks(plan) == [
        (T0, "auto"),
        (T0 + hours(2), "Cellier — pause"),
        (T0 + hours(2), "Garage — précharge"),
    ]
