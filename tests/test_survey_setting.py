"""The survey in use (survey/setting.py): chosen once, used by every build until switched back; a file that
changed or went stops the build in one line; --survey and --simulated are for one build only."""

import json
import os
import subprocess
import sys

import pytest

from jichitai_cloud import paths
from jichitai_cloud.errors import SurveyFileError
from jichitai_cloud.survey import inputs, setting


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    for name in (inputs.SURVEY_ENV, inputs.COST_UNIT_ENV, inputs.ACCEPT_OUTLIERS_ENV, "JICHITAI_CLOUD_SURVEY_SHEET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(inputs, "DROP_IN_DIR", tmp_path / "no_drop_in")


def _choose(path, **kw):
    import hashlib

    return setting.choose(path, hashlib.sha256(path.read_bytes()).hexdigest(), kw.get("cost_unit"), kw.get("sheet"),
                          kw.get("accepted_outliers", ()))


def test_the_setting_lives_in_data_raw_and_is_git_ignored():
    assert setting.path() == paths.RAW_DIR / "survey-in-use.json"  # the guard's data/raw for unit tests
    ignored = subprocess.run(["git", "check-ignore", "-q", "data/raw/survey-in-use.json"], cwd=paths.PROJECT_ROOT)
    assert ignored.returncode == 0


def test_a_chosen_file_is_used_by_every_build_until_switched_back(no_env, tmp_path, monkeypatch):
    assert setting.chosen() is None and inputs.configured_input().kind == "simulated"
    real = tmp_path / "real.csv"
    real.write_bytes(b"code,cost\n")
    _choose(real, cost_unit="千円", accepted_outliers=("011002",))
    source = inputs.configured_input()
    assert (source.path, source.configured_by) == (real.resolve(), setting.CONFIGURED_BY)
    assert source.cost_unit == "千円" and source.accept_outliers == ("011002",)
    # one build with another file, or simulated, changes nothing chosen
    other = tmp_path / "other.csv"
    other.write_bytes(b"x")
    assert inputs.configured_input(other).configured_by == "--survey"
    assert inputs.configured_input(simulated=True).kind == "simulated"
    assert inputs.configured_input().path == real.resolve()
    monkeypatch.setenv(inputs.SURVEY_ENV, str(other))  # the environment of a scheduled job comes first
    assert inputs.configured_input().path == other.resolve()
    monkeypatch.delenv(inputs.SURVEY_ENV)
    # a file in data/raw/survey/ does not override an explicit choice, simulated included
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "dropped.csv").write_bytes(b"y")
    monkeypatch.setattr(inputs, "DROP_IN_DIR", drop)
    assert inputs.configured_input().path == real.resolve()
    setting.choose_simulated()
    assert inputs.configured_input().kind == "simulated"
    assert inputs.simulated_because(False) == f"chosen with {setting.CONFIGURED_BY}"
    setting.path().unlink()
    assert inputs.configured_input().path == (drop / "dropped.csv").resolve()
    with pytest.raises(SurveyFileError, match="give one of them"):
        inputs.configured_input(other, simulated=True)


def test_a_changed_or_missing_chosen_file_stops_the_build_in_one_line(no_env, tmp_path):
    real = tmp_path / "my survey.csv"
    real.write_bytes(b"code,cost\n011002,1\n")
    _choose(real)
    real.write_bytes(b"code,cost\n011002,2\n")
    with pytest.raises(SurveyFileError) as err:
        inputs.configured_input()
    message = str(err.value)
    assert "changed since it was chosen" in message and "\n" not in message
    assert f"`jichitai-cloud survey use '{real}'`" in message  # a command that can be pasted, quoted
    real.unlink()
    with pytest.raises(SurveyFileError, match=r"my survey\.csv: no such file; restore it, or choose again"):
        inputs.configured_input()


@pytest.mark.parametrize("content", [b"{not json", b'{"input": "reported"}', b'{"input": "other"}', b"[1, 2]",
                                     b'{"input": "simulated", "unknown_key": 1}', b"\xff\xfe"])
def test_a_damaged_setting_is_refused_in_one_line(no_env, content):
    setting.path().write_bytes(content)
    with pytest.raises(SurveyFileError, match=r"survey-in-use\.json: the survey setting (is damaged|cannot be read)"):
        inputs.configured_input()


def test_a_setting_that_is_not_a_regular_file_is_refused(no_env):
    os.mkfifo(setting.path())
    with pytest.raises(SurveyFileError, match="is a named pipe"):
        setting.chosen()


def test_choosing_replaces_the_setting_whole_and_leaves_nothing_beside_it(no_env, tmp_path):
    real = tmp_path / "a.csv"
    real.write_bytes(b"1")
    _choose(real)
    setting.choose_simulated()
    doc = json.loads(setting.path().read_text(encoding="utf-8"))
    assert doc["input"] == "simulated" and set(doc) == {"input", "chosen"}
    leftovers = [p.name for p in paths.RAW_DIR.iterdir() if p.name.endswith(".part") or p.name == ".cleanup.journal"]
    assert leftovers == []
