"""`evolve`: a frozen value with some fields changed, as `dataclasses.replace` makes it."""

from __future__ import annotations

import dataclasses

import pytest

from timeline.model import TimeMention, evolve


def test_evolve_changes_only_the_named_fields() -> None:
    monday = TimeMention(start=4, end=10, text="Monday", type="DATE", value="2020-03-02")
    shifted = evolve(monday, start=14, end=20)
    assert (shifted.start, shifted.end, shifted.text, shifted.value) == (
        14,
        20,
        "Monday",
        "2020-03-02",
    )
    assert (monday.start, monday.end) == (4, 10)
    assert shifted == dataclasses.replace(monday, start=14, end=20)
    with pytest.raises(dataclasses.FrozenInstanceError):
        shifted.start = 0  # type: ignore[misc]


def test_evolve_refuses_a_field_the_value_has_not() -> None:
    monday = TimeMention(start=4, end=10, text="Monday", type="DATE", value="2020-03-02")
    with pytest.raises(TypeError, match="colour"):
        evolve(monday, colour="red")
