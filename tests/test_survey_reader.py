"""The real-file reader (survey.reader, survey.sheets) and the choice of input (survey.inputs), on a small
inline municipality frame: no data/raw copies, no build (``make check``).

The frame has 60 municipalities of four prefectures with valid codes; the survey written into files is
made here too (costs per resident between about 3,700円 and 20,000円, as the published classes have them).
Messages name the file, row, column and value exactly as the reader states them for the real frame.
"""

import hashlib
import unicodedata

import numpy as np
import openpyxl
import pandas as pd
import pytest

from jichitai_cloud.clean import municipalities, published
from jichitai_cloud.errors import SurveyFileError
from jichitai_cloud.registry import vocab
from jichitai_cloud.survey import inputs, reader, sheets, summaries
from jichitai_cloud.survey.labels import survey_caption, survey_label

COST = "情報システム経費（千円）"
PREFS = (("01", "北海道"), ("13", "東京都"), ("20", "長野県"), ("47", "沖縄県"))


@pytest.fixture(scope="module")
def mini_frame():
    """60 municipalities, 15 per prefecture, in code order: populations from about 1,000 to 1.4 million,
    a third of them in a joint-cloud group (some started before FY2017, some after)."""
    rows = []
    for p, (pref_code, pref) in enumerate(PREFS):
        for k in range(15):
            five = f"{pref_code}{201 + 7 * k:03d}"
            i = 15 * p + k
            start = (2012, 2016, 2017, 2018)[i % 4] if i % 3 == 0 else np.nan
            rows.append({"code": five + str(municipalities.check_digit(five)), "prefecture": pref,
                         "name": f"第{i + 1}町", "population_2017_01_01_persons": int(1000 * 1.12 ** ((7 * i) % 60)),
                         "joint_cloud_group_id": (i % 5) + 1 if start == start else np.nan,
                         "joint_cloud_start_fy": start})
    frame = pd.DataFrame(rows)
    frame["joint_cloud_start_fy"] = frame["joint_cloud_start_fy"].astype("Int64")
    frame["joint_cloud_group_id"] = frame["joint_cloud_group_id"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def mini_survey(mini_frame):
    """A survey of the mini frame in the contract's columns (status cycling through the three)."""
    pop = mini_frame["population_2017_01_01_persons"]
    per_resident = 20_000 * (pop / 1000) ** -0.25
    return pd.DataFrame({
        "code": mini_frame["code"], "population_2017_01_01_persons": pop.astype("int64"),
        "it_cost_yen": pd.array(np.rint(per_resident * pop).astype("int64"), dtype="Int64"),
        "cloud_status": [vocab.STATUSES[i % 3] for i in range(len(mini_frame))],
        "it_cost_provenance": "simulated", "cloud_status_provenance": "simulated"})


@pytest.fixture(scope="module")
def pub_tables():
    """The published tables (from the committed transcriptions)."""
    return published.tables()


def _in_file_shape(survey, frame):
    """A real file's shape: Japanese headers, 千円 with three decimals (exact 円), statuses as files write them."""
    df = survey.merge(frame[["code", "prefecture", "name"]], on="code")
    return pd.DataFrame({
        "団体コード": df["code"], "都道府県名": df["prefecture"], "団体名": df["name"],
        "人口": df["population_2017_01_01_persons"].map("{:,}".format),
        COST: (df["it_cost_yen"].astype(float) / 1000).map("{:,.3f}".format),
        "クラウド導入状況": df["cloud_status"].map({s: vocab.STATUS_SPELLINGS[s][0] for s in vocab.STATUSES}),
    })


def _write(tmp_path, df, name="bad.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def _load(path, frame, pub, cost_unit=None, **kw):
    return reader.load_real(path, frame, cost_unit, pub, **kw)


# --- formats a researcher hands in ----------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_loader_reads_csv_in_each_encoding(tmp_path, mini_survey, mini_frame, pub_tables, encoding):
    path = tmp_path / f"survey_{encoding}.csv"
    _in_file_shape(mini_survey, mini_frame).to_csv(path, index=False, encoding=encoding)
    got = _load(path, mini_frame, pub_tables)
    assert got["it_cost_yen"].equals(mini_survey["it_cost_yen"])
    assert set(got["it_cost_provenance"]) == {"reported"} and set(got["cloud_status_provenance"]) == {"reported"}
    assert got["cloud_status"].tolist() == mini_survey["cloud_status"].tolist()
    assert got.attrs["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_loader_reads_xlsx_with_english_headers_yen_and_numeric_cells(tmp_path, mini_survey, mini_frame, pub_tables):
    path = tmp_path / "survey.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "population", "cost_yen", "status"])
    for r in mini_survey.itertuples():
        # numeric codes lose their leading zero in spreadsheets: 011002 -> 11002
        ws.append([int(r.code), int(r.population_2017_01_01_persons), int(r.it_cost_yen), r.cloud_status])
    wb.save(path)
    got = _load(path, mini_frame, pub_tables)
    assert got["code"].tolist() == mini_survey["code"].tolist()
    assert got["it_cost_yen"].equals(mini_survey["it_cost_yen"])


def test_loader_reads_full_width_digits_placeholders_and_a_unit_flag(tmp_path, mini_survey, mini_frame, pub_tables):
    df = _in_file_shape(mini_survey, mini_frame).drop(columns=["クラウド導入状況"])
    df = df.rename(columns={COST: "情報システム経費"})
    df["人口"] = df["人口"].map(lambda s: unicodedata.normalize("NFKC", s).translate(
        str.maketrans("0123456789,", "０１２３４５６７８９、")))
    df.loc[[0, 1, 2, 3], "情報システム経費"] = ["－", "―", "…", "*"]
    path = tmp_path / "survey.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    with pytest.raises(SurveyFileError, match="the cost unit is not stated"):
        _load(path, mini_frame, pub_tables)
    got = _load(path, mini_frame, pub_tables, cost_unit="千円")
    assert got["it_cost_yen"].isna().sum() == 4
    assert got["population_2017_01_01_persons"].equals(mini_survey["population_2017_01_01_persons"])
    # no status column: joint or not from the group list, never an invented single/none split
    assert set(got["cloud_status"]) == {"joint", vocab.NOT_JOINT_CODE}
    assert set(got["cloud_status_provenance"]) == {"derived"}
    started = mini_frame.set_index("code")["joint_cloud_start_fy"].reindex(got["code"])
    assert (got["cloud_status"] == "joint").tolist() == (started < 2017).fillna(False).tolist()
    assert (got["cloud_status"] == "joint").sum() == 10  # i ≡ 0 mod 3 and start 2012 or 2016: 20 × 2/4


@pytest.mark.parametrize("rename", [
    {"人口": "人口（人）"}, {"団体コード": "団体コード（6桁）"},
    {COST: "情報システム経費（単位：千円）"}, {COST: "情報システム経費【千円】"},
])
def test_bracketed_notes_in_headers_are_accepted(tmp_path, mini_survey, mini_frame, pub_tables, rename):
    df = _in_file_shape(mini_survey, mini_frame).rename(columns=rename)
    df["備考（参考）"] = ""
    got = _load(_write(tmp_path, df), mini_frame, pub_tables)
    assert got["it_cost_yen"].equals(mini_survey["it_cost_yen"])


def test_tab_separated_text_and_other_spellings(tmp_path, mini_survey, mini_frame, pub_tables):
    df = _in_file_shape(mini_survey, mini_frame)
    df["団体コード"] = df["団体コード"].map(lambda c: f"{c[:2]}-{c[2:5]}-{c[5]}")
    df["クラウド導入状況"] = df["クラウド導入状況"].replace({"単独クラウド": "単独クラウド導入団体", "未導入": "クラウド未導入団体"})
    path = tmp_path / "survey.txt"
    df.to_csv(path, index=False, sep="\t", encoding="cp932")
    got = _load(path, mini_frame, pub_tables)
    assert got["cloud_status"].tolist() == mini_survey["cloud_status"].tolist()
    assert reader._code_text("11002.0") == "11002"


def test_a_multi_line_header_cell_is_still_read(tmp_path, mini_survey, mini_frame, pub_tables):
    df = _in_file_shape(mini_survey, mini_frame).rename(columns={"団体名": "団体名\n（参考）"})
    got = _load(_write(tmp_path, df), mini_frame, pub_tables)
    assert got["it_cost_yen"].equals(mini_survey["it_cost_yen"])


@pytest.mark.parametrize("header, name, unit", [("情報システム経費（千円）", "情報システム経費", "千円"),
                                                ("情報システム経費（単位：円）", "情報システム経費", "円"),
                                                ("情報システム経費【千円】", "情報システム経費", "千円"),
                                                ("cost (yen)", "cost", "yen"), ("cost_thousand_yen", "cost", "thousand_yen"),
                                                ("人口（人）", "人口", "人"), ("団体コード", "団体コード", None)])
def test_header_units(header, name, unit):
    assert sheets.norm_header(header) == (name, unit)


def test_codes_with_and_without_check_digit():
    known = {"011002", "012203", "122033", "131016"}
    assert reader._code("011002", known) == "011002"
    assert reader._code(11002, known) == "011002"        # a spreadsheet dropped the leading zero
    assert reader._code("０１１００２", known) == "011002"  # full-width
    assert reader._code("011003", known) is None
    assert reader._code("01100", known, "five") == "011002"  # 5 digits, no check digit
    # '12203' alone is ambiguous; the column decides.
    assert reader.code_convention(["011002", "12203", "131016"], known) == "six"
    assert reader.code_convention(["01100", "12203", "13101"], known) == "five"
    assert reader._code("12203", known, "six") == "012203"
    assert reader._code("12203", known, "five") == "122033"
    assert reader.normal_code("01100") == "011002" and reader.normal_code("011002") == "011002"


def test_every_spelling_of_a_status_a_file_may_use():
    """The source's labels, their long forms, the short 未導入 and the codes (any case); nothing else."""
    spelled = {"自治体クラウド": "joint", "自治体クラウド導入団体": "joint", "JOINT": "joint", "単独クラウド": "single",
               "単独クラウド導入団体": "single", "Single": "single", "未導入": "none", "クラウド未導入": "none",
               "クラウド未導入団体": "none", "未導入団体": "none", "none": "none"}
    assert {raw: reader._status_code(raw) for raw in spelled} == spelled
    assert {raw for raw in ("検討中", "", "not_joint", "自治体") if reader._status_code(raw)} == set()
    assert set(spelled.values()) == set(vocab.STATUSES)


# --- bad rows: one line each, naming the file, row and column ----------------------------------------------

@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.__setitem__("団体コード", d["団体コード"].where(d.index != 5, "999999")),
     r"row 7, column '団体コード': '999999' is not the code of one of the 60 municipalities \(this file writes "
     r"codes as 6 digits with check digit\)"),
    (lambda d: d.__setitem__("団体コード", d["団体コード"].where(d.index != 5, d.loc[4, "団体コード"])),
     r"row 7, column '団体コード': duplicate code .* \(first on row 6\)"),
    (lambda d: d.__setitem__("人口", d["人口"].where(d.index != 9, "0")),
     r"row 11, column '人口': population must be a positive whole number, got '0'"),
    (lambda d: d.__setitem__(COST, d[COST].where(d.index != 2, "-12.5")),
     r"row 4, column '情報システム経費（千円）': negative cost '-12.5'"),
    (lambda d: d.__setitem__(COST, d[COST].where(d.index != 3, "12,3a4")),
     r"row 5, column '情報システム経費（千円）': '12,3a4' is not a number"),
    (lambda d: d.__setitem__("クラウド導入状況", d["クラウド導入状況"].where(d.index != 0, "検討中")),
     r"row 2, column 'クラウド導入状況': unknown status '検討中' \(expected 自治体クラウド, 単独クラウド or 未導入; "
     r"joint, single or none\)"),
])
def test_loader_rejects_each_bad_case_naming_file_row_and_column(tmp_path, mini_survey, mini_frame, pub_tables,
                                                                 mutate, message):
    df = _in_file_shape(mini_survey, mini_frame)
    mutate(df)
    path = _write(tmp_path, df)
    with pytest.raises(SurveyFileError, match=message) as err:
        _load(path, mini_frame, pub_tables)
    assert str(err.value).splitlines()[0].startswith(f"{path}: row ")  # the row first (then what follows from it)


def test_loader_rejects_missing_municipalities(tmp_path, mini_survey, mini_frame, pub_tables):
    path = _write(tmp_path, _in_file_shape(mini_survey, mini_frame).iloc[:-3])
    last = mini_frame.iloc[-3]
    with pytest.raises(SurveyFileError, match=rf"3 municipalities missing, e.g. {last['code']} 沖縄県{last['name']}, "):
        _load(path, mini_frame, pub_tables)


def test_a_title_row_above_the_header_is_skipped_and_rows_are_numbered_as_in_the_file(tmp_path, mini_survey,
                                                                                         mini_frame, pub_tables):
    path = tmp_path / "titled.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["平成29年度 情報システム経費調査"])
    ws.append([])
    df = _in_file_shape(mini_survey, mini_frame)
    df.loc[0, "クラウド導入状況"] = "検討中"
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append(list(row))
    wb.save(path)
    with pytest.raises(SurveyFileError, match=r"row 4, column 'クラウド導入状況': unknown status '検討中'"):
        _load(path, mini_frame, pub_tables)


@pytest.mark.parametrize("mutate, message", [
    # 円 values under a 千円 header: 1,000 times too much
    (lambda d: d.__setitem__(COST, d[COST].map(lambda v: f"{float(v.replace(',', '')) * 1000:,.0f}")),
     r"(times the published 3,742円; is the unit really 千円|not a plausible cost .*; is the unit right)"),
    # population in 千人
    (lambda d: d.__setitem__("人口", d["人口"].map(lambda v: f"{max(1, round(int(v.replace(',', '')) / 1000))}")),
     r"populations differ from the 住民基本台帳 of 2017-01-01"),
    # an XLSX saved without computed formula values: every cost empty
    (lambda d: d.__setitem__(COST, ""), r"60 of 60 costs are missing"),
    (lambda d: d.__setitem__(COST, d[COST].where(d.index != 7, "1" * 20)),
     r"row 9, column '情報システム経費（千円）': .* is not a plausible cost \(over 10兆円 read as 千円\)"),
    (lambda d: d.__setitem__(COST, d[COST].where(d.index != 7, "▲12")),
     r"row 9, column '情報システム経費（千円）': negative cost '▲12'"),
    (lambda d: d.__setitem__("クラウド導入状況", d["クラウド導入状況"].where(d.index != 7, "")),
     r"row 9, column 'クラウド導入状況': missing status"),
])
def test_nonsense_is_rejected_not_passed_as_valid(tmp_path, mini_survey, mini_frame, pub_tables, mutate, message):
    df = _in_file_shape(mini_survey, mini_frame)
    mutate(df)
    with pytest.raises(SurveyFileError, match=message):
        _load(_write(tmp_path, df), mini_frame, pub_tables)


def test_missing_costs_leave_the_per_resident_figure_over_reporters(tmp_path, mini_survey, mini_frame, pub_tables):
    df = _in_file_shape(mini_survey, mini_frame)
    biggest = df["人口"].str.replace(",", "").astype(int).nlargest(10).index
    df.loc[biggest, COST] = "－"
    got = _load(_write(tmp_path, df), mini_frame, pub_tables)
    rec = {c.check_id: c for c in summaries.reconcile(got, pub_tables, "reported", mini_frame)}
    reporting = got["it_cost_yen"].notna()
    expected = got.loc[reporting, "it_cost_yen"].sum() / got.loc[reporting, "population_2017_01_01_persons"].sum()
    assert rec["survey.national_per_resident"].computed == pytest.approx(expected)
    assert rec["survey.population_vs_juki"].computed == 0


def test_labels_say_when_a_real_files_status_comes_from_the_group_list():
    info = pd.DataFrame([{"input": "reported", "file": "f.csv", "sha256": "0" * 64, "configured_by": "--survey",
                          "status_source": "group list (derived): joint or not"}])
    assert "joint cloud with all others" in survey_label(info, "en")
    assert "グループ一覧から導出" in survey_label(info, "ja", short=True)
    assert "グループ一覧から導出" in survey_caption(info, "ja")


# --- implausible rows and verified extremes ------------------------------------------------------------------

def test_one_row_1000_times_too_small_is_refused(tmp_path, mini_survey, mini_frame, pub_tables):
    df = _in_file_shape(mini_survey, mini_frame)
    df.loc[10, COST] = f"{float(df.loc[10, COST].replace(',', '')) / 1000:.6f}"
    code, name = df.loc[10, "団体コード"], df.loc[10, "団体名"]
    with pytest.raises(SurveyFileError, match=rf"row 12, column '情報システム経費（千円）': '[\d.]+' \(千円\) for "
                                              rf"{code} [^ ]*{name} is [\d.]+円 per resident .*below a tenth of "
                                              rf"the lowest published class mean \(309\.6円\)"):
        _load(_write(tmp_path, df), mini_frame, pub_tables)


def test_a_verified_extreme_is_kept_and_a_flag_with_nothing_to_accept_is_refused(tmp_path, mini_survey, mini_frame,
                                                                                 pub_tables):
    df = _in_file_shape(mini_survey, mini_frame)
    cost = float(df.loc[10, COST].replace(",", ""))
    df.loc[10, COST] = f"{cost * 1000:,.3f}"
    code, other = df.loc[10, "団体コード"], df.loc[11, "団体コード"]
    path = _write(tmp_path, df)
    with pytest.raises(SurveyFileError, match=rf"above the largest published figure \(583,313円\); is the unit "
                                              rf"right\? If the value is verified, pass --accept-outlier {code}$"):
        _load(path, mini_frame, pub_tables)
    got = _load(path, mini_frame, pub_tables, accept_outliers=(code[:5],))  # 5 digits: the check digit is added
    assert got.attrs["accepted_outliers"] == [code]
    assert got.set_index("code").loc[code, "it_cost_yen"] == round(cost * 1000 * 1000)
    with pytest.raises(SurveyFileError, match=rf"^--accept-outlier {other} \(.*, row 13\): its cost per resident is "
                                              rf"within the bounds \(309\.6円 to 583,313円\) or missing; nothing to "
                                              rf"accept$"):
        _load(path, mini_frame, pub_tables, accept_outliers=(code, other))
    with pytest.raises(SurveyFileError, match=r"--accept-outlier 99999: not the code of one of the 60 municipalities"):
        _load(path, mini_frame, pub_tables, accept_outliers=("99999",))


def test_per_resident_bounds_come_from_the_published_figures(pub_tables):
    floor, ceiling = reader.per_resident_bounds(pub_tables)
    outliers = pub_tables["published_survey_outliers"].set_index("item")["value_yen"]
    assert ceiling == outliers["least_populous_per_resident_1"] == 583313
    assert floor == pytest.approx(3096 / 10)  # a tenth of the lowest class mean (10～20万人)


@pytest.mark.parametrize("cell, shown", [("▲1,234,567", "'▲1,234,567'"), ("△１２３", "'△１２３'"), ("-1.5e3", None)])
def test_values_are_shown_as_written(tmp_path, mini_survey, mini_frame, pub_tables, cell, shown):
    """Finding 9: a value in a message is the file's text, not a reformatted number (▲1234567 is not -1.23457e+06)."""
    df = _in_file_shape(mini_survey, mini_frame)
    df.loc[3, COST] = cell
    with pytest.raises(SurveyFileError) as err:
        _load(_write(tmp_path, df), mini_frame, pub_tables)
    text = str(err.value)
    assert "row 5, column '情報システム経費（千円）'" in text and "e+0" not in text
    assert (shown or repr(cell)) in text


def test_the_cost_unit_of_the_header_and_the_flag_must_agree(tmp_path, mini_survey, mini_frame, pub_tables):
    path = _write(tmp_path, _in_file_shape(mini_survey, mini_frame))
    with pytest.raises(SurveyFileError, match=r"^.*bad\.csv: row 1: the cost header states 千円 but the flag says 円$"):
        _load(path, mini_frame, pub_tables, cost_unit="円")
    with pytest.raises(SurveyFileError, match=r"^cost unit 'ドル': expected 千円 or 円$"):
        _load(path, mini_frame, pub_tables, cost_unit="ドル")
    assert _load(path, mini_frame, pub_tables, cost_unit="千円")["it_cost_yen"].equals(mini_survey["it_cost_yen"])


def test_an_unterminated_quote_names_its_row(tmp_path, mini_survey, mini_frame, pub_tables):
    """Finding 9: not '57 municipalities missing' but the row where the quote opens."""
    path = tmp_path / "quote.csv"
    df = _in_file_shape(mini_survey, mini_frame)
    df["人口"] = df["人口"].str.replace(",", "")
    df[COST] = df[COST].str.replace(",", "")
    df.to_csv(path, index=False, encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert '"' not in "".join(lines)
    lines[3] = lines[3].replace(",", ',"', 1)  # row 4: a cell opens a quote that never closes
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SurveyFileError, match=r"row 4 \(line 4\): a quoted cell runs .*a closing quote \(\"\) "
                                              r"is missing") as err:
        _load(path, mini_frame, pub_tables)
    assert "municipalities missing" not in str(err.value)


# --- XLSX: which sheet, formulas, damage ---------------------------------------------------------------------

def _workbook(path, sheets_):
    """An XLSX file with the given sheets: (title, rows, state) each."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets_:
        ws = wb.create_sheet(title)
        ws.sheet_state = state
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def _survey_rows(survey, frame, scale=1.0):
    df = _in_file_shape(survey, frame)
    df[COST] = (survey["it_cost_yen"].astype(float) / 1000 * scale).map("{:.3f}".format).to_numpy()
    return [list(df.columns)] + [list(r) for r in df.itertuples(index=False)]


def test_an_xlsx_with_a_cover_sheet_is_read_from_its_survey_sheet_and_says_which(tmp_path, mini_survey, mini_frame,
                                                                                  pub_tables):
    """Issue 18: the one visible sheet with a survey header is read (a cover sheet beside it is no ambiguity)."""
    path = _workbook(tmp_path / "two_sheets.xlsx", [("表紙", [["平成29年度 情報システム経費調査"]], "visible"),
                                                    ("データ", _survey_rows(mini_survey, mini_frame), "visible")])
    got = _load(path, mini_frame, pub_tables)
    assert got.attrs["sheet"] == "データ" and got["it_cost_yen"].equals(mini_survey["it_cost_yen"])
    assert got.attrs["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert got.attrs["sheet_note"].startswith("sheet 'データ', the only visible sheet with a header row")


def test_a_hidden_draft_sheet_is_never_read_unless_chosen(tmp_path, mini_survey, mini_frame, pub_tables):
    """Issue 18, case 5: the hidden first sheet (a draft, other costs) was read, and nothing said which."""
    path = _workbook(tmp_path / "draft.xlsx", [("下書き", _survey_rows(mini_survey, mini_frame, 0.9), "hidden"),
                                               ("調査", _survey_rows(mini_survey, mini_frame), "visible")])
    got = _load(path, mini_frame, pub_tables)
    assert got.attrs["sheet"] == "調査" and got["it_cost_yen"].equals(mini_survey["it_cost_yen"])
    chosen = _load(path, mini_frame, pub_tables, sheet="下書き")  # named: read, hidden or not
    ratio = chosen["it_cost_yen"].astype(float) / mini_survey["it_cost_yen"].astype(float)
    assert chosen.attrs["sheet"] == "下書き" and ratio.between(0.899, 0.901).all()
    hidden_only = _workbook(tmp_path / "hidden_only.xlsx", [("下書き", _survey_rows(mini_survey, mini_frame), "hidden"),
                                                            ("メモ", [["note"]], "visible")])
    with pytest.raises(SurveyFileError, match=r"no visible sheet has a header row .*'下書き' \(hidden\), "
                                              r"'メモ'; choose one with --sheet NAME"):
        _load(hidden_only, mini_frame, pub_tables)


def test_two_visible_survey_sheets_are_ambiguous_until_one_is_chosen(tmp_path, mini_survey, mini_frame, pub_tables):
    path = _workbook(tmp_path / "both.xlsx", [("2017", _survey_rows(mini_survey, mini_frame), "visible"),
                                              ("2016", _survey_rows(mini_survey, mini_frame, 1.1), "visible")])
    with pytest.raises(SurveyFileError, match=r"both\.xlsx: 2 visible sheets have a survey header row "
                                              r"\('2017', '2016'\): which one is the survey is ambiguous; "
                                              r"choose one with --sheet NAME") as err:
        _load(path, mini_frame, pub_tables)
    assert len(str(err.value).splitlines()) == 1
    assert _load(path, mini_frame, pub_tables, sheet="2017").attrs["sheet"] == "2017"
    with pytest.raises(SurveyFileError, match=r"no sheet '2015'; the sheets are '2017', '2016'"):
        _load(path, mini_frame, pub_tables, sheet="2015")
    csv = _write(tmp_path, _in_file_shape(mini_survey, mini_frame), "survey.csv")
    with pytest.raises(SurveyFileError, match=r"--sheet '2017' \(or \$JICHITAI_CLOUD_SURVEY_SHEET\) is for an "
                                              r"XLSX workbook; this is a text file"):
        _load(csv, mini_frame, pub_tables, sheet="2017")


def test_formulas_without_saved_values_are_named_cell_by_cell(tmp_path, mini_survey, mini_frame, pub_tables):
    """Issue 18, case 5: a workbook written by a program (formulas, no cached values) read as '100 costs missing'."""
    rows = _survey_rows(mini_survey, mini_frame)
    for k in range(1, 4):
        rows[k][4] = f"=B{k + 1}*1"  # the cost column (E): formulas, never computed
    path = _workbook(tmp_path / "formulas.xlsx", [("調査", rows, "visible")])
    with pytest.raises(SurveyFileError) as err:
        _load(path, mini_frame, pub_tables)
    lines = str(err.value).splitlines()
    assert lines == [f"{path} (sheet '調査'): row {k + 1}, column '情報システム経費（千円）': formula without a saved value; "
                     f"open and save in Excel ('=B{k + 1}*1')" for k in range(1, 4)]


def _damaged(tmp_path, good, member_change, name):
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, member_change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return path


def test_a_damaged_workbook_is_one_line(tmp_path, mini_survey, mini_frame, pub_tables):
    """Issue 18, case 5: XML cut short inside a valid zip was a ParseError traceback; a broken member too."""
    good = _workbook(tmp_path / "good.xlsx", [("調査", _survey_rows(mini_survey, mini_frame), "visible")])
    cut = _damaged(tmp_path, good, lambda d: d[: len(d) // 2], "cut.xlsx")
    garbage = _damaged(tmp_path, good, lambda d: b"\x00\xff not xml at all", "garbage.xlsx")
    data = bytearray(good.read_bytes())
    start = data.index(b"xl/worksheets/sheet1.xml") + 40  # inside the sheet's compressed bytes: a CRC error
    data[start:start + 64] = bytes(64)
    crc = tmp_path / "crc.xlsx"
    crc.write_bytes(bytes(data))
    for path in (cut, garbage, crc, tmp_path / "half.xlsx"):
        if path.name == "half.xlsx":
            path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        with pytest.raises(SurveyFileError, match=r"(not a readable XLSX workbook|sheet '調査' cannot be read) "
                                                  r"\(.*\); open it in Excel and save it again as \.xlsx$") as e:
            _load(path, mini_frame, pub_tables)
        assert str(e.value).startswith(str(path)) and len(str(e.value).splitlines()) == 1


@pytest.mark.parametrize("name, content, message", [
    ("survey.xlsx", "団体コード,情報システム経費（千円）\n011002,1\n",
     r"not an XLSX workbook \(it looks like text: a CSV file named \.xlsx\? rename it to \.csv\)"),
    ("survey.xlsx", b"PK\x03\x04 truncated zip", r"not a readable XLSX workbook \(BadZipFile"),
    ("survey.xls", "x", r"expected a \.csv, \.tsv, \.txt or \.xlsx file \(save it as \.xlsx from Excel\)"),
    ("empty.csv", "", r"the file is empty"),
])
def test_files_that_are_not_what_they_say_are_refused_with_one_line(tmp_path, mini_frame, pub_tables, name, content,
                                                                    message):
    """Finding 7: no zipfile.BadZipFile traceback; one line naming the file and the fix."""
    path = tmp_path / name
    (path.write_bytes if isinstance(content, bytes) else lambda c: path.write_text(c, encoding="utf-8"))(content)
    with pytest.raises(SurveyFileError, match=message) as err:
        _load(path, mini_frame, pub_tables)
    assert str(path) in str(err.value) and len(str(err.value).splitlines()) == 1


# --- bounded reading ---------------------------------------------------------------------------------------

def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, mini_frame, pub_tables, monkeypatch):
    """Finding 8: memory is bounded: a file over 20 MB is refused before anything is parsed."""
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.truncate(sheets.MAX_FILE_BYTES + 1)  # sparse: no disk used
    monkeypatch.setattr(sheets, "_read_text", lambda *a: pytest.fail("parsed a file over the limit"))
    with pytest.raises(SurveyFileError, match=r"huge\.csv: 20\.0 MB; survey files over 20 MB are refused unread"):
        _load(path, mini_frame, pub_tables)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_reading_stops_at_the_row_limit(tmp_path, mini_frame, pub_tables, monkeypatch, suffix):
    monkeypatch.setattr(sheets, "MAX_ROWS", 50)
    rows = [["団体コード", COST]] + [[c, "1"] for c in mini_frame["code"][:60]]
    path = tmp_path / f"long{suffix}"
    if suffix == ".csv":
        pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False)
    else:
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    with pytest.raises(SurveyFileError, match=r"more than 50 non-empty rows; the survey has one row per "
                                              r"municipality \(1,741\)"):
        _load(path, mini_frame, pub_tables)


@pytest.mark.parametrize("case", ["every code twice", "every row bad", "every cost bad"])
def test_the_problem_list_is_capped_on_every_path(tmp_path, mini_survey, mini_frame, pub_tables, monkeypatch, case):
    """Issue 18, case 7: a file of duplicates printed 1,741 lines, an all-bad file 9,528 (the code-error path
    skipped the count). At most MAX_PROBLEMS lines and one saying how many more."""
    monkeypatch.setattr(reader, "MAX_PROBLEMS", 20)
    df = _in_file_shape(mini_survey, mini_frame)
    if case == "every code twice":
        expected_total = len(df)  # the second copy of each of the 60 codes: a duplicate
        df = pd.concat([df, df])
    elif case == "every row bad":
        df = pd.concat([df.assign(団体コード="x" + df["団体コード"])] * 5)
        expected_total = len(df) + 1  # every row's code, and the municipalities missing
    else:
        df = df.assign(**{COST: "abc"})
        expected_total = len(df)
    with pytest.raises(SurveyFileError) as err:
        _load(_write(tmp_path, df), mini_frame, pub_tables)
    lines = str(err.value).splitlines()
    more = expected_total - 20
    assert len(lines) == 21
    assert lines[-1] == f"… and {more:,} more problems (fix these and run again)"


def test_a_read_is_bounded_by_the_bytes_read_not_the_stated_size(tmp_path, mini_frame, pub_tables, monkeypatch):
    """Issue 18, case 4: /dev/zero states size 0 and never ends (8 GB in 25 s). A file whose stated size is 0
    (here a /proc file through a link named .csv) is read only up to the limit."""
    link = tmp_path / "maps.csv"
    link.symlink_to("/proc/self/maps")
    assert link.stat().st_size == 0 and len(link.read_bytes()) > 200
    monkeypatch.setattr(sheets, "MAX_FILE_BYTES", 200)
    with pytest.raises(SurveyFileError, match=r"maps\.csv: over 0 MB; survey files over 0 MB are refused"):
        _load(link, mini_frame, pub_tables)


@pytest.mark.parametrize("kind", ["fifo", "device", "socket", "folder"])
def test_only_a_regular_file_is_read(tmp_path, mini_frame, pub_tables, kind):
    """Issue 18, case 4: a FIFO hung check-survey; /dev/zero filled the memory. Each is named in one line."""
    import os
    import socket

    path = tmp_path / f"{kind}.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))  # the socket file stays after the socket is closed
    else:
        path.mkdir()
    words = {"fifo": "is a named pipe (FIFO), not a regular file", "device": "is a character device, not a regular file",
             "socket": "is a socket, not a regular file", "folder": "is a folder"}[kind]
    with pytest.raises(SurveyFileError) as err:
        _load(path, mini_frame, pub_tables)
    assert str(err.value) == f"{path}: {words}; give the survey file itself (.csv, .tsv, .txt or .xlsx)"


# --- which input -------------------------------------------------------------------------------------------

def test_configured_input_order(tmp_path, monkeypatch):
    monkeypatch.delenv(inputs.SURVEY_ENV, raising=False)
    monkeypatch.setattr(inputs, "DROP_IN_DIR", tmp_path / "none")
    assert inputs.configured_input().kind == "simulated"
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "mine.xlsx").write_bytes(b"")
    monkeypatch.setattr(inputs, "DROP_IN_DIR", drop)
    assert inputs.configured_input().path.name == "mine.xlsx"
    (tmp_path / "env.csv").write_bytes(b"")
    (tmp_path / "flag.csv").write_bytes(b"")
    monkeypatch.setenv(inputs.SURVEY_ENV, str(tmp_path / "env.csv"))
    assert inputs.configured_input().configured_by == "$JICHITAI_CLOUD_SURVEY"
    assert inputs.configured_input(tmp_path / "flag.csv").configured_by == "--survey"
    with pytest.raises(SurveyFileError, match=r"missing\.csv: no such file \(configured by --survey\)"):
        inputs.configured_input(tmp_path / "missing.csv")
    with pytest.raises(SurveyFileError, match=r"is a folder.*\(configured by \$JICHITAI_CLOUD_SURVEY\)"):
        monkeypatch.setenv(inputs.SURVEY_ENV, str(drop))
        inputs.configured_input()
    (drop / "second.csv").write_bytes(b"")
    monkeypatch.delenv(inputs.SURVEY_ENV)
    with pytest.raises(SurveyFileError, match="keep exactly one"):
        inputs.configured_input()


def test_the_survey_table_of_a_real_file_says_where_it_came_from(tmp_path, mini_survey, mini_frame, pub_tables):
    """inputs.tables on a real file: the survey as read, and its survey_input row (validated) naming the file,
    its sha256 and how it was configured; no generator parameters."""
    path = _write(tmp_path, _in_file_shape(mini_survey, mini_frame), "good.csv")
    source = inputs.SurveyInput(path, None, "--survey")
    from jichitai_cloud.survey import generator

    table, info = inputs.tables(mini_frame, pub_tables, source, generator.GeneratorParams(), pin=None)
    assert table["it_cost_yen"].equals(mini_survey["it_cost_yen"])
    row = info.iloc[0]
    assert (row["input"], row["file"], row["configured_by"], row["generator_params"]) == ("reported", "good.csv",
                                                                                          "--survey", "")
    assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() and row["status_source"] == "reported"
    assert (row["rows"], row["costs_missing"]) == (60, 0)
    with pytest.raises(SurveyFileError, match=r"--accept-outlier 011002: only with a real survey file"):
        inputs.tables(mini_frame, pub_tables, inputs.SurveyInput(None, None, "default (simulated)", ("011002",)),
                      generator.GeneratorParams(), pin=None)
