import pytest

from qscore.errors import RubricError

from helpers import one, points_of, reasons_of

RULE = "{type: bands, field: v, bands: [{at_least: 4, points: 5}, {at_least: 2, points: 2}, {at_least: 1, points: 1}]}"


def test_first_band_reached_gives_its_points():
    a = one(RULE, 5, "count", [4, 5, 3, 2, 1, 0])
    assert points_of(a) == [5.0, 5.0, 2.0, 2.0, 1.0, 0.0]
    assert reasons_of(a)[2] == "数值：3（达到2档），得2分，扣3分"


def test_bands_must_descend():
    with pytest.raises(RubricError, match="highest `at_least` down"):
        one("{type: bands, field: v, bands: [{at_least: 1, points: 1}, {at_least: 4, points: 5}]}", 5, "count", [1])


def test_top_band_must_equal_the_points():
    with pytest.raises(RubricError, match="top band gives 4, but the indicator is worth 5"):
        one("{type: bands, field: v, bands: [{at_least: 4, points: 4}]}", 5, "count", [1])
