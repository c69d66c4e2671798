"""How a column and a table are declared: :class:`Field`, :class:`Resource`, and their value checks.

A :class:`Field` gives a column's dtype, unit, provenance, descriptions and headers in Japanese and
English, its display format, whether it may be empty, and the checks its values must pass. A
:class:`Resource` is one processed table: its columns in order (each a Field), primary key, sources,
the stage of the data flow that writes it, and checks over whole rows. The declarations themselves are
in :mod:`fields_data`, :mod:`fields_analysis` and :mod:`resources`; :mod:`schema` turns them into
pandera schemas (the only module that imports pandera), headers and the codebook.

Provenance of a column: ``published`` (公表値: a figure the ministry published), ``derived``
(導出値: computed here from published or real figures by a stated rule), ``real`` (実データ:
official per-municipality statistics), ``simulated`` (シミュレーション), ``scenario`` (試算),
``survey`` (the per-municipality survey: simulated unless a real file was configured; each row says
which), ``key`` (an identifier or a setting that labels a row: a class, a reading, a date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

UNITS = {  # unit code -> (Japanese, English) as shown after a header
    "": ("", ""), "yen": ("円", "yen"), "oku_yen": ("億円", "100M yen"), "pct": ("%", "%"),
    "pct_points": ("ポイント", "points"), "persons": ("人", "persons"), "municipalities": ("団体", "municipalities"),
    "groups": ("グループ", "groups"), "ratio": ("比", "ratio"), "log_odds": ("対数オッズ", "log odds"),
    "probability": ("確率", "probability"), "persons_per_km2": ("人/km²", "persons/km²"), "ha": ("ha", "ha"),
    "years": ("年", "years"), "index": ("指数", "index"), "thousand_yen": ("千円", "thousand yen"),
    "thousand_persons": ("千人", "thousands"), "geometries": ("件", "geometries"), "rows": ("行", "rows"),
}

# The stages of the data flow, in order: the catalogue lists tables stage by stage (see :mod:`catalog`).
# clean: the published figures and real data, cleaned; evidence: what they imply (no survey); survey: the
# per-municipality survey; models: the regressions on it; reconciliation: every stated total against its
# recomputation; simulation: written by `jichitai-cloud simulate`, never by the build; codebook: this registry.
STAGES = ("clean", "evidence", "survey", "models", "reconciliation", "simulation", "codebook")


# --- the municipality code -----------------------------------------------------------------------------

def check_digit(code5: str) -> int:
    """The check digit of a 5-digit 地方公共団体コード (総務省 rule: weights 6..2, mod 11)."""
    if not re.fullmatch(r"[0-9]{5}", code5):
        raise ValueError(f"expected 5 ASCII digits, got {code5!r}")
    r = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2))) % 11
    return (11 - r) % 10


def valid_code(code: object) -> bool:
    """A 6-digit 全国地方公共団体コード (a string of ASCII digits) whose last digit is its check digit."""
    return isinstance(code, str) and re.fullmatch(r"[0-9]{6}", code) is not None \
        and check_digit(code[:5]) == int(code[5])


# --- value checks ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ValueCheck:
    """A check on a column's values (empty values are not checked: see ``Field.nullable``).

    ``kind``: isin, between (both ends included), gt, ge, regex (the whole value matches), unique, or
    satisfies (``args[0]`` maps the column, a Series, to a Series of booleans). ``expected`` says what
    a value must be, for the message that refuses one.
    """

    kind: str
    args: tuple = ()
    expected: str = ""


def isin(values) -> ValueCheck:
    values = tuple(values)
    return ValueCheck("isin", (values,), "one of " + ", ".join(map(str, values)))


def between(low, high) -> ValueCheck:
    return ValueCheck("between", (low, high), f"between {low} and {high}")


def gt(value) -> ValueCheck:
    return ValueCheck("gt", (value,), f"greater than {value}")


def ge(value) -> ValueCheck:
    return ValueCheck("ge", (value,), f"at least {value}")


def regex(pattern: str) -> ValueCheck:
    return ValueCheck("regex", (pattern,), f"matching {pattern}")


def satisfies(test: Callable, expected: str) -> ValueCheck:
    """A check by a function of the whole column (a Series) returning one boolean per value."""
    return ValueCheck("satisfies", (test,), expected)


UNIQUE = ValueCheck("unique", (), "unique")
VALID_CODE = satisfies(lambda s: s.map(valid_code), "valid 6-digit code with check digit")


@dataclass(frozen=True)
class TableCheck:
    """A check over a table's rows: ``test`` maps the frame to a boolean (or one boolean per row)."""

    test: Callable
    expected: str


def unique_together(*columns: str) -> TableCheck:
    """No two rows share these columns' values (besides the primary key, which is unique by declaration)."""
    return TableCheck(lambda d: ~d.duplicated(list(columns), keep=False), f"unique ({', '.join(columns)})")


def increasing(column: str) -> TableCheck:
    """The rows are in increasing order of ``column``."""
    return TableCheck(lambda d: d[column].is_monotonic_increasing, f"rows in increasing {column}")


# --- declarations --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One column: pandas dtype, unit code (see UNITS), provenance (see the module), descriptions, headers
    (without unit or provenance: those are added where shown), display format (see :mod:`formats`),
    whether it may be empty, and the checks its values must pass."""

    dtype: str
    unit: str
    provenance: str
    en: str
    ja: str
    header_en: str
    header_ja: str
    fmt: object = "{}"
    nullable: bool = False
    checks: tuple = ()


@dataclass(frozen=True)
class Resource:
    """One processed table: its columns in order (name -> Field), primary key, sources (files or tables),
    the stage of the data flow that writes it (see STAGES), and checks over its rows."""

    name: str
    en: str
    ja: str
    columns: dict
    key: tuple
    sources: tuple = ()
    stage: str = ""
    checks: tuple = ()
    _fields: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fields", tuple(self.columns))
        missing = set(self.key) - set(self.columns)
        if missing:
            raise ValueError(f"{self.name}: key columns {sorted(missing)} are not among its columns")
        if self.stage and self.stage not in STAGES:
            raise ValueError(f"{self.name}: stage {self.stage!r} is not one of {', '.join(STAGES)}")

    @property
    def fields(self) -> tuple:
        """The column names, in order."""
        return self._fields

    def field(self, column: str) -> Field:
        return self.columns[column]
