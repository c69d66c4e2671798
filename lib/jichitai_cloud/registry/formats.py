"""How a column's numbers read in tables and logs: the display formats fields declare (``Field.fmt``).

A format is a ``str.format`` pattern or a function of the value. Missing values read '—'.
"""

from __future__ import annotations

import math

PCT1 = "{:.1f}"  # a percentage to one decimal
INT = "{:,}"  # an integer with thousands separators
INT0 = "{:,.0f}"  # a number rounded to a whole, with thousands separators


def dash(v) -> str:
    """'—' for a missing value, else the value (for nullable integers shown as text)."""
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "nan") else f"{v}"


def number(v) -> str:
    """A figure for logs and tables: integers with separators, others to four decimals, '—' if missing."""
    if dash(v) == "—":
        return "—"
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def probability(v) -> str:
    """A probability to two decimals, '<0.01' for a positive one that would print as 0.00, '—' if missing."""
    if dash(v) == "—":
        return "—"
    return "<0.01" if 0 < v < 0.005 else f"{v:.2f}"


def int_or_dash(v) -> str:
    """'—' for a missing value, else the integer with thousands separators."""
    return dash(v) if dash(v) == "—" else f"{int(v):,}"


def p_value(v) -> str:
    """A p-value to three decimals, '<0.001' below that, '—' if missing."""
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else ("<0.001" if v < 0.001 else f"{v:.3f}")


def all_or_int(v) -> str:
    """A population at which an effect is evaluated: 'すべて / all' when missing (the same for all)."""
    return "すべて / all" if dash(v) == "—" else f"{int(v):,}"


def whole_or_one_decimal(v) -> str:
    """A count that may be an expectation: a whole number as such, else to one decimal."""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def years(v) -> str:
    """A number of years as a whole number, '—' if missing."""
    return dash(None if v != v else int(v))
