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
