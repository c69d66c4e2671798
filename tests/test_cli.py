from jichitai_cloud import cli, store


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
