"""The simulated survey (survey.generator), the survey's summaries and reconciliation (survey.summaries), the pin
decided once for the build and every other caller, and the commands end to end with a real-like file.

The real-file reader's own tests run on a small inline frame: tests/test_survey_reader.py.
"""

import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from jichitai_cloud import cli
from jichitai_cloud.analysis import simulation
from jichitai_cloud.clean import checks
from jichitai_cloud.clean import published
from jichitai_cloud.errors import OrderingError, ParameterError
from jichitai_cloud.io import store
from jichitai_cloud.registry import vocab
from jichitai_cloud.survey import generator, summaries


@pytest.fixture(scope="module")
def frame():
    return store.read_table("municipalities")


@pytest.fixture(scope="module")
def pub():
    return published.tables()


@pytest.fixture(scope="module")
def simulated(frame, pub):
    """A simulated survey without the pin (the build's pins the under-20k joint-cloud cell: see below)."""
    return generator.simulate(frame, pub, pin=None)


# --- the simulated survey (needs the build's municipality frame) ------------------------------------------

@pytest.mark.data
def test_simulated_survey_reproduces_the_published_figures(simulated, pub):
    rec = checks.frame(summaries.reconcile(simulated, pub, "simulated"), summaries.explanations(simulated))
    bad = checks.mismatches(rec)
    # Only the status counts the real group list cannot match (explained), nothing else.
    assert set(bad["check_id"]) == {f"survey.status_count.{c}.{s}" for c in (1, 2, 3) for s in ("joint", "none")}
    assert checks.unexplained(rec).empty
    assert len(rec) == 6 * 4 + 2 + 18 + 6 + 1 + 18


@pytest.mark.data
def test_simulated_survey_in_plain_numbers(simulated):
    """Independent of the library's reconciliation: recompute the headline figures here."""
    s = simulated.assign(pr=simulated["it_cost_yen"].astype(float) / simulated["population_2017_01_01_persons"])
    cls = s["population_2017_01_01_persons"].map(published.population_class_id)
    assert round(s["it_cost_yen"].sum() / 1e8) == 4786
    assert round(s["it_cost_yen"].sum() / 127_907_086) == 3742
    assert [round(v) for v in s.groupby(cls)["pr"].mean()] == [11724, 4071, 3675, 3096, 3583, 3601]
    assert [round(v / 1e8) for v in s.groupby(cls)["it_cost_yen"].sum()] == [487, 531, 664, 692, 409, 2003]
    three = s.nsmallest(3, "population_2017_01_01_persons")
    assert three["cloud_status"].tolist() == ["single"] * 3
    assert [round(v) for v in three["pr"]] == [583313, 153112, 162327]
    rest = s[(cls == 1) & (s["cloud_status"] == "single") & ~s["code"].isin(three["code"])]
    assert round(rest["pr"].mean()) == 11266


@pytest.mark.data
def test_provenance_says_what_is_simulated(simulated, frame):
    s = simulated.merge(frame[["code", "joint_cloud_start_fy"]], on="code")
    # joint comes from the published list through the start-year rule: derived, not published
    assert (s.loc[s["cloud_status"] == "joint", "cloud_status_provenance"] == "derived").all()
    three = s.nsmallest(3, "population_2017_01_01_persons")
    # single is published for all three; which value belongs to which village is our reading: derived
    assert (three["cloud_status_provenance"] == "published").all() and (three["it_cost_provenance"] == "derived").all()
    others = s.drop(three.index)
    assert (others["it_cost_provenance"] == "simulated").all()
    assert set(others.loc[others["cloud_status"] != "joint", "cloud_status_provenance"]) == {"simulated"}


@pytest.mark.data
def test_the_generator_is_deterministic_and_the_seed_matters(frame, pub, simulated):
    again = generator.simulate(frame, pub, pin=None)
    pd.testing.assert_frame_equal(again, simulated)
    other = generator.simulate(frame, pub, generator.GeneratorParams(seed=7), pin=None)
    assert not other["it_cost_yen"].equals(simulated["it_cost_yen"])
    rec = checks.frame(summaries.reconcile(other, pub, "simulated"), summaries.explanations(other))
    assert checks.unexplained(rec).empty  # still calibrated


# The survey simulated as the fixture does, by a process whose environment asks the numeric libraries for one
# thread each (argv[1]: the pickle to write).
ONE_THREAD = """
import sys
import jichitai_cloud
from jichitai_cloud.clean import published
from jichitai_cloud.io import store
from jichitai_cloud.survey import generator
generator.simulate(store.read_table("municipalities"), published.tables(), pin=None).to_pickle(sys.argv[1])
"""


@pytest.mark.data
def test_the_survey_does_not_depend_on_the_numeric_libraries_threads(simulated, tmp_path):
    """A multi-threaded BLAS splits its sums by its thread count (by default one per core): the calibrated survey,
    and every model after it, then differed in its last bits from one machine to another. jichitai_cloud sets one
    thread each before numpy loads (io/processes.py: ONE_THREAD): this process, whose environment asked for
    nothing (one thread per core, where it is `make test`), computes what a process told to use one computes.
    (Told two or more, a process gets no more than the cores: on two cores that would not tell them apart.)"""
    from jichitai_cloud.io import processes

    env = {**os.environ, **{name: "1" for name in processes.ONE_THREAD}}
    out = tmp_path / "survey.pickle"
    p = subprocess.run([sys.executable, "-c", ONE_THREAD, str(out)], env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    pd.testing.assert_frame_equal(pd.read_pickle(out), simulated, check_exact=True)


@pytest.mark.data
def test_the_generator_refuses_parameters_that_contradict_the_documents_orderings(frame, pub, monkeypatch):
    # Each draw is a full calibration (~0.3 s): the refusal is the same after 4 draws as after 100.
    monkeypatch.setattr(generator, "MAX_DRAWS", 4)
    wrong = generator.GeneratorParams(joint_effect=+0.30)  # joint above none: contradicts the document
    with pytest.raises(OrderingError, match=r"no draw of 4 satisfies the document's orderings .*first failure: under 20k: "
                                         r"joint cloud has the lowest mean cost per"):
        generator.simulate(frame, pub, wrong, pin=None)


@pytest.mark.data
def test_draws_are_conditional_on_the_orderings_and_recorded(frame, pub, simulated, monkeypatch):
    assert simulated.attrs["draw"] == 0
    params = generator.GeneratorParams(seed=7)  # a seed whose first two draws contradict the orderings
    drawn, real = [], generator.draw_once

    def watched(frame_, pub_, params_, rng, setup):  # each draw's random stream as it starts, and its outcome
        state = rng.bit_generator.state
        table, failed = real(frame_, pub_, params_, rng, setup)
        drawn.append((state, table, failed))
        return table, failed

    monkeypatch.setattr(generator, "draw_once", watched)
    other = generator.simulate(frame, pub, params, pin=None)
    draw = other.attrs["draw"]
    assert draw == 2 and all(c.ok for c in summaries.ordering_checks(other, pub["published_survey_orderings"]))
    # draw k uses the stream [seed, k]; the draws skipped contradict the document's orderings, the one used does
    # not, and it is the survey returned
    assert [s for s, _, _ in drawn] == [np.random.default_rng([params.seed, k]).bit_generator.state
                                         for k in range(draw + 1)]
    assert [bool(f) for _, _, f in drawn] == [True] * draw + [False]
    for _, table, _ in drawn[:draw]:
        assert not all(c.ok for c in summaries.ordering_checks(table, pub["published_survey_orderings"]))
    pd.testing.assert_frame_equal(drawn[draw][1], other)


@pytest.mark.data
def test_the_simulated_curve_has_no_jumps_at_class_boundaries(simulated):
    """Cost per resident divided by status and noise is one smooth curve: compare just below and above."""
    s = simulated[simulated["it_cost_provenance"] == "simulated"]
    pop = s["population_2017_01_01_persons"].astype(float)
    pr = s["it_cost_yen"].astype(float) / pop
    import numpy as np
    x, y = np.log(pop.to_numpy()), np.log(pr.to_numpy())
    for b in (20_000, 50_000, 100_000, 200_000, 300_000):
        near = np.abs(x - np.log(b)) < 0.15
        below, above = near & (x < np.log(b)), near & (x >= np.log(b))
        # a local linear fit across the boundary leaves no step: medians of residuals agree
        slope, icpt = np.polyfit(x[near], y[near], 1)
        resid = y - (icpt + slope * x)
        assert abs(np.median(resid[below]) - np.median(resid[above])) < 0.15, b


@pytest.mark.data
def test_the_noise_has_mean_one_and_the_stated_spreads(frame):
    """The generator's noise multiplier averages 1 (so calibrating to means is unbiased); its log has the
    prefecture, group and municipal components it states: checked on many draws of the noise alone."""
    import numpy as np

    params = generator.GeneratorParams()
    f = frame.sort_values("code").reset_index(drop=True)
    joint = f["joint_cloud_start_fy"].lt(2017).fillna(False).to_numpy(bool)
    draws = np.array([params.log_noise(f, joint, np.random.default_rng([5, k])) for k in range(400)])
    assert np.exp(draws).mean() == pytest.approx(1.0, abs=0.01)
    x = np.log(f["population_2017_01_01_persons"].to_numpy(float))
    expected_var = params.tau_prefecture ** 2 + params.tau_group ** 2 * joint + params.sigmas(x) ** 2
    assert draws.var(axis=0).mean() == pytest.approx(expected_var.mean(), rel=0.05)
    # municipalities of one prefecture share its effect: two non-members' noises have covariance τ_p², those
    # of different prefectures none. Averaged over every pair of 長野県's non-members the estimate is the
    # draws' variance of that one prefecture effect: τ_p² ± τ_p² √(2/400) (3 standard errors allowed).
    pref = f["prefecture"].to_numpy()
    nagano = np.flatnonzero((pref == "長野県") & ~joint)
    cov = np.cov(draws[:, nagano], rowvar=False)
    within = cov[~np.eye(len(nagano), dtype=bool)].mean()
    assert within == pytest.approx(params.tau_prefecture ** 2, abs=3 * params.tau_prefecture ** 2 * np.sqrt(2 / 400))
    other = np.flatnonzero((pref == "新潟県") & ~joint)
    across = np.cov(draws[:, nagano].mean(axis=1), draws[:, other].mean(axis=1))[0, 1]
    assert abs(across) < 3 * params.tau_prefecture ** 2 * np.sqrt(1 / 400)


# --- the reading of the orderings (inline) ---------------------------------------------------------------

def test_the_reading_of_single_above_none_under_20k_decides_with_or_without_the_three():
    """Inline data: single above none only because of the three least-populous villages. The document's
    11,266円 is the single mean without them: under that reading the ordering fails; with them it holds."""
    orderings = pd.DataFrame({"ordering_id": ["single_above_none"], "measure": ["per_resident"], "class_id": [1],
                              "lower_status": ["none"], "higher_status": ["single"]})
    pops = [100, 200, 300, 5000, 6000, 7000, 8000, 9000]
    per_resident = [500_000, 150_000, 160_000, 9_000, 8_000, 11_000, 10_000, 10_500]
    status = ["single", "single", "single", "single", "single", "joint", "none", "none"]
    table = pd.DataFrame({"code": [f"01{i:04d}" for i in range(8)], "population_2017_01_01_persons": pops,
                          "it_cost_yen": pd.array([p * r for p, r in zip(pops, per_resident)], dtype="Int64"),
                          "cloud_status": status})
    def single_vs_none(reading):
        return next(c for c in summaries.ordering_checks(table, orderings, reading=reading)
                    if c.check_id == "survey.order.1.single_vs_none")
    assert not single_vs_none("without_3").ok  # (9,000 + 8,000) / 2 = 8,500 < 10,250
    assert single_vs_none("with_3").ok
    with pytest.raises(ParameterError, match="reading must be one of without_3, with_3; got 'both'"):
        summaries.ordering_checks(table, orderings, reading="both")



def test_comparables_need_a_factor_above_one():
    for factor in (1, 0.5, -2, float("nan"), "2", True):
        with pytest.raises(ParameterError, match=r"factor must be a number above 1"):
            summaries.comparable_non_members(pd.DataFrame(), pd.DataFrame(), [], factor=factor)


# --- the pin: decided once, the same for the build and every other caller ------------------------------------

def _assignments(rows):
    """An evidence_label_assignments table: (reading, inferred, class_id, cloud_status, value_yen) per row."""
    return pd.DataFrame(rows, columns=["reading", "inferred", "class_id", "cloud_status", "value_yen"])


def test_the_pin_is_the_inferred_label_where_asked_and_unique():
    """small_joint_pin: the under-20k joint-cloud label of the reading without the villages, only when the
    parameters ask for it and that is the one inferred assignment; simulate refuses a pin the parameters deny."""
    unique = _assignments([("without_3", True, 1, "joint", 9820), ("without_3", False, 2, "none", 3217),
                           ("with_3", True, 1, "joint", 3266)])
    assert generator.small_joint_pin(True, unique) == 9820.0
    assert generator.small_joint_pin(False, unique) is None
    two = _assignments([("without_3", True, 1, "joint", 9820), ("without_3", True, 2, "single", 3561)])
    assert generator.small_joint_pin(True, two) is None  # not unique: nothing pinned
    other_cell = _assignments([("without_3", True, 2, "joint", 9820)])
    assert generator.small_joint_pin(True, other_cell) is None
    with pytest.raises(ParameterError, match=r"pin 9820\.0: the parameters say pin_inferred_label=False"):
        generator.simulate(pd.DataFrame(), {}, generator.GeneratorParams(pin_inferred_label=False), pin=9820.0)


@pytest.mark.data
def test_the_builds_survey_is_calibrated_to_the_inferred_under_20k_joint_cell():
    """The evidence infers 9,820円 for the under-20k joint-cloud bar: the build's simulated survey meets it
    exactly (as it meets the published class figures and 11,266円), and records that it did."""
    built = store.read_table("survey")
    cells = summaries.by_class_status(built).set_index(["class_id", "cloud_status"])
    assert generator.inferred_small_joint(store.read_table("evidence_label_assignments")) == 9820.0
    assert cells.loc[(1, "joint"), "it_cost_per_resident_mean_yen"] == pytest.approx(9820, abs=0.5)
    params = json.loads(store.read_table("survey_input")["generator_params"].iloc[0])
    assert params["pin_inferred_label"] is True


@pytest.mark.data
def test_the_builds_survey_is_the_generators_for_the_pin_the_rule_decides(frame, simulated):
    """Whoever simulates the survey (the build, a notebook, a benchmark) gets the build's survey from the frame,
    the published tables alone and the pin small_joint_pin decides: nothing depends on which other tables a
    dictionary happens to hold. Without the pin the survey differs in the under-20k joint-cloud cell."""
    params = generator.GeneratorParams()
    pin = generator.small_joint_pin(params.pin_inferred_label, store.read_table("evidence_label_assignments"))
    again = generator.simulate(frame, published.tables(), params, pin=pin)
    built = store.read_table("survey")
    pd.testing.assert_frame_equal(again, built, check_dtype=False)
    assert (again["it_cost_yen"] == built["it_cost_yen"]).all()
    unpinned = summaries.by_class_status(simulated).set_index(["class_id", "cloud_status"])
    assert abs(unpinned.loc[(1, "joint"), "it_cost_per_resident_mean_yen"] - 9820) > 100


@pytest.mark.data
def test_the_simulate_command_and_the_build_simulate_the_same_surveys(processed_copy, capsys):
    """`jichitai-cloud simulate` and the build's own study (model_inference_coverage) draw the same surveys for
    the same seed and settings: the command's summary over all draws equals the build's table exactly."""
    study = simulation.COVERAGE_STUDY
    args = ["simulate", "--draws", str(study.draws), "--effects", ",".join(map(str, study.effects)),
            "--seed", str(study.seed), "--reading", study.reading, "--workers", "1", "--no-progress"]
    assert cli.main(args) == 0
    capsys.readouterr()
    summary = store.read_table("simulation_summary")
    mine = summary[summary["subset"] == "all"].set_index("estimator")
    built = store.read_table("model_inference_coverage").set_index("estimator")
    assert sorted(mine.index) == sorted(built.index) == sorted(simulation.ESTIMATORS)
    for col in ("effect_pct", "draws", "coverage", "coverage_mc_se", "bias"):
        assert mine.loc[built.index, col].tolist() == built[col].tolist(), col
    recorded = json.loads(store.read_table("simulation_parameters")["generator_params"].iloc[0])
    assert recorded == json.loads(json.dumps(dataclasses.asdict(study.generator))) and not recorded["pin_inferred_label"]


# --- the commands end to end, with the simulated costs in a real file's shape (need a build) ---------------------

def _real_like(survey, frame):
    """A stand-in for a real file: the survey's values in a real file's shape (Japanese headers, 千円)."""
    df = survey.merge(frame[["code", "prefecture", "name"]], on="code")
    return pd.DataFrame({
        "団体コード": df["code"], "都道府県名": df["prefecture"], "団体名": df["name"],
        "人口": df["population_2017_01_01_persons"].map("{:,}".format),
        "情報システム経費（千円）": (df["it_cost_yen"].astype(float) / 1000).map("{:,.3f}".format),
        "クラウド導入状況": df["cloud_status"].map({s: vocab.STATUS_SPELLINGS[s][0] for s in vocab.STATUSES}),
    })


def _write(tmp_path, df, name="bad.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def _hashes(folder):
    """Every file (sha256) and link (target) under folder, but the lock file (its note names the last holder)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = "-> " + str(p.readlink())
        elif p.is_file() and p.name != store.LOCK:
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.mark.slow
@pytest.mark.data
def test_a_bad_file_changes_nothing_in_processed(tmp_path, simulated, frame, processed_copy, capsys):
    df = _real_like(simulated, frame)
    df.loc[10, "人口"] = "-5"
    bad = _write(tmp_path, df)
    before = _hashes(processed_copy)
    assert cli.main(["build", "--survey", str(bad)]) == 2
    assert "population must be a positive whole number" in capsys.readouterr().err
    assert cli.main(["check-survey", str(bad)]) == 2
    assert _hashes(processed_copy) == before


@pytest.mark.slow
@pytest.mark.data
def test_a_good_file_builds_a_reported_survey(tmp_path, simulated, frame, processed_copy, capsys):
    good = _write(tmp_path, _real_like(simulated, frame), "good.csv")
    assert cli.main(["check-survey", str(good)]) == 0
    out = capsys.readouterr().out
    assert "valid (1741 municipalities" in out and "nothing was written" in out
    assert cli.main(["build", "--survey", str(good)]) == 0
    info = store.read_table("survey_input").iloc[0]
    assert info["input"] == "reported" and info["file"] == "good.csv"
    assert info["sha256"] == hashlib.sha256(good.read_bytes()).hexdigest()
    rec = store.read_table("reconciliation")
    assert (rec["topic"] == "survey (reported)").sum() == 70
    # The reported status counts carry no excuse: their mismatches are left unexplained for a person to read.
    assert set(checks.unexplained(rec)["check_id"]) == {f"survey.status_count.{c}.{s}" for c in (1, 2, 3)
                                                         for s in ("joint", "none")}


@pytest.mark.slow
@pytest.mark.data
def test_a_file_without_status_builds_models_of_joint_against_all_others(tmp_path, simulated, frame,
                                                                         processed_copy, capsys):
    """No status column: no single-cloud term anywhere, savings per class with their support, PPML beside OLS."""
    no_status = _write(tmp_path, _real_like(simulated, frame).drop(columns=["クラウド導入状況"]), "no_status.csv")
    assert cli.main(["build", "--survey", str(no_status)]) == 0
    coefs = store.read_table("model_coefficients")
    assert "single cloud" not in set(coefs["term"]) and "joint cloud" in set(coefs["term"])
    assert coefs.loc[coefs["model"] == "main", "p_value"].notna().all()  # a real file: p-values are kept
    saving = store.read_table("model_counterfactual")
    main = saving[(saving["model"] == "main") & (saving["area"] == "全国")]
    assert set(main["counterfactual_status"]) == {"not_joint"}
    assert sorted(main["class_id"].dropna().astype(int)) == [1, 2, 3, 4, 5, 6]
    assert main.set_index("class_id").loc[[5, 6], "extrapolation"].all()
    assert {"ppml", "ols"} <= set(store.read_table("model_comparison")["estimator"])
    assert "joint or not" in store.read_table("survey_input")["status_source"].iloc[0]
    rec = store.read_table("reconciliation")
    assert checks.unexplained(rec).empty  # the joint/not-joint counts differ from the published as the list does



@pytest.mark.slow
@pytest.mark.data
def test_a_failure_while_writing_changes_nothing(tmp_path, simulated, frame, processed_copy, monkeypatch):
    """The file is valid; the write itself fails midway: data/processed must stay as it was."""
    good = _write(tmp_path, _real_like(simulated, frame), "good.csv")
    before = _hashes(processed_copy)
    real = store._write_parquet

    def failing(df, path):
        if path.name == "survey.parquet":
            raise OSError("disk full")
        real(df, path)

    monkeypatch.setattr(store, "_write_parquet", failing)
    with pytest.raises(store.StoreError, match=r"survey\.parquet: disk full; nothing was switched"):
        from jichitai_cloud import build
        build.build(survey_file=good, log=lambda *_: None)
    assert _hashes(processed_copy) == before




def _cost_col():
    return "情報システム経費（千円）"


@pytest.mark.slow
@pytest.mark.data
@pytest.mark.parametrize("value, message", [
    ("0", r"row 12, column '情報システム経費（千円）': cost '0' for (\d{6}) .*: zero is not a plausible IT cost"),
    ("x1000", r"row 12, column '情報システム経費（千円）': '[\d,.]+' \(千円\) for (\d{6}) .* per resident .*above the "
              r"largest published figure \(583,313円\); is the unit right\? If the value is verified, pass "
              r"--accept-outlier \1"),
])
def test_check_survey_and_build_refuse_the_same_implausible_row(tmp_path, simulated, frame, processed_copy, capsys,
                                                                value, message):
    """Finding 6: a zero, or one row 1,000 times too large or too small, is refused by both commands alike."""
    df = _real_like(simulated, frame)
    cost = float(df.loc[10, _cost_col()].replace(",", ""))
    df.loc[10, _cost_col()] = {"0": "0", "x1000": f"{cost * 1000:,.3f}"}[value]
    bad = _write(tmp_path, df)
    before = _hashes(processed_copy)
    lines = {}
    for command in ("check-survey", "build"):
        args = [command, str(bad)] if command == "check-survey" else [command, "--survey", str(bad)]
        assert cli.main(args) == 2, command
        err = capsys.readouterr().err
        assert "Traceback" not in err
        lines[command] = err.split("error: ", 1)[1]
        m = re.search(message, err)
        assert m, err
        code = m.group(1)
        assert code == df.loc[10, "団体コード"] and df.loc[10, "団体名"] in err
    assert lines["check-survey"] == lines["build"]  # one validation, one message
    assert _hashes(processed_copy) == before


@pytest.mark.slow
@pytest.mark.data
def test_a_verified_extreme_is_kept_with_accept_outlier(tmp_path, simulated, frame, processed_copy, capsys):
    df = _real_like(simulated, frame)
    cost = float(df.loc[10, _cost_col()].replace(",", ""))
    df.loc[10, _cost_col()] = f"{cost * 1000:,.3f}"
    code, name = df.loc[10, "団体コード"], df.loc[10, "団体名"]
    path = _write(tmp_path, df)
    assert cli.main(["check-survey", str(path), "--accept-outlier", code[:5]]) == 0  # 5 digits: check digit added
    out = capsys.readouterr().out
    per_resident = cost * 1000 * 1000 / int(df.loc[10, "人口"].replace(",", ""))
    assert f"accepted outlier {code} " in out and name in out and f"{per_resident:,.1f}円 per resident" in out
    assert cli.main(["build", "--survey", str(path), "--accept-outlier", code]) == 0
    assert store.manifest()["survey"]["accepted_outliers"] == [code]
    got = store.read_table("survey").set_index("code")
    assert got.loc[code, "it_cost_yen"] == round(cost * 1000 * 1000)
    # a code that is not an outlier is refused: a flag left over must not hide anything
    other = df.loc[11, "団体コード"]
    assert cli.main(["check-survey", str(path), "--accept-outlier", code, "--accept-outlier", other]) == 2
    assert f"--accept-outlier {other} (" in capsys.readouterr().err

