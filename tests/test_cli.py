import os
import re

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


@pytest.mark.parametrize("make, expected", [
    (lambda d: d / "nowhere.csv", r"nowhere\.csv: no such file$"),
    (lambda d: d, r": is a folder; give the survey file itself"),
    (lambda d: (d / "csv.xlsx").write_text("団体コード,情報システム経費（千円）\n", encoding="utf-8") and d / "csv.xlsx",
     r"csv\.xlsx: not an XLSX workbook \(it looks like text"),
])
def test_check_survey_on_a_bad_path_is_one_line(tmp_path, capsys, make, expected):
    """Finding 7: a missing path, a folder, a CSV named .xlsx."""
    _no_traceback(capsys, cli.main(["check-survey", str(make(tmp_path))]), expected)


def test_a_missing_sources_manifest_is_one_line(no_build, monkeypatch, capsys):
    """Finding 7: a deleted data/raw/SOURCES.yml."""
    monkeypatch.setattr(paths, "MANIFEST_PATH", no_build / "SOURCES.yml")
    for args in (["verify"], ["build"]):
        _no_traceback(capsys, cli.main(args), r"SOURCES\.yml is missing; it is part of the repository: restore it "
                                              r"with `git checkout")
    assert not (no_build / "processed" / "current").exists()


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
