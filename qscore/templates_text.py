"""Vectorised filling of reason templates such as 「支委会应开{required}次，实开{actual}次」.

Templates come from rubrics, so they are never passed to str.format (which can reach
attributes); a template is split into literal text and placeholder names once, and
each placeholder is replaced by a column of text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

_TOKEN = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(template: str, values: Mapping[str, object], n: int) -> np.ndarray:
    """Fill `template` for n rows; each value is a str (same for all) or an array of n texts."""
    out = np.full(n, "", dtype=object)
    pos = 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            out = out + template[pos:m.start()]
        value = values[m.group(1)]
        out = out + (value if isinstance(value, str) else np.asarray(value, dtype=object).astype(str).astype(object))
        pos = m.end()
    if pos < len(template):
        out = out + template[pos:]
    return out
