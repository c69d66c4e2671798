import errno
import os
import re
import shutil

import pytest

from jichitai_cloud import cli, paths, store


def test_bad_scope_exits_2_with_the_valid_values(capsys):
    assert cli.main(["report", "--scope", "moon"]) == 2
    err = capsys.readouterr().err
    assert "scope must be one of national" in err and "'moon'" in err


def test_tables_lists_every_processed_table(capsys):
    assert cli.main(["tables"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in store.TABLES)


def test_verify(capsys):
    assert cli.main(["verify"]) == 0
    assert "ok source_document/" in capsys.readouterr().out


def test_refresh_notebooks_refuses_a_real_survey(monkeypatch, tmp_path, capsys):
    from jichitai_cloud import survey

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
    def no_space(df, path):
        raise OSError(errno.ENOSPC, "No space left on device")  # as pyarrow raises it: no file name

    monkeypatch.setattr(store, "_write_parquet", no_space)
    return ["build"]


def _no_sources_manifest(d, monkeypatch, command):
    monkeypatch.setattr(paths, "MANIFEST_PATH", d / "SOURCES.yml")
    return command


# Finding 7, each case: how to make it, and what the one line must say.
USER_ERRORS = {
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
    from jichitai_cloud import render

    lines = []
    cores = len(os.sched_getaffinity(0))
    monkeypatch.setattr(render, "available_memory", lambda: 64 * 2 ** 30)
    assert render.worker_count(118, lines.append) == cores
    assert lines == [f"--workers 118: capped at {cores} ({cores} usable core{'s' if cores > 1 else ''})"]
    assert render.worker_count(None, lines.append) == cores and len(lines) == 1  # the default is the cap, silently
    monkeypatch.setattr(render, "available_memory", lambda: render.WORKER_MEMORY_BYTES + 1)  # room for one
    assert render.worker_count(cores, lines.append) == 1 and "of memory available" in lines[-1]


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
