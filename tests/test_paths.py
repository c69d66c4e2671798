from pathlib import Path

from jichitai_cloud import paths


def test_root_is_the_repository_not_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert (paths.PROJECT_ROOT / "pyproject.toml").is_file()
    assert paths.NOTEBOOKS_DIR == paths.PROJECT_ROOT / "notebooks"
    assert Path(paths.__file__).resolve().is_relative_to(paths.PROJECT_ROOT / "lib")


def test_datastore_default_and_override(monkeypatch, tmp_path):
    monkeypatch.delenv(paths.DATASTORE_ENV, raising=False)
    assert paths.datastore_dir() == (paths.PROJECT_ROOT.parent / "shared" / "datastore").resolve()
    monkeypatch.setenv(paths.DATASTORE_ENV, str(tmp_path))
    assert paths.datastore_dir() == tmp_path.resolve()


def test_a_root_that_is_not_the_project_is_refused_in_one_line(monkeypatch, tmp_path):
    from jichitai_cloud.errors import JichitaiError, SetupError

    monkeypatch.setenv(paths.ROOT_ENV, str(tmp_path))
    try:
        paths._find_root()
    except SetupError as exc:
        assert isinstance(exc, JichitaiError) and isinstance(exc, RuntimeError)
        assert str(exc).startswith(f"jichitai_cloud cannot find its project root (looked at {tmp_path.resolve()})")
        assert len(str(exc).splitlines()) == 1
    else:
        raise AssertionError("a folder without the project's pyproject.toml was taken for the root")
