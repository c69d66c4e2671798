import pandera.errors
import pytest

from jichitai_cloud.clean import checks


def test_round_half_up_is_not_bankers_rounding():
    assert checks.round_half_up(0.05, 1) == 0.1  # banker's rounding would give 0.0
    assert checks.round_half_up(2.5, 0) == 3.0  # banker's: 2.0
    assert checks.round_half_up(23.845238, 1) == 23.8
    assert checks.round_half_up(-0.25, 1) == -0.3


def test_rounded_accepts_the_published_rounding_and_rejects_others():
    ok = checks.rounded("a", "t", ("d", "d"), 0.6, 487 / 791, "oku_yen", 1, "s", "c")
    bad = checks.rounded("b", "t", ("d", "d"), 0.7, 487 / 791, "oku_yen", 1, "s", "c")
    assert ok.ok and not bad.ok
    assert bad.row()["status"] == checks.MISMATCH
    assert bad.row()["difference"] == pytest.approx(487 / 791 - 0.7)


def test_exact_and_within():
    assert checks.exact("a", "t", ("d", "d"), 1741, 1741, "n", "s", "c").ok
    assert not checks.exact("a", "t", ("d", "d"), 1741, 1740, "n", "s", "c").ok
    w = checks.within("w", "t", ("d", "d"), 127_907_086, 127_907_000, "persons", 3000, "rounding", "s", "c")
    assert w.ok and "3000" in w.rule
    assert not checks.within("w", "t", ("d", "d"), 100, 200, "x", 50, "why", "s", "c").ok


def test_frame_rejects_duplicate_check_ids():
    c = checks.exact("same", "t", ("d", "d"), 1, 1, "n", "s", "c")
    with pytest.raises(pandera.errors.SchemaError):
        checks.frame([c, c])


@pytest.mark.parametrize("value, text", [(127907086, "127,907,086"), (0.6157, "0.6157"), (11724.00001, "11,724"),
                                         (-0.2214, "-0.2214"), (float("nan"), "—"), (-0.00001, "0")])
def test_fmt(value, text):
    assert checks.fmt(value) == text


@pytest.mark.slow
def test_every_reconciliation_topic_has_its_japanese_and_english_name():
    from jichitai_cloud.io import store
    from jichitai_cloud.registry import vocab

    topics = set(store.read_table("reconciliation")["topic"])
    assert topics <= set(vocab.TOPICS), topics - set(vocab.TOPICS)
