"""English reports in English: labels from the vocabulary's English side, prefectures in romaji (also accepted as
--prefecture), population classes named by their labels; the mirror of test_reports.py's check that Japanese
reports contain no English."""

import re

import pandas as pd
import pytest

from jichitai_cloud.errors import ParameterError
from jichitai_cloud.registry import vocab
from jichitai_cloud.report import params
from jichitai_cloud.report.display import styled

# Japanese script: CJK punctuation, kana, ideographs, full- and half-width forms.
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


# --- prefectures in romaji ------------------------------------------------------------------------------------

def test_every_prefecture_has_one_romaji_name():
    assert list(vocab.PREFECTURE_ROMAJI) == list(vocab.PREFECTURES)
    assert len(set(vocab.PREFECTURE_ROMAJI.values())) == 47
    assert all(re.fullmatch(r"[A-Z][a-z]+", r) for r in vocab.PREFECTURE_ROMAJI.values())
    assert vocab.PREFECTURE_ROMAJI["長野県"] == "Nagano" and vocab.PREFECTURE_ROMAJI["北海道"] == "Hokkaido"
    assert vocab.prefecture_name("長野県", "en") == "Nagano" and vocab.prefecture_name("長野県", "ja") == "長野県"
    assert vocab.prefecture_name("奈良県・和歌山県", "en") == "Nara, Wakayama"  # a group over two prefectures
    assert vocab.prefecture_name("全国", "en") == "Japan"


@pytest.mark.parametrize("given, expected", [
    ("Nagano", "長野県"), ("nagano", "長野県"), ("NAGANO", "長野県"), ("nagano-ken", "長野県"),
    ("Nagano Prefecture", "長野県"), ("Nagano Pref.", "長野県"), ("  Nagano-Ken ", "長野県"),
    ("Tokyo", "東京都"), ("tokyo-to", "東京都"), ("Tōkyō", "東京都"), ("Toukyou", "東京都"), ("Tokyo Metropolis", "東京都"),
    ("Osaka-fu", "大阪府"), ("Kyoto fu", "京都府"), ("Hokkaido", "北海道"), ("hokkai-do", "北海道"),
    ("Kōchi", "高知県"), ("Kouchi-ken", "高知県"), ("Ōita", "大分県"), ("Hyogo", "兵庫県"), ("Ｎａｇａｎｏ", "長野県"),
    ("長野県", "長野県"), ("鹿児島県", "鹿児島県"),
])
def test_prefecture_accepts_its_name_as_written_or_in_romaji(given, expected):
    assert params.prefecture_of(given) == expected


def test_romaji_spellings_name_one_prefecture_each():
    spellings = params.PREFECTURE_SPELLINGS
    assert set(spellings.values()) == set(vocab.PREFECTURES)
    for name, romaji in vocab.PREFECTURE_ROMAJI.items():  # no spelling of one is taken by another
        assert spellings[params._romaji_key(romaji)] == name
        assert spellings[params._romaji_key(romaji + " Prefecture")] == name


@pytest.mark.parametrize("given, message", [
    ("Nagno", r"prefecture must be a prefecture in romaji, one of Hokkaido, Aomori, .*, Okinawa .*; got 'Nagno' "
              r"\(did you mean 'Nagano'\?\)$"),
    ("Naga", r"got 'Naga' \(did you mean 'Nagano', 'Saga' or 'Nara'\?\)$"),
    ("osaka-ken", r"got 'osaka-ken' \(did you mean 'Osaka'"),  # the wrong suffix: refused, the name suggested
    ("Nagano-shi", r"got 'Nagano-shi' \(did you mean 'Nagano'"),
    ("長野", r"prefecture must be one of 北海道, .*, 沖縄県; got '長野' \(did you mean '長野県'\?\); romaji works too"),
    ("zzz", r"got 'zzz'$"),  # nothing close: no suggestion
    (12, r"prefecture must be one of 北海道, .*; got 12; romaji works too"),
])
def test_an_unknown_prefecture_is_refused_in_one_line_with_the_closest_names(given, message):
    with pytest.raises(ParameterError, match=message) as e:
        params.prefecture_of(given)
    assert "\n" not in str(e.value)


@pytest.mark.data
def test_a_romaji_prefecture_makes_the_same_job_as_its_name():
    from jichitai_cloud.report import jobs, render

    by_name = render.job(scope="prefecture", prefecture="長野県", lang="en")
    for given in ("Nagano", "nagano-ken", "Nagano Prefecture"):
        job = render.job(scope="prefecture", prefecture=given, lang="en")
        assert job.params == by_name.params and job.key == by_name.key == "prefecture/長野県"
    assert jobs.title(by_name.params) == "Joint cloud and IT-system costs: Nagano"
    assert jobs.title(render.job(scope="prefecture", prefecture="Nagano").params) == "自治体クラウドと情報システム経費：長野県"


# --- labels in English tables ----------------------------------------------------------------------------------

def test_english_tables_name_prefectures_kinds_and_statuses_in_english():
    df = pd.DataFrame({"name": ["伊那市", "辰野町"], "prefecture": ["長野県", "長野県"], "kind": ["市", "町"],
                       "prefectures": ["奈良県・和歌山県", "長野県"], "cloud_status": ["joint", "none"]})
    en = styled(df, "en", key="t").to_html()
    for shown in (">Nagano<", ">city<", ">town<", ">Nara, Wakayama<", ">joint cloud<", ">no cloud<", ">伊那市<"):
        assert shown in en
    assert not {"長野県", ">市<", ">町<"} & set(re.findall(r"長野県|>市<|>町<", en))
    ja = styled(df, "ja", key="t").to_html()
    assert ">長野県<" in ja and ">市<" in ja and ">奈良県・和歌山県<" in ja and ">自治体クラウド<" in ja


def test_the_english_side_of_every_text_pair_is_english():
    """Report, chart and survey text and the vocabulary: the English member of each (ja, en) pair names no
    Japanese but the source document's titles, quoted as written."""
    from jichitai_cloud.clean import published
    from jichitai_cloud.report import text
    from jichitai_cloud.survey import labels

    pairs = {f"text.METHODS.{k}": v for k, v in enumerate(text.METHODS)}
    for module, prefix in ((text, "text"), (vocab, "vocab"), (labels, "labels")):
        for name, value in vars(module).items():
            if isinstance(value, dict) and name.isupper() and name not in ("STATUS_SPELLINGS", "LANGUAGE_NAMES"):
                pairs.update({f"{prefix}.{name}.{k}": v for k, v in value.items()
                              if isinstance(v, tuple) and len(v) == 2 and all(isinstance(s, str) for s in v)})
    titles = {f"「{published.DOCUMENT}」", f"「{published.SURVEY}」"}
    bad = {}
    for key, (_, en) in pairs.items():
        for title in titles:
            en = en.replace(title, " ")
        if CJK.search(en):
            bad[key] = CJK.findall(en)
    assert len(pairs) > 300
    assert not bad, bad


def test_class_labels_come_from_the_vocabulary():
    assert [vocab.class_label(c, "en") for c in vocab.CLASS_IDS][:2] == ["under 20k", "20k–50k"]
    assert vocab.class_label(1, "ja") == "２万人未満"
    with pytest.raises(ValueError, match="no population class 7"):
        vocab.class_label(7, "en")


# --- what English reports show ---------------------------------------------------------------------------------

def _proper_names(load) -> list[str]:
    """The names English reports keep as the sources write them: municipalities and groups (as
    matched and as written), case studies, the source document's publisher and titles, and the boundary file's
    attribution (its licence asks for that text)."""
    from jichitai_cloud.clean import published

    names = set(load("municipalities")["name"]) | set(load("cloud_groups")["name"].dropna())
    names |= set(load("cloud_group_members")["name_as_written"]) | set(load("case_study_members")["name_as_written"])
    planned = load("planned_joins")
    names |= set(planned["name_as_written"]) | set(planned["named_in_year_line_as"].dropna())
    names |= set(load("case_studies")["title_as_written"])
    names |= {published.PUBLISHER, f"「{published.DOCUMENT}」", f"「{published.SURVEY}」",
              "国土交通省「国土数値情報（行政区域データ）」をもとにNIIが加工"}
    return [n for n in names if isinstance(n, str) and n]


def japanese_left(text: str, names: list[str]) -> list[str]:
    """The Japanese in ``text`` once the proper names are taken out. A run that opens a name (a chart label cut
    short, e.g. a long case-study title) counts as that name when it keeps at least eight characters."""
    cut_short = {run for run in CJK.findall(text) if len(run) >= 8 and any(n.startswith(run) for n in names)}
    for name in sorted({*names, *cut_short}, key=len, reverse=True):  # a longer name first: 上伊那広域連合, 伊那市
        text = text.replace(name, " ")
    return sorted(set(CJK.findall(text)))


def test_the_japanese_finder_spares_only_proper_names():
    names = ["伊那市", "上伊那広域連合", "いばらき自治体クラウド基幹業務運営協議会"]
    text = ("Group 27 (上伊那広域連合) in 長野県: 伊那市 (市); e. いばらき自治体クラウド基幹業務運営協議, e. いばらき and "
            "２万人未満")
    assert japanese_left(text, names) == sorted(["２万人未満", "市", "長野県", "いばらき"])


def _shown(monkeypatch, scope: str, **kw) -> str:
    """Everything an English report shows as text, rendered in-process: Markdown, tables (tags and styles taken
    out), and every text of its charts (titles, labels, legends, captions, tick labels)."""
    import html as html_lib

    import matplotlib.text

    import jichitai_cloud.report.display as disp
    from jichitai_cloud.report import context, reports

    shown = []

    def capture(obj, *a, **k):
        data = getattr(obj, "data", None)
        if isinstance(data, str):
            shown.append(data)
        elif hasattr(obj, "findobj"):  # a chart
            obj.canvas.draw()  # tick labels are set when drawn
            texts = list(obj.findobj(matplotlib.text.Text))
            for ax in obj.axes:
                texts += ax.get_xticklabels() + ax.get_yticklabels()
            shown.extend(t.get_text() for t in texts)
    monkeypatch.setattr(context, "display", capture)
    monkeypatch.setattr(disp, "display", capture)
    reports.make(scope=scope, lang="en", **kw).show_all()
    text = re.sub(r"<style.*?</style>", " ", "\n".join(shown), flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", text))


@pytest.mark.slow
@pytest.mark.parametrize("scope, kw", [("national", {}), ("prefecture", {"prefecture": "Nagano"}),
                                       ("group", {"group_id": 27}), ("group", {"group_id": 60})])
def test_english_reports_contain_no_japanese_but_proper_names(monkeypatch, processed, scope, kw):
    shown = _shown(monkeypatch, scope, **kw)
    left = japanese_left(shown, _proper_names(processed))
    assert not left, f"Japanese in the English {scope} report: {left}"
    assert "万人" not in shown and "under 20k" in shown or scope == "group"
    # a kind tag after a word keeps its space: 'floor [derived]', never 'floor[derived]'
    assert not re.findall(r"\w\[(?:published|derived|real|simulated|inferred|scenario|reported)", shown)
    if scope == "prefecture":
        assert "Nagano" in shown and "city" in shown and "village" in shown


@pytest.mark.data
def test_reconciliation_messages_name_population_classes_by_their_labels(processed):
    """Every check of a population class says its label (２万人未満 / under 20k), never 'class 1' / '区分1'; the
    English descriptions and explanations carry no Japanese but proper names."""
    rec = processed("reconciliation")
    per_class = rec[rec["check_id"].str.contains(r"(?:class_[a-z_]*|status_sum|per_municipality|status_count|order)"
                                                 r"[._]?\d")]
    assert len(per_class) >= 30
    assert not rec["description"].str.contains(r"\bclass \d").any()
    assert not rec["description_ja"].str.contains(r"区分\d").any()
    labels_en = tuple(vocab.class_label(c, "en") for c in vocab.CLASS_IDS)
    labels_ja = tuple(vocab.class_label(c, "ja") for c in vocab.CLASS_IDS)
    assert per_class["description"].map(lambda d: any(d.startswith(lab) for lab in labels_en)).all()
    assert per_class["description_ja"].map(lambda d: any(lab in d for lab in labels_ja)).all()
    names = _proper_names(processed)
    left = {t: japanese_left(t, names) for t in pd.concat([rec["description"], rec["explanation"]]) if t}
    assert not {t: v for t, v in left.items() if v}
