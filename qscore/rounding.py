"""Half-up rounding (四舍五入) that agrees with decimal arithmetic done by hand.

Scores are computed in binary floating point, where 2.675 is stored as
2.67499999999999982236431605997495353221893310546875 and would round down.
Before rounding we snap the scaled value to 1e-6 of a quantum, which removes
representation noise (at most ~1e-12 here) while leaving any value that
really differs from a half untouched, as long as inputs carry no more than
six decimal places, which holds for counts, rates and points in a measure. The
guarantee holds while |value| x 10^decimals <= 1e8 (scores up to 10,000 at 4 decimals).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt

_SNAP = 6


def round_half_up(values: npt.ArrayLike, decimals: int) -> npt.NDArray[np.float64]:
    """Round half away from zero at `decimals` places, elementwise; NaN stays NaN."""
    x = np.asarray(values, dtype=np.float64)
    scale = 10.0**decimals
    scaled = np.round(x * scale, _SNAP)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    # Dividing an exact integer by a power of ten gives the double nearest the decimal,
    # the same double Python's float("2.68") gives, so equal scores compare equal.
    out: npt.NDArray[np.float64] = rounded / scale
    return out + 0.0  # turns -0.0 into 0.0


def round_scalar(value: float, decimals: int) -> float:
    return float(round_half_up(np.array([value]), decimals)[0])


def decimal_half_up(value: Decimal | str | int, decimals: int) -> Decimal:
    """Reference implementation with Decimal, used by tests and for text."""
    q = Decimal(1).scaleb(-decimals)
    return Decimal(value).quantize(q, rounding=ROUND_HALF_UP)


def _format_unique(x: npt.NDArray[np.float64], fmt: str) -> npt.NDArray[np.object_]:
    # Scores take few distinct values: format each once and spread them (much faster than
    # formatting every element when a table has hundreds of thousands of rows).
    if x.size == 0:
        return np.empty(0, dtype=object)
    uniq, inverse = np.unique(x, return_inverse=True)
    return np.array([fmt.format(v) for v in uniq.tolist()], dtype=object)[inverse.reshape(x.shape)]


def format_points(values: npt.ArrayLike, decimals: int) -> npt.NDArray[np.object_]:
    """Fixed-decimals text for published tables: 92.6 -> '92.60'."""
    return _format_unique(np.asarray(values, dtype=np.float64), f"{{:.{decimals}f}}")


def format_points_text(values: npt.ArrayLike, decimals: int) -> list[str]:
    """format_points as a list of str for documents, a missing value (NaN) as ''."""
    x = np.asarray(values, dtype=np.float64)
    out = format_points(x, decimals)
    out[np.isnan(x)] = ""
    return [str(v) for v in out.tolist()]


def _plain(v: float) -> str:
    if v != v:
        return "nan"
    text = f"{round(v, 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_plain(values: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Shortest text for numbers inside sentences: 1.50 -> '1.5', 12.0 -> '12'."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return np.empty(0, dtype=object)
    uniq, inverse = np.unique(x, return_inverse=True)
    return np.array([_plain(v) for v in uniq.tolist()], dtype=object)[inverse.reshape(x.shape)]
