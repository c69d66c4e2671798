"""Stage 3, survey: a real survey file's rows, read within bounds.

Reads the non-empty rows of a CSV / TSV (UTF-8, UTF-8 with BOM, CP932) or XLSX file (the sheet
:func:`choose_sheet` picks) and finds the header row among the first rows. Only a regular file with a
survey file's suffix is read, within MAX_FILE_BYTES (and MAX_XLSX_UNCOMPRESSED_BYTES unpacked), MAX_ROWS
non-empty rows and MAX_COLUMNS cells a row: the real file has 1,741 rows, well under 1 MB. Anything
else, a damaged workbook included, is one line naming the file (SurveyFileError). What the cells mean
is :mod:`.reader`'s business.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from jichitai_cloud.errors import SurveyFileError, UserPathError

# A header names a field of the contract in Japanese or English (other columns are ignored).
HEADERS = {
    "code": ("団体コード", "地方公共団体コード", "全国地方公共団体コード", "市区町村コード", "code"),
    "population": ("人口", "住民基本台帳人口", "総人口", "population"),
    "cost": ("情報システム経費", "経費", "it_cost", "cost"),
    "status": ("クラウド導入状況", "導入状況", "クラウド", "状況", "cloud_status", "status"),
}
UNITS = {"千円": 1000, "thousand_yen": 1000, "thousandyen": 1000, "円": 1, "yen": 1}  # 円 per unit of the cost
_BRACKETED = re.compile(r"^(.*?)\s*[(\[【［〔]\s*(?:単位\s*[:：]\s*)?(.+?)\s*[)\]】］〕]$")
HEADER_SEARCH_ROWS = 10
SHEET_ENV = "JICHITAI_CLOUD_SURVEY_SHEET"
# Reading is bounded: the real file has 1,741 rows (well under 1 MB); anything far larger is not it.
MAX_FILE_BYTES = 20 * 1024 * 1024  # refused before parsing
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # the workbook's XML, unpacked (a zip bomb stops here)
MAX_ROWS = 10_000  # non-empty rows
MAX_COLUMNS = 200  # cells read per row
MAX_RECORD_LINES = 10  # a CSV record (a quoted cell) spanning more lines has lost a closing quote
_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")


def norm_header(text: object) -> tuple[str, str | None]:
    """A header's field name and unit text: '情報システム経費（単位：千円）' -> ('情報システム経費', '千円').

    Units are read only from the cost column (see load_real); other columns' bracketed
    notes ('人口（人）', '団体コード（6桁）') are simply dropped.
    """
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    m = _BRACKETED.match(s)
    unit = None
    if m:
        s, unit = m.group(1), m.group(2)
    s = re.sub(r"\s+", "", s).lower()
    if unit is None:
        for u in sorted(UNITS, key=len, reverse=True):
            if s.endswith("_" + u) and s[: -len(u) - 1]:
                s, unit = s[: -len(u) - 1], u
                break
    return s, (unit.replace(" ", "_").lower() if unit else None)


def field_of(name: str) -> str | None:
    for field_name, aliases in HEADERS.items():
        if name in {unicodedata.normalize("NFKC", a).lower() for a in aliases}:
            return field_name
    return None


@dataclass
class Sheet:
    """What was read from a survey file: its non-empty rows (number in the file, cells) and where from."""

    rows: list[tuple[int, list[object]]]
    where: str = ""  # for an XLSX file: which sheet was read, among which
    sheet: str = ""  # for an XLSX file: the name of the sheet read
    formulas: dict = field(default_factory=dict)  # (row, column index) -> a formula without a saved value



def _read_input(path: Path, shown: str) -> bytes:
    """The file's bytes: a regular file with a survey file's suffix, within MAX_FILE_BYTES (its stated size
    checked before reading, the bytes read counted while reading). One line for anything else."""
    from jichitai_cloud.io.userfiles import check_regular, read_regular

    folder_hint = "; give the survey file itself (.csv, .tsv, .txt or .xlsx)"
    too_large = (f"over {MAX_FILE_BYTES // 2 ** 20} MB; survey files over {MAX_FILE_BYTES // 2 ** 20} MB are refused "
                 f"(the survey has one row per municipality, 1,741 rows, well under 1 MB)")
    try:
        size = check_regular(path, "the survey file", folder_hint).st_size
        if path.suffix.lower() not in _SUFFIXES:
            hint = " (save it as .xlsx from Excel)" if path.suffix.lower() == ".xls" else ""
            raise SurveyFileError(f"{shown}: expected a .csv, .tsv, .txt or .xlsx file{hint}")
        if size > MAX_FILE_BYTES:
            raise SurveyFileError(f"{shown}: {size / 2 ** 20:,.1f} MB; survey files over {MAX_FILE_BYTES // 2 ** 20} "
                                  f"MB are refused unread (the survey has one row per municipality, 1,741 rows, well "
                                  f"under 1 MB)")
        return read_regular(path, MAX_FILE_BYTES, "the survey file", folder_hint, too_large)
    except UserPathError as exc:
        raise SurveyFileError(str(exc)) from None


def _too_many_rows(path: str) -> SurveyFileError:
    return SurveyFileError(f"{path}: more than {MAX_ROWS:,} non-empty rows; the survey has one row per municipality "
                           f"(1,741): is this the right file?")


def _is_text(head: bytes) -> bool:
    """Whether the first bytes of a file read as UTF-8 or CP932 text (a cut character at the end allowed)."""
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp932"):
        try:
            head[:-4].decode(encoding) if len(head) == 4096 else head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def has_header(cells) -> bool:
    return {"code", "cost"} <= {field_of(norm_header(c)[0]) for c in cells}


def _looks_like_survey(ws) -> bool:
    """Whether a sheet has a header row naming a code and a cost column among its first non-empty rows."""
    seen = 0
    for r in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        if any(str(c).strip() for c in r if c is not None):
            if has_header(r):
                return True
            seen += 1
            if seen >= HEADER_SEARCH_ROWS:
                return False
    return False


def choose_sheet(path: str, wb, wanted: str | None) -> tuple[str, str]:
    """The sheet to read and how it was chosen (see README: which sheet of an XLSX file is read).

    ``wanted`` (--sheet or $JICHITAI_CLOUD_SURVEY_SHEET) chooses any sheet, hidden or not. Otherwise a
    hidden sheet is never read, and among the visible sheets the one whose first rows name a code and
    a cost column is: none or several such sheets are refused (the choice would be a guess)."""
    names = list(wb.sheetnames)
    state = {ws.title: ws.sheet_state for ws in wb.worksheets}
    listed = ", ".join(repr(n) + ("" if state.get(n) == "visible" else f" ({state.get(n, 'chart')})") for n in names)
    if wanted is not None:
        if wanted not in names:
            raise SurveyFileError(f"{path}: no sheet {wanted!r}; the sheets are {listed}")
        if wanted not in state:
            raise SurveyFileError(f"{path}: sheet {wanted!r} is a chart, not a worksheet; the sheets are {listed}")
        return wanted, f"sheet {wanted!r} (chosen with --sheet)"
    visible = [n for n in names if state.get(n) == "visible"]
    hidden = [n for n in names if n in state and state[n] != "visible"]
    skipped = f"; hidden sheets are not read: {', '.join(map(repr, hidden))}" if hidden else ""
    if len(visible) == 1 and len(names) == 1:
        return visible[0], f"sheet {visible[0]!r}"
    candidates = [n for n in visible if _looks_like_survey(wb[n])]
    if len(candidates) == 1:
        others = len(names) - 1
        return candidates[0], (f"sheet {candidates[0]!r}, the only visible sheet with a header row naming a code and "
                               f"a cost column ({others} other sheet{'s' if others > 1 else ''}{skipped})")
    choose = "; choose one with --sheet NAME (or $" + SHEET_ENV + ")"
    if not candidates:
        if not visible:
            raise SurveyFileError(f"{path}: every sheet is hidden ({listed}); a hidden sheet is read only when "
                                  f"chosen{choose}")
        raise SurveyFileError(
            f"{path}: no visible sheet has a header row naming a code column ({', '.join(HEADERS['code'])}) and a "
            f"cost column ({', '.join(HEADERS['cost'])}) within its first {HEADER_SEARCH_ROWS} non-empty rows; the "
            f"sheets are {listed}{choose}")
    raise SurveyFileError(f"{path}: {len(candidates)} visible sheets have a survey header row "
                          f"({', '.join(map(repr, candidates))}): which one is the survey is ambiguous{choose}")


def _sheet_rows(path: str, values, formulas) -> tuple[list, dict]:
    """The non-empty rows of a sheet (values as Excel last saved them), and the cells holding a formula
    whose value was never saved (a file written by a program, not saved by Excel): they read as empty."""
    rows, missing = [], {}
    for i, (r, cells) in enumerate(zip(values, formulas), start=1):
        blank = {j: c.value for j, c in enumerate(cells)
                 if getattr(c, "data_type", None) == "f" and (j >= len(r) or r[j] is None)}
        if blank or any(str(c).strip() for c in r if c is not None):
            rows.append((i, list(r)))
            missing.update({(i, j): str(v) for j, v in blank.items()})
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(path)
    return rows, missing


def _read_xlsx(path: str, data: bytes, wanted: str | None = None) -> Sheet:
    """The chosen sheet of an XLSX workbook (see :func:`choose_sheet`), from its bytes. A damaged workbook
    (not a zip, a broken zip member, XML cut short) is one line."""
    import io
    import zipfile

    if not data.startswith(b"PK\x03\x04"):
        looks = " (it looks like text: a CSV file named .xlsx? rename it to .csv)" if _is_text(data[:4096]) else ""
        raise SurveyFileError(f"{path}: not an XLSX workbook{looks}")
    damaged = "; open it in Excel and save it again as .xlsx"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
        if unpacked > MAX_XLSX_UNCOMPRESSED_BYTES:
            raise SurveyFileError(f"{path}: the workbook unpacks to {unpacked / 2 ** 20:,.0f} MB; workbooks over "
                                  f"{MAX_XLSX_UNCOMPRESSED_BYTES // 2 ** 20} MB unpacked are refused unread")
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        wf = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except SurveyFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to parse an untrusted workbook is the file's
        raise SurveyFileError(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: "
                              f"{str(exc).splitlines()[0] if str(exc) else ''}){damaged}") from None
    name = "?"
    try:
        name, where = choose_sheet(path, wb, wanted)
        rows, formulas = _sheet_rows(path, wb[name].iter_rows(max_col=MAX_COLUMNS, values_only=True),
                                     wf[name].iter_rows(max_col=MAX_COLUMNS))
    except SurveyFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip (XML cut short, a bad member)
        raise SurveyFileError(f"{path}: sheet {name!r} cannot be read ({type(exc).__name__}: "
                              f"{str(exc).splitlines()[0] if str(exc) else ''}){damaged}") from None
    finally:
        wb.close()
        wf.close()
    return Sheet(rows, where, name, formulas)


def _read_text(path: str, data: bytes) -> Sheet:
    import csv
    import io

    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SurveyFileError(f"{path}: not UTF-8 or CP932 text")
    del data
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last_line = text.count("\n") + (not text.endswith("\n"))
    rows = []
    record = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise SurveyFileError(f"{path}: row {record + 1} (line {start}): a quoted cell runs on for more than "
                                      f"{csv.field_size_limit():,} characters; a closing quote (\") is missing") from None
            raise SurveyFileError(f"{path}: row {record + 1} (line {start}): {exc}") from None
        record += 1
        span = reader.line_num - start + 1
        if span > MAX_RECORD_LINES:
            to = "the end of the file" if reader.line_num >= last_line else f"line {reader.line_num}"
            raise SurveyFileError(f"{path}: row {record} (line {start}): a quoted cell runs over {span:,} lines to "
                                  f"{to}; a closing quote (\") is missing")
        if any(c.strip() for c in cells):
            rows.append((record, cells[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(path)
    return Sheet(rows)


def read_rows(path: Path, shown: str, sheet: str | None = None) -> tuple[Sheet, bytes]:
    """The non-empty rows (row number in the file, cells) of a CSV / TSV (UTF-8, UTF-8 BOM, CP932) or
    XLSX file (the sheet :func:`choose_sheet` picks), read within the bounds above, and the file's bytes
    (those parsed: the build records their sha256)."""
    data = _read_input(path, shown)
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    if sheet is not None and not xlsx:
        raise SurveyFileError(f"{shown}: --sheet {sheet!r} (or ${SHEET_ENV}) is for an XLSX workbook; this is a text "
                              f"file")
    table = _read_xlsx(shown, data, sheet) if xlsx else _read_text(shown, data)
    if not table.rows:
        raise SurveyFileError(f"{shown}: the file is empty" + (f" ({table.where})" if table.where else ""))
    return table, data


def find_header(path: str, sheet: Sheet) -> int:
    """Index (in ``sheet.rows``) of the header row: the first of the first rows naming a code and a cost column."""
    for k, (_, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if has_header(cells):
            return k
    where = f" of {sheet.where}" if sheet.where else ""
    raise SurveyFileError(
        f"{path}: no header row naming a code column ({', '.join(HEADERS['code'])}) and a cost column "
        f"({', '.join(HEADERS['cost'])}) within the first {HEADER_SEARCH_ROWS} non-empty rows{where}")

