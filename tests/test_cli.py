import errno
import os
import re
import shutil

import pytest

from jichitai_cloud import cli, paths
from jichitai_cloud.io import store


@pytest.mark.data
def test_bad_scope_exits_2_with_the_valid_values(capsys):
    assert cli.main(["report", "--scope", "moon"]) == 2
    err = capsys.readouterr().err
    assert "scope must be one of national" in err and "'moon'" in err


def test_tables_lists_every_processed_table(capsys):
    assert cli.main(["tables"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in store.TABLES)


@pytest.mark.data
def test_verify(capsys):
    assert cli.main(["verify"]) == 0
    assert "ok source_document/" in capsys.readouterr().out


def test_refresh_notebooks_refuses_a_real_survey(monkeypatch, tmp_path, capsys):
    from jichitai_cloud import survey

    (tmp_path / "real.csv").write_bytes(b"")
    monkeypatch.setenv(survey.SURVEY_ENV, str(tmp_path / "real.csv"))
    assert cli.main(["refresh-notebooks"]) == 2
    assert "committed notebooks show the simulated survey only" in capsys.readouterr().err


# --- issue 14: every user error is one line, never a traceback ----------------------------------------------

def _no_traceback(capsys, code, expected):
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and err.strip()
    lines = err.strip().splitlines()
    assert all(line.startswith("jichitai-cloud ") and ": error: " in line for line in lines), err
    assert re.search(expected, err), err
    return lines


@pytest.fixture
def no_build(tmp_path, monkeypatch):
    """An empty data/processed, so that nothing here can change the real one."""
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path / "reports")
    return tmp_path


REAL_PROCESSED = paths.PROCESSED_DIR


def _csv_named_xlsx(d):
    path = d / "csv.xlsx"
    path.write_text("団体コード,情報システム経費（千円）\n011002,1\n", encoding="utf-8")
    return ["check-survey", str(path)]


def _damaged_build(d, monkeypatch, command):
    copy = d / "copy"
    shutil.copytree(REAL_PROCESSED, copy, symlinks=True)
    monkeypatch.setattr(paths, "PROCESSED_DIR", copy)
    table = copy / store.BUILDS / store.current_build(copy) / "survey.parquet"
    table.write_bytes(table.read_bytes()[: table.stat().st_size // 2])
    return command


def _full_disk(d, monkeypatch):
    import shutil

    from jichitai_cloud.io import cache

    def no_space(df, path):
        raise OSError(errno.ENOSPC, "No space left on device")  # as pyarrow raises it: no file name

    monkeypatch.setattr(store, "_write_parquet", no_space)
    # the survey-free tables from the real build's cache (not a build: none is current), so that the build
    # computes only the survey and the models before it writes
    shutil.copytree(REAL_PROCESSED / cache.FOLDER, d / "processed" / cache.FOLDER)
    return ["build"]


def _no_sources_manifest(d, monkeypatch, command):
    monkeypatch.setattr(paths, "MANIFEST_PATH", d / "SOURCES.yml")
    return command


def _loop(d) -> str:
    """A symbolic link loop: a -> b -> a."""
    os.symlink(d / "loop_b.csv", d / "loop_a.csv")
    os.symlink(d / "loop_a.csv", d / "loop_b.csv")
    return str(d / "loop_a.csv")


def _survey_env(d, monkeypatch, value):
    from jichitai_cloud import survey

    monkeypatch.setenv(survey.SURVEY_ENV, value)
    return ["build"]


def _damaged_xlsx(d):
    """A workbook whose sheet XML is cut short inside a valid zip (a ParseError traceback before issue 18)."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["団体コード", "情報システム経費（千円）"])
    wb.active.append(["011002", 1])
    wb.save(d / "good.xlsx")
    with zipfile.ZipFile(d / "good.xlsx") as zin, zipfile.ZipFile(d / "cut.xlsx", "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data[: len(data) // 2] if info.filename == "xl/worksheets/sheet1.xml" else data)
    return ["check-survey", str(d / "cut.xlsx")]


LOOP = r": a symbolic link loop \(a link that leads back to itself\); give the real path$"

# Finding 7, each case: how to make it, and what the one line must say.
USER_ERRORS = {
    # issue 18, case 8: a symbolic link loop wherever a path is given
    "a loop as --reports-dir (report)": (lambda d, mp: ["report", "--reports-dir", _loop(d)], r"--reports-dir" + LOOP),
    "a loop as --reports-dir (reports)": (lambda d, mp: ["reports", "--all", "--reports-dir", _loop(d)],
                                          r"--reports-dir" + LOOP),
    "a loop as --survey (build)": (lambda d, mp: ["build", "--survey", _loop(d)], r"loop_a\.csv: --survey" + LOOP),
    "a loop as --survey (report)": (lambda d, mp: ["report", "--survey", _loop(d)], r"loop_a\.csv: --survey" + LOOP),
    "a loop as check-survey's file": (lambda d, mp: ["check-survey", _loop(d)], r"loop_a\.csv: the survey file" + LOOP),
    "a loop as $JICHITAI_CLOUD_SURVEY": (lambda d, mp: _survey_env(d, mp, _loop(d)),
                                         r"loop_a\.csv: \$JICHITAI_CLOUD_SURVEY" + LOOP),
    # issue 18, case 5: a damaged workbook
    "a damaged XLSX sheet": (lambda d, mp: _damaged_xlsx(d), r"cut\.xlsx: sheet 'Sheet' cannot be read \(ParseError: "
                                                             r".*\); open it in Excel and save it again as \.xlsx$"),
    # issue 18, case 8: simulate's options, refused before anything is computed
    "simulate --seed -1": (lambda d, mp: ["simulate", "--seed", "-1"],
                           r"seed must be a whole number from 0 to 9223372036854775807; got -1$"),
    "simulate --effects 0,0,0": (lambda d, mp: ["simulate", "--effects", "0,0,0"],
                                 r"effects must differ from each other; 0 is given more than once$"),
    "simulate --effects beyond the bounds": (lambda d, mp: ["simulate", "--effects", "-0.95,0.2"],
                                             r"effects must lie between -0.9 and 1.0 .*; got -0.95, 0.2$"),
    "simulate with too many effects": (lambda d, mp: ["simulate", "--effects", ",".join(str(k / 100) for k in range(21))],
                                       r"effects: give 1 to 20 assumed effects; got 21$"),
    "a CSV named .xlsx": (lambda d, mp: _csv_named_xlsx(d), r"csv\.xlsx: not an XLSX workbook \(it looks like text: "
                                                              r"a CSV file named \.xlsx\? rename it to \.csv\)$"),
    "check-survey on a missing path": (lambda d, mp: ["check-survey", str(d / "nowhere.csv")],
                                       r"nowhere\.csv: no such file$"),
    "check-survey on a folder": (lambda d, mp: ["check-survey", str(d)], r": is a folder; give the survey file itself"),
    "a truncated table, through report": (lambda d, mp: _damaged_build(d, mp, ["report"]),
                                          r"survey\.parquet is damaged .*; run `jichitai-cloud build`"),
    "a truncated table, through reports": (lambda d, mp: _damaged_build(d, mp, ["reports", "--all"]),
                                           r"survey\.parquet is damaged .*; run `jichitai-cloud build`"),
    "a full disk": (_full_disk, r"could not write .*/builds/\.staging-[\w-]+/[a-z_]+\.parquet: No space left on device "
                                r"\(the disk is full, or a file-size limit was reached\); nothing was switched"),
    "a deleted SOURCES.yml, through verify": (lambda d, mp: _no_sources_manifest(d, mp, ["verify"]),
                                              r"SOURCES\.yml is missing; it is part of the repository: restore it "
                                              r"with `git checkout"),
    "a deleted SOURCES.yml, through build": (lambda d, mp: _no_sources_manifest(d, mp, ["build"]),
                                             r"SOURCES\.yml is missing"),
}


@pytest.mark.data
@pytest.mark.parametrize("case", list(USER_ERRORS))
def test_each_user_error_is_one_line_without_a_traceback(no_build, monkeypatch, capsys, case):
    """Finding 7: each case of the issue ends with exit code 2 and one line, nothing raised, nothing changed."""
    make, expected = USER_ERRORS[case]
    args = make(no_build, monkeypatch)
    lines = _no_traceback(capsys, cli.main(args), expected)
    assert len(lines) == 1
    assert not (no_build / "processed" / "current").exists() and not (no_build / "reports" / "national").exists()


def test_no_build_is_one_line(no_build, capsys):
    for args in (["report"], ["reports", "--all"], ["reconcile"]):
        _no_traceback(capsys, cli.main(args), r"holds no complete build; run `jichitai-cloud build`")


@pytest.mark.parametrize("workers", ["0", "-5"])
def test_workers_below_one_are_refused(no_build, capsys, workers):
    """Finding 8: --workers 0 and -5 were accepted."""
    _no_traceback(capsys, cli.main(["reports", "--all", "--workers", workers]),
                  rf"--workers must be at least 1; got {workers}$")


def test_workers_are_capped_at_the_usable_cores_with_a_message(monkeypatch):
    """Finding 8: --workers 118 started 118 kernels."""
    from jichitai_cloud.report import render

    lines = []
    cores = len(os.sched_getaffinity(0))
    monkeypatch.setattr(render, "available_memory", lambda: 64 * 2 ** 30)
    assert render.worker_count(118, lines.append) == cores
    assert lines == [f"--workers 118: capped at {cores} ({cores} usable core{'s' if cores > 1 else ''})"]
    assert render.worker_count(None, lines.append) == cores and len(lines) == 1  # the default is the cap, silently
    monkeypatch.setattr(render, "available_memory", lambda: render.WORKER_MEMORY_BYTES + 1)  # room for one
    assert render.worker_count(cores, lines.append) == 1 and "of memory available" in lines[-1]


@pytest.mark.data
def test_reconcile_lists_the_mismatches_with_their_explanations(capsys):
    rec = store.read_table("reconciliation")
    assert cli.main(["reconcile"]) == 0
    out = capsys.readouterr().out
    bad = rec[rec["status"] == "mismatch"]
    assert len(bad) and all(f"mismatch {r.check_id}: " in out and r.explanation in out for r in bad.itertuples())
    assert f"{len(rec)} checks, 0 unexplained mismatch(es)" in out
    assert cli.main(["reconcile", "--all"]) == 0
    assert capsys.readouterr().out.count("\nok       ") == int((rec["status"] == "ok").sum())


@pytest.mark.parametrize("argv, message", [
    (["report", "--scope", "group", "--group-id", "abc"], r"^jichitai-cloud report: error: argument --group-id: invalid "
                                                           r"int value: 'abc' \(see jichitai-cloud report --help\)$"),
    (["simulate", "--draws"], r"^jichitai-cloud simulate: error: argument --draws: expected one argument"),
    (["no-such-command"], r"^jichitai-cloud: error: argument command: invalid choice"),
])
def test_a_bad_option_is_one_line_too(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and len(err.strip().splitlines()) == 1 and re.search(message, err.strip()), err


@pytest.mark.data
def test_negative_effects_pass_the_argument_parser(monkeypatch, capsys):
    """Issue 18, case 9: `simulate --effects -0.1,-0.2` was refused by argparse (a value starting with '-')."""
    from jichitai_cloud.analysis import simulation

    seen = []

    def stop(study, *a, **k):
        seen.append(study.effects)
        raise KeyboardInterrupt  # computed enough: the options parsed

    monkeypatch.setattr(simulation, "run", stop)
    assert cli.main(["simulate", "--draws", "3", "--effects", "-0.1,-0.2", "--no-progress"]) == 130
    assert seen == [(-0.1, -0.2)]
    assert cli._values_starting_with_minus(["simulate", "--effects", "-0.1", "--seed", "-1"]) == [
        "simulate", "--effects=-0.1", "--seed", "-1"]


def test_progress_lines_estimate_the_time_left(monkeypatch, capsys):
    """Issue 18, case 9: `simulate --draws 100000` ran for hours in silence. Off a terminal: a line every 30 s."""
    import time

    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    progress = cli._Progress(400_000, "draws", "lines")
    clock[0] += 10
    progress(100)  # before 30 s: nothing yet
    clock[0] += 50
    progress(1_000)  # 60 s for 1,000 draws: 399,000 left at that rate is 23,940 s
    progress.close()
    assert capsys.readouterr().err.splitlines() == [
        "jichitai-cloud simulate: 1,000 of 400,000 draws (0%) in 60 s; about 6 h 39 min left"]
    silent = cli._Progress(10, "draws", None)
    clock[0] += 100
    silent(5)
    assert capsys.readouterr().err == ""


def test_only_user_errors_become_one_line(monkeypatch, capsys):
    """A JichitaiError (here the report layer's) is one line and exit 2; any other exception is a bug and keeps
    its traceback (the command line relabels nothing)."""
    from jichitai_cloud.errors import ReportError

    def user_error(args):
        raise ReportError("reports/national: something the user can fix\nand a second line")

    monkeypatch.setattr(cli, "_tables", user_error)
    lines = _no_traceback(capsys, cli.main(["tables"]), r"something the user can fix")
    assert lines == ["jichitai-cloud tables: error: reports/national: something the user can fix",
                     "jichitai-cloud tables: error: and a second line"]

    def bug(args):
        raise ValueError("a bug")

    monkeypatch.setattr(cli, "_tables", bug)
    with pytest.raises(ValueError, match="a bug"):
        cli.main(["tables"])
