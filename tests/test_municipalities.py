import pandas as pd
import pytest

from jichitai_cloud.clean import municipalities as mu
from jichitai_cloud.clean import published
from jichitai_cloud.io import sources, store
from jichitai_cloud.registry import vocab


@pytest.mark.parametrize("code", ["010006", "011002", "131016", "133621", "134023", "402311", "473821"])
def test_check_digit_of_known_codes(code):
    assert mu.valid_code(code)


def test_check_digit_rejects_wrong_digits_and_non_ascii():
    assert not mu.valid_code("011003")
    assert not mu.valid_code("０１１００２")
    with pytest.raises(ValueError, match="5 ASCII digits"):
        mu.check_digit("０１１００")


@pytest.mark.data
def test_every_code_in_the_population_file_has_a_valid_check_digit():
    """An independent check of the algorithm: ~1,900 official codes (prefectures, 郡, wards too)."""
    juki = mu.read_juki(mu.JUKI_2017)
    assert len(juki) > 1900
    assert juki["code"].map(mu.valid_code).all()


def _juki(rows):
    df = pd.DataFrame(rows, columns=["code", "prefecture", "name_raw", "population"])
    df["line"] = range(5, 5 + len(df))
    df.attrs["file"] = "inline"
    return df


def test_municipalities_from_juki_keeps_only_municipalities():
    juki = _juki([
        ("010006", "北海道", "", 5_000_000),          # prefecture
        ("011002", "北海道", "札幌市", 1_900_000),     # designated city
        ("011011", "北海道", "札幌市中央区", 230_000),  # its ward
        ("013030", "北海道", "石狩郡当別町", 17_000),   # 郡 prefix, no 郡 row in 北海道
        ("016951", "北海道", "色丹郡色丹村", 0),       # 北方領土
        ("131016", "東京都", "千代田区", 60_000),       # special ward
        ("133604", "東京都", "島しょ", 26_000),         # subtotal
        ("133621", "東京都", "利島村", 315),
        ("284807", "兵庫県", "赤穂郡", 16_000),         # 郡 subtotal
        ("284815", "兵庫県", "赤穂郡上郡町", 15_000),   # a town whose own name has 郡
    ])
    out = mu.municipalities_from_juki(juki).set_index("code")
    assert list(out.index) == ["011002", "013030", "131016", "133621", "284815"]
    assert out.loc["011002", "kind"] == "政令指定都市"
    assert out.loc["013030", ["name", "kind"]].tolist() == ["当別町", "町"]
    assert out.loc["131016", "kind"] == "特別区"
    assert out.loc["133621", ["name", "kind"]].tolist() == ["利島村", "村"]
    assert out.loc["284815", "name"] == "上郡町"


def test_a_wrong_check_digit_stops_with_the_line():
    juki = _juki([("011003", "北海道", "札幌市", 1)])
    with pytest.raises(mu.CleaningError, match=r"line 5, column 団体コード: 011003.*check digit"):
        mu.municipalities_from_juki(juki)


def test_read_juki_names_a_bad_number(tmp_path, monkeypatch):
    f = tmp_path / "juki.csv"
    f.write_text("\ufeffa\nb\nc\nd\n,合計,,1,1,\"2\"\n011002,北海道,札幌市,1,1,\"1,9x0\"\n", encoding="utf-8")
    monkeypatch.setattr(sources, "raw_path", lambda name: f)
    with pytest.raises(mu.CleaningError, match=r"line 6, column 人 \(population\): '1,9x0'"):
        mu.read_juki("any")


@pytest.mark.parametrize("a, b", [("飛驒市", "飛騨市"), ("須恵町", "須惠町"), ("関ケ原町", "関ヶ原町"),
                                  ("住\u2ea0", "住民"), ("ｼｽﾃﾑ", "システム")])
def test_match_key_equates_written_variants(a, b):
    assert mu.match_key(a) == mu.match_key(b)


@pytest.mark.data
def test_variant_table_creates_no_collisions_between_real_names():
    frame = store.read_table("municipalities")
    keys = frame["prefecture"] + "/" + frame["name"].map(mu.match_key)
    assert keys.is_unique


@pytest.mark.data
def test_the_frame_reproduces_the_survey():
    frame = store.read_table("municipalities")
    cost = published.cost_by_class().set_index("class_id")
    assert len(frame) == 1741 and frame["code"].is_unique
    assert frame["population_2017_01_01_persons"].sum() == 127_907_086
    counts = frame.groupby("population_class_id").size()
    assert (counts == cost["municipalities"]).all()
    assert frame["kind"].value_counts().to_dict() == {"市": 771, "町": 744, "村": 183, "特別区": 23, "政令指定都市": 20}
    evacuated = frame[frame["population_census_2015_persons"] == 0]["name"].tolist()
    assert sorted(evacuated) == sorted(["富岡町", "大熊町", "双葉町", "浪江町"])
    assert frame.loc[frame["code"] == "403059", "name"].item() == "那珂川町"  # SSDSE's later code mapped back
    assert frame["expenditure_total_fy2017_thousand_yen"].gt(0).all()


@pytest.mark.parametrize("date, fy", [("2017-04-01", 2017), ("2018-03-31", 2017), ("2018-04-01", 2018)])
def test_fiscal_year(date, fy):
    assert mu.fiscal_year(date) == fy


def test_joint_cloud_as_of_uses_the_start_fiscal_year():
    f = pd.DataFrame({"joint_cloud_start_fy": pd.array([2016, 2017, None], dtype="Int64")})
    assert mu.joint_cloud_as_of(f, vocab.STATUS_DATE).tolist() == [True, False, False]
    assert mu.joint_cloud_as_of(f, vocab.STATUS_DATE, include_start_year=True).tolist() == [True, True, False]
    assert mu.joint_cloud_as_of(f, "2018-03-31").tolist() == [True, False, False]
    f2 = pd.DataFrame({"joint_cloud_start_fy": pd.array([2016, 2018, None], dtype="Int64")})
    assert mu.joint_cloud_as_of(f2, vocab.LIST_DATE).tolist() == [True, True, False]  # the list's date: all


@pytest.mark.parametrize("bad, message", [("2019-01-01", "between"), ("yesterday", "ISO date")])
def test_as_of_is_validated(bad, message):
    with pytest.raises(ValueError, match=message):
        mu.validate_as_of(bad)
    with pytest.raises(ValueError, match="population_basis must be one of"):
        mu.validate_population_basis("2019-01-01")


@pytest.mark.data
def test_on_the_list_date_all_407_members_are_joint():
    frame = store.read_table("municipalities")
    assert mu.joint_cloud_as_of(frame, vocab.LIST_DATE).sum() == 407
