from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from qscore.rounding import decimal_half_up, format_plain, format_points, round_half_up


def test_half_up_where_binary_floats_round_down():
    assert round_half_up([2.675, 80.005, 1.005, 0.125, 2.5], 2).tolist() == [2.68, 80.01, 1.01, 0.13, 2.5]
    assert round_half_up([0.1 + 0.2], 2).tolist() == [0.3]
    assert round_half_up([2.5, 3.5, 0.5], 0).tolist() == [3.0, 4.0, 1.0]  # not banker's rounding


def test_negative_and_nan():
    out = round_half_up([-2.675, -0.004, float("nan")], 2)
    assert out[0] == -2.68 and out[1] == 0.0 and str(out[1]) == "0.0" and np.isnan(out[2])


def test_rounded_values_are_the_doubles_of_their_decimal_text():
    # equal published scores must compare equal, whatever arithmetic produced them
    assert round_half_up([88 * 100 / 95], 2)[0] == float("92.63")
    assert round_half_up([0.1 * 3], 2)[0] == round_half_up([0.3], 2)[0]


@given(st.integers(-10**7, 10**7), st.integers(1, 400), st.integers(0, 4))
def test_agrees_with_exact_decimal_arithmetic(numerator, denominator, decimals):
    assume(abs(numerator / denominator) * 10**decimals <= 1e8)  # the documented range
    exact = Fraction(numerator, denominator)
    expected = decimal_half_up(Decimal(exact.numerator) / Decimal(exact.denominator), decimals)
    got = round_half_up([numerator / denominator], decimals)[0]
    assert Decimal(repr(float(got))).quantize(expected) == expected


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=50), st.integers(0, 3))
def test_sums_of_rounded_parts_stay_exact(cents, decimals):
    values = [c / 10**decimals for c in cents]
    assert round_half_up([sum(values)], decimals)[0] == float(Decimal(sum(cents)).scaleb(-decimals))


def test_text_forms():
    assert format_points([92.6, 3], 2).tolist() == ["92.60", "3.00"]
    assert format_plain([1.5, 12.0, 0.25, 0.1 + 0.2, -0.0]).tolist() == ["1.5", "12", "0.25", "0.3", "0"]
