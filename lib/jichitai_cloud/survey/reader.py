"""Stage 3, survey: a real per-municipality survey file, validated against the contract.

A researcher who holds the per-municipality file of 「市区町村における情報システム経費の調査結果」
(FY2017 当初予算) drops it in; :func:`load_real` reads it (the one validation for check-survey and build
alike). Accepted: CSV or TSV (UTF-8, UTF-8 with BOM, CP932) or XLSX (see :mod:`.sheets`), the header row
among the first rows (a title above it is fine); Japanese or English headers (団体コード / code, 人口 /
population, 情報システム経費 / cost, クラウド導入状況 / status; other columns are ignored); the cost unit
(千円 or 円) in the cost header (（千円）, 【千円】, （単位：千円）, cost_yen) or given; full-width digits,
thousands separators, ▲ for minus, and －, ―, …, * for a missing cost.

Three passes, each listing every problem it finds, one line each naming the file (and sheet), row,
column, the value as written and what was expected (the first MAX_PROBLEMS, then how many more):
the header pass (which column is which; the cost unit), the row pass (each row's code, cost,
population and status; its cost per resident against the published bounds) and the file pass
(municipalities missing; what only the whole file shows: a wrong unit or population basis). A file
with any problem is refused whole (SurveyFileError): nothing is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from jichitai_cloud.clean import municipalities
from jichitai_cloud.errors import SurveyFileError
from jichitai_cloud.io import escape, sources
from jichitai_cloud.registry import vocab
from jichitai_cloud.survey import sheets
from jichitai_cloud.survey.contract import validate

_PLACEHOLDERS = {"", "－", "―", "…", "*", "＊", "-", "‐", "—", "ー", "...", "x", "ｘ", "X"}
_STATUS_EXPECTED = (", ".join(vocab.STATUS_SPELLINGS[c][0] for c in vocab.STATUSES[:-1])
                    + f" or {vocab.STATUS_SPELLINGS[vocab.STATUSES[-1]][0]}; "
                    + ", ".join(vocab.STATUSES[:-1]) + f" or {vocab.STATUSES[-1]}")
# Plausibility bounds for a real file (a unit or basis error, not a real difference, lies outside them).
MAX_MISSING_COST_SHARE = 0.5
PER_RESIDENT_RATIO = (0.2, 5.0)  # file's national cost per resident / the published 3,742円
POPULATION_TOLERANCE = 0.05  # a row's population within ±5% of the 住民基本台帳 of 2017-01-01
MAX_POPULATION_OFF_SHARE = 0.10  # ... for at least 90% of the rows
MAX_COST_YEN = 10 ** 13  # 10兆円: more than any municipality's whole budget
# Per row: cost per resident within [a tenth of the lowest published class mean (3,096円, 10～20万人),
# the largest published figure (583,313円, the least populous municipality)]. A unit slip of 1,000×
# in one row lands far outside; a real value outside needs --accept-outlier CODE.
FLOOR_SHARE_OF_LOWEST_CLASS_MEAN = 0.1
MAX_PROBLEMS = 50  # problems listed at once; the rest are counted in one line


def per_resident_bounds(pub: dict) -> tuple[float, float]:
    """(floor, ceiling) of a plausible cost per resident (円), from the published figures (see above)."""
    outliers = pub["published_survey_outliers"]
    ceiling = float(outliers.loc[outliers["item"].str.startswith("least_populous"), "value_yen"].max())
    floor = float(pub["published_cost_by_class"]["it_cost_per_resident_mean_yen"].min()) * FLOOR_SHARE_OF_LOWEST_CLASS_MEAN
    return floor, ceiling


def _as_written(cell: object) -> str:
    """A cell's value as the file shows it (no reformatting: ▲1,234,567 stays ▲1,234,567)."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip() if cell is not None else ""



def _capped(problems: list[str]) -> str:
    """The problems, one per line, the first MAX_PROBLEMS of them and one line saying how many more."""
    more = len(problems) - MAX_PROBLEMS
    shown = problems[:MAX_PROBLEMS] + ([f"… and {more:,} more problem{'s' if more > 1 else ''} (fix these and run "
                                        f"again)"] if more > 0 else [])
    return "\n".join(shown)


def _number(cell: object) -> float | None:
    """A cell as a number: full-width digits, separators, ▲/△ for minus, placeholders (None).

    Raises ValueError for anything else."""
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return None if pd.isna(cell) else float(cell)
    s = unicodedata.normalize("NFKC", str(cell)).strip()
    if s in {unicodedata.normalize("NFKC", p) for p in _PLACEHOLDERS}:
        return None
    s = re.sub(r"^[▲△]\s*", "-", s)
    s = re.sub(r"(?<=[0-9])[,、](?=[0-9]{3}(?![0-9]))", "", s).replace(" ", "")
    if not re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", s):
        raise ValueError(s)
    return float(s)


def _code_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    s = unicodedata.normalize("NFKC", str(cell if cell is not None else "")).strip()
    s = re.sub(r"[-\s]", "", s)  # '01-100-2', '011 002'
    return re.sub(r"\.0+$", "", s)  # '11002.0' from a float export


def code_convention(cells: list[object], known: set[str]) -> str:
    """How a file writes its codes, decided for the whole column (a cell alone can be ambiguous:
    '12203' is 012203 without its leading zero, or 12203 without its check digit):
    'six' (6 digits, leading zeros possibly lost) or 'five' (5 digits, no check digit)."""
    texts = [_code_text(c) for c in cells]
    six = sum(t.isdigit() and len(t) <= 6 and t.zfill(6) in known for t in texts)
    five = sum(t.isdigit() and len(t) <= 5 and (t.zfill(5) + str(municipalities.check_digit(t.zfill(5)))) in known
               for t in texts)
    return "six" if six >= five else "five"


def _code(cell: object, known: set[str], convention: str = "six") -> str | None:
    """A municipality code under the file's convention; None when it names no known municipality."""
    s = _code_text(cell)
    if not re.fullmatch(r"[0-9]{4,6}", s):
        return None
    if convention == "six":
        code = s.zfill(6)
    elif len(s) <= 5:
        code = s.zfill(5) + str(municipalities.check_digit(s.zfill(5)))
    else:
        code = s
    return code if code in known and municipalities.valid_code(code) else None



def _accepted_codes(codes, known: set[str]) -> set[str]:
    """--accept-outlier codes as 6-digit codes (5 digits without the check digit are completed)."""
    out = set()
    for raw in codes or ():
        code = normal_code(raw)
        if code not in known:
            raise SurveyFileError(f"--accept-outlier {raw}: not the code of one of the {len(known):,} municipalities "
                                  f"(6 digits with check digit, or 5 without)")
        out.add(code)
    return out


def normal_code(raw: object) -> str:
    """A code as given by a person: 6 digits as they are, 5 digits completed with the check digit."""
    text = _code_text(raw)
    return text + str(municipalities.check_digit(text)) if re.fullmatch(r"[0-9]{5}", text) else text


# --- load_real: the header pass, the row pass, the file pass -------------------------------------------

def load_real(path: Path | str, frame: pd.DataFrame, cost_unit: str | None, pub: dict,
              accept_outliers: tuple[str, ...] | list[str] = (), sheet: str | None = None) -> pd.DataFrame:
    """A real per-municipality survey file, validated against the contract (see the module docstring).

    ``frame``: the municipality frame (code, prefecture, name, population_2017_01_01_persons,
    joint_cloud_start_fy). ``cost_unit``: 千円 or 円 where the cost header does not say (None: it must).
    ``pub``: the published tables (``published.tables()``), which bound a plausible cost per resident
    (:func:`per_resident_bounds`) and the file's national figure. ``accept_outliers``: codes whose cost per
    resident outside the bounds a researcher verified. ``sheet``: the XLSX sheet to read. Without a
    population column the 住民基本台帳 population of 2017-01-01 is used; without a status column the status
    is derived from the group list: joint for the members of groups started before FY2017, ``not_joint``
    for the others (single or none, which is not known). Only a regular file is read; files over
    MAX_FILE_BYTES are refused unread. The result's ``attrs``: ``sha256`` of the bytes parsed, ``sheet``
    read (XLSX) and how it was chosen (``sheet_note``), ``accepted_outliers``.
    """
    path = Path(path)
    shown = escape.terminal(path)  # the file's name in messages: no control character acts on the terminal
    accepted = _accepted_codes(accept_outliers, set(frame["code"]))
    table, data = sheets.read_rows(path, shown, sheet)
    sha256 = sources.sha256_bytes(data)
    del data
    in_file = f"{shown} (sheet {table.sheet!r})" if table.sheet else shown  # where a row is
    header, rows = _header_pass(in_file, shown, table, cost_unit)
    found = _RowPass.of(in_file, header, rows, table.formulas, frame, pub, accepted)
    for rownum, cells in rows:
        found.read(rownum, cells)
    df = _file_pass(shown, found, pub)
    out = validate(_contract_table(df, frame, "status" in header.columns), frame)
    out.attrs["accepted_outliers"] = sorted(found.outliers_kept)
    out.attrs["sha256"], out.attrs["sheet"], out.attrs["sheet_note"] = sha256, table.sheet, table.where
    return out


@dataclass(frozen=True)
class _Header:
    """What the header pass found: the header's row number in the file, its cells, which column holds
    each field of the contract, and the cost unit (円 per unit, and as stated)."""

    row: int
    cells: list
    columns: dict
    factor: int
    unit: str


def _header_pass(in_file: str, shown: str, table: sheets.Sheet, cost_unit: str | None) -> tuple[_Header, list]:
    """The header row (the first of the first rows naming a code and a cost column), its columns and the
    cost unit (stated in the cost header, or ``cost_unit``; given both, they must agree). Returns it and the
    rows below it; every problem of the header in one SurveyFileError."""
    h = sheets.find_header(shown, table)
    header_row, header = table.rows[h]
    columns: dict[str, int] = {}
    problems = []
    stated = None
    for j, cell in enumerate(header):
        name, unit = sheets.norm_header(cell)
        field_name = sheets.field_of(name)
        if field_name is None:
            continue  # 都道府県名, 団体名, 備考 … are not part of the contract
        if field_name in columns:
            problems.append(f"{in_file}: row {header_row}: two columns for {field_name} "
                            f"({header[columns[field_name]]!r} and {cell!r})")
        columns[field_name] = j
        if field_name == "cost":
            stated = unit
    where = f"{in_file}: row {header_row}"
    factor = _cost_factor(where, f"{where}, column {header[columns['cost']]!r}", stated, cost_unit, problems)
    if problems:
        raise SurveyFileError(_capped(problems))
    return _Header(header_row, header, columns, factor, stated or cost_unit), table.rows[h + 1:]


def _cost_factor(where: str, where_column: str, stated: str | None, given: str | None,
                 problems: list[str]) -> int | None:
    """円 per unit of the cost column: the unit the header states, or the one given (--cost-unit); a problem
    (appended) when either is unknown, they disagree, or neither says."""
    factor = None
    if stated is not None:
        if stated not in sheets.UNITS:
            problems.append(f"{where_column}: unknown unit {stated!r} (expected 千円 or 円)")
        else:
            factor = sheets.UNITS[stated]
    if given is not None:
        key = unicodedata.normalize("NFKC", given).strip().lower().replace(" ", "_")
        if key not in sheets.UNITS:
            problems.append(f"cost unit {given!r}: expected 千円 or 円")
        elif factor is not None and factor != sheets.UNITS[key]:
            problems.append(f"{where}: the cost header states {stated} but the flag says {given}")
        else:
            factor = sheets.UNITS[key]
    if factor is None and not problems:
        problems.append(f"{where_column}: the cost unit is not stated; write it in the header (情報システム経費（千円）) "
                        f"or pass --cost-unit 千円|円")
    return factor


@dataclass
class _RowPass:
    """The row pass: each row's code, cost (円), population (persons) and status, and what it found."""

    in_file: str
    header: _Header
    formulas: dict  # (row, column index) -> a formula without a saved value
    known: set
    convention: str  # how the file writes its codes (see code_convention)
    juki_pop: dict  # code -> population on 2017-01-01 (住民基本台帳)
    names: dict  # code -> prefecture and name
    bounds: tuple  # (floor, ceiling) of a plausible cost per resident (円)
    accepted: set
    problems: list = field(default_factory=list)
    out_of_bounds: list = field(default_factory=list)  # reported after the file pass, which explains a column
    outliers_kept: list = field(default_factory=list)
    seen: dict = field(default_factory=dict)  # code -> its row number
    records: list = field(default_factory=list)

    @classmethod
    def of(cls, in_file: str, header: _Header, rows: list, formulas: dict, frame: pd.DataFrame, pub: dict,
           accepted: set) -> _RowPass:
        """The pass over ``rows`` (not yet read), the code convention decided for the whole column first."""
        known = set(frame["code"])
        j = header.columns["code"]
        convention = code_convention([cells[j] if j < len(cells) else None for _, cells in rows], known)
        return cls(in_file, header, formulas, known, convention,
                   dict(zip(frame["code"], frame["population_2017_01_01_persons"])),
                   dict(zip(frame["code"], frame["prefecture"] + frame["name"])), per_resident_bounds(pub), accepted)

    def read(self, rownum: int, cells: list) -> None:
        """One row: its record, or its problems (one line each)."""
        if self._formula(rownum, "code"):
            return
        code = _code(self._cell(cells, "code"), self.known, self.convention)
        if code is None:
            expected = "6 digits with check digit" if self.convention == "six" else "5 digits without check digit"
            self.problems.append(f"{self._where(rownum, 'code')}: {_as_written(self._cell(cells, 'code'))!r} is not "
                                 f"the code of one of the {len(self.known):,} municipalities (this file writes codes "
                                 f"as {expected})")
            return
        if code in self.seen:
            self.problems.append(f"{self._where(rownum, 'code')}: duplicate code {code} (first on row {self.seen[code]})")
            return
        self.seen[code] = rownum
        cost = self._cost(rownum, cells, code)
        rec = {"code": code, "row": rownum,
               "it_cost_yen": None if cost is None else int(round(cost * self.header.factor)),
               "population": self._population(rownum, cells, code)}
        if cost is not None and rec["population"]:
            self._check_bounds(rownum, cells, code, cost, rec["population"])
        if "status" in self.header.columns:
            rec["cloud_status"] = None if self._formula(rownum, "status") else self._status(rownum, cells)
        self.records.append(rec)

    def _cell(self, cells: list, field_name: str) -> object:
        k = self.header.columns.get(field_name)
        return cells[k] if k is not None and k < len(cells) else None

    def _where(self, rownum: int, field_name: str) -> str:
        return f"{self.in_file}: row {rownum}, column {self.header.cells[self.header.columns[field_name]]!r}"

    def _formula(self, rownum: int, field_name: str) -> bool:
        """Whether the cell holds a formula whose value was never saved (it reads as empty): a problem."""
        k = self.header.columns.get(field_name)
        text = self.formulas.get((rownum, k)) if k is not None else None
        if text is not None:
            self.problems.append(f"{self._where(rownum, field_name)}: formula without a saved value; open and save in "
                                 f"Excel ({text!r})")
        return text is not None

    def _cost(self, rownum: int, cells: list, code: str) -> float | None:
        """The cost in the file's unit: a positive number within MAX_COST_YEN, or None (missing or a problem)."""
        where, written = self._where(rownum, "cost"), _as_written(self._cell(cells, "cost"))
        try:
            cost = None if self._formula(rownum, "cost") else _number(self._cell(cells, "cost"))
        except ValueError:
            self.problems.append(f"{where}: {written!r} is not a number")
            return None
        if cost is not None and cost < 0:
            self.problems.append(f"{where}: negative cost {written!r}")
            return None
        if cost is not None and cost == 0:
            self.problems.append(f"{where}: cost {written!r} for {code} {self.names[code]}: zero is not a plausible "
                                 f"IT cost; write － (or leave the cell empty) for a missing cost")
            return None
        if cost is not None and cost * self.header.factor > MAX_COST_YEN:
            self.problems.append(f"{where}: {written!r} is not a plausible cost (over 10兆円 read as "
                                 f"{self.header.unit}); is the unit right?")
            return None
        return cost

    def _population(self, rownum: int, cells: list, code: str) -> int | None:
        """The row's population (persons): the file's, or the 住民基本台帳's of 2017-01-01 without a column."""
        if "population" not in self.header.columns:
            return int(self.juki_pop[code])
        if self._formula(rownum, "population"):
            return None
        where, written = self._where(rownum, "population"), _as_written(self._cell(cells, "population"))
        try:
            p = _number(self._cell(cells, "population"))
        except ValueError:
            self.problems.append(f"{where}: {written!r} is not a number")
            return None
        if p is None:
            self.problems.append(f"{where}: missing population")
        elif p <= 0 or not float(p).is_integer() or p > 10 ** 8:
            self.problems.append(f"{where}: population must be a positive whole number, got {written!r}")
            p = None
        return int(p) if p else None

    def _check_bounds(self, rownum: int, cells: list, code: str, cost: float, population: int) -> None:
        """The cost per resident the written value allows (it is rounded to its unit) against the bounds."""
        factor, (floor, ceiling) = self.header.factor, self.bounds
        low, high = (cost - 0.5) * factor / population, (cost + 0.5) * factor / population
        per = cost * factor / population
        side = ("above the largest published figure" if low > ceiling + 0.5 else
                "below a tenth of the lowest published class mean" if high < floor else "")
        if side and code in self.accepted:
            self.outliers_kept.append(code)
        elif side:
            bound = f"{ceiling:,.0f}円" if low > ceiling + 0.5 else f"{floor:,.1f}円"
            self.out_of_bounds.append(
                f"{self._where(rownum, 'cost')}: {_as_written(self._cell(cells, 'cost'))!r} ({self.header.unit}) for "
                f"{code} {self.names[code]} is {per:,.1f}円 per resident (population {population:,}), {side} "
                f"({bound}); is the unit right? If the value is verified, pass --accept-outlier {code}")

    def _status(self, rownum: int, cells: list) -> str | None:
        """The row's cloud status code (vocab.STATUS_SPELLINGS: as the file may write it), or None (a problem)."""
        value = self._cell(cells, "status")
        raw = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
        status = _status_code(raw)
        if status is None:
            what = "missing status" if raw == "" else f"unknown status {_as_written(value)!r}"
            self.problems.append(f"{self._where(rownum, 'status')}: {what} (expected {_STATUS_EXPECTED})")
        return status


def _status_code(raw: str) -> str | None:
    """The status code a cell names (NFKC-normalised text): as written, else lower-cased, one of the spellings
    vocab.STATUS_SPELLINGS lists or the code itself; None for anything else."""
    for text in (raw, raw.lower()):
        for code in vocab.STATUSES:
            if text == code or text in vocab.STATUS_SPELLINGS[code]:
                return code
    return None


def _file_pass(shown: str, found: _RowPass, pub: dict) -> pd.DataFrame:
    """What the rows say together: municipalities missing, --accept-outlier codes with nothing to accept, a
    wrong unit or population basis (:func:`_implausible`). Refuses the file with the row pass's problems and
    these (rows out of bounds last: a wrong unit explains a whole column at once); else its rows in code order."""
    problems, out_of_bounds = list(found.problems), list(found.out_of_bounds)
    missing = sorted(found.known - set(found.seen))
    if missing:
        problems.append(f"{shown}: {vocab.count(len(missing), 'municipality')} missing, e.g. "
                        + ", ".join(f"{c} {found.names[c]}" for c in missing[:5]))
    floor, ceiling = found.bounds
    for code in sorted(set(found.accepted) - set(found.outliers_kept)):
        if code in found.seen:
            out_of_bounds.append(f"--accept-outlier {code} ({found.names[code]}, row {found.seen[code]}): its cost per "
                                 f"resident is within the bounds ({floor:,.1f}円 to {ceiling:,.0f}円) or missing; "
                                 f"nothing to accept")
    if problems:
        raise SurveyFileError(_capped(problems))
    df = pd.DataFrame(found.records).set_index("code").loc[sorted(found.seen)].reset_index()
    header = found.header
    problems = _implausible(found.in_file, df, found.juki_pop, header.cells[header.columns["cost"]], header.factor, pub)
    if problems:
        raise SurveyFileError(_capped(problems))
    if out_of_bounds:
        raise SurveyFileError(_capped(out_of_bounds))
    return df


def _contract_table(df: pd.DataFrame, frame: pd.DataFrame, with_status: bool) -> pd.DataFrame:
    """The file's rows in the contract's columns: costs and statuses reported; without a status column joint or
    not from the group list (derived), never an invented single/none split."""
    if with_status:
        status, status_prov = df["cloud_status"].to_numpy(), np.full(len(df), "reported")
    else:
        ordered = frame.set_index("code").loc[df["code"]].reset_index()
        joint = municipalities.joint_cloud_as_of(ordered, vocab.STATUS_DATE).to_numpy()
        status, status_prov = np.where(joint, "joint", vocab.NOT_JOINT_CODE), np.full(len(df), "derived")
    return pd.DataFrame({
        "code": df["code"].astype(str),
        "population_2017_01_01_persons": df["population"].astype("int64"),
        "it_cost_yen": pd.array(df["it_cost_yen"], dtype="Int64"),
        "cloud_status": np.asarray(status, dtype=str),
        "it_cost_provenance": "reported",
        "cloud_status_provenance": np.asarray(status_prov, dtype=str),
    })


def _implausible(path: Path, df: pd.DataFrame, juki_pop: dict, cost_header: object, factor: int,
                 pub: dict) -> list[str]:
    """File-level checks that catch a wrong unit or basis (each row alone may look fine)."""
    problems = []
    costs = df["it_cost_yen"].astype("float")
    missing = float(costs.isna().mean())
    if missing > MAX_MISSING_COST_SHARE:
        problems.append(f"{path}: {costs.isna().sum()} of {len(df)} costs are missing; an XLSX saved without "
                        f"computed formula values reads as empty (open it in Excel and save it again)")
        return problems
    reporting = costs.notna()
    per_resident = costs[reporting].sum() / df.loc[reporting, "population"].sum()
    stated = float(pub["published_survey_totals"].set_index("item").loc["it_cost_per_resident", "value"])
    low, high = PER_RESIDENT_RATIO
    if not low <= per_resident / stated <= high:
        unit = "千円" if factor == 1000 else "円"
        problems.append(f"{path}: column {cost_header!r}: the file's costs give {per_resident:,.0f}円 per resident "
                        f"nationally, {per_resident / stated:,.3g} times the published {stated:,.0f}円; is the "
                        f"unit really {unit}?")
    ratio = df["population"] / df["code"].map(juki_pop)
    off = (ratio - 1).abs() > POPULATION_TOLERANCE
    if off.mean() > MAX_POPULATION_OFF_SHARE:
        example = df[off].iloc[0]
        problems.append(f"{path}: {int(off.sum())} of {len(df)} populations differ from the 住民基本台帳 of "
                        f"2017-01-01 by more than {POPULATION_TOLERANCE:.0%} (e.g. row {example['row']}: "
                        f"{example['population']:,} against {juki_pop[example['code']]:,}); the survey's basis is "
                        f"that date, in persons")
    return problems
