import hashlib
import re
import stat

import pytest
import yaml

from jichitai_cloud import paths
from jichitai_cloud.io import sources


def _manifest(tmp_path, files: dict[str, bytes], sha_override: dict[str, str] | None = None):
    entries = []
    for name, content in files.items():
        entries.append({
            "file": name,
            "sha256": (sha_override or {}).get(name, hashlib.sha256(content).hexdigest()),
            "publisher": "総務省", "title": "テスト", "official_page": "https://example.invalid/page",
            "licence": "CC BY 4.0", "basis_date": "2017-01-01",
        })
    path = tmp_path / "SOURCES.yml"
    transcribed = yaml.safe_load(paths.MANIFEST_PATH.read_text(encoding="utf-8"))["transcribed"]  # the real ones
    path.write_text(yaml.safe_dump({"files": entries, "transcribed": transcribed}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A datastore and an empty data/raw/ in tmp_path, with the manifest pointed at them."""
    store, raw = tmp_path / "store", tmp_path / "raw"
    (store / "sub").mkdir(parents=True)
    raw.mkdir()
    monkeypatch.setattr(paths, "RAW_DIR", raw)
    monkeypatch.setenv(paths.DATASTORE_ENV, str(store))

    def setup(files, sha_override=None, write=True):
        if write:
            for name, content in files.items():
                (store / name).write_bytes(content)
        monkeypatch.setattr(paths, "MANIFEST_PATH", _manifest(tmp_path, files, sha_override))
        return store, raw

    return setup


@pytest.mark.data
def test_manifest_agrees_with_the_datastore_sources_md():
    """Every checksum in data/raw/SOURCES.yml is the one the datastore documents."""
    documented = dict(re.findall(r"^\| (\S+) \| ([0-9a-f]{64}) \|$",
                                 (paths.datastore_dir() / "SOURCES.md").read_text(encoding="utf-8"), re.M))
    entries = sources.manifest()
    assert len(entries) >= 5
    for e in entries:
        assert documented.get(e.file) == e.sha256, e.file


@pytest.mark.data
def test_raw_files_in_data_raw_verify():
    assert {e.file for e in sources.verify()} >= {sources.SOURCE_DOCUMENT}


def test_materialise_copies_verifies_and_is_idempotent(sandbox):
    store, raw = sandbox({"sub/a.csv": "団体コード\n".encode()})
    log = []
    sources.materialise(log=log.append)
    copy = raw / "sub" / "a.csv"
    assert copy.read_bytes() == (store / "sub" / "a.csv").read_bytes()
    assert not copy.stat().st_mode & stat.S_IWUSR  # raw copies are read-only
    assert log == ["copied sub/a.csv (sha256 ok)"]
    log.clear()
    sources.materialise(log=log.append)
    assert log == []
    assert not list(raw.rglob("*.part"))


def test_altered_datastore_file_stops_with_name_checksum_and_where(sandbox):
    expected = "0" * 64
    _, raw = sandbox({"sub/a.csv": b"x"}, sha_override={"sub/a.csv": expected})
    with pytest.raises(sources.SourceError) as err:
        sources.materialise()
    msg = str(err.value)
    assert "sub/a.csv" in msg and expected in msg and "https://example.invalid/page" in msg
    assert not (raw / "sub" / "a.csv").exists()


def test_missing_datastore_file_names_it(sandbox):
    sandbox({"sub/missing.csv": b"x"}, write=False)
    with pytest.raises(sources.SourceError, match=r"missing raw file sub/missing.csv.*example.invalid"):
        sources.materialise()


def test_every_missing_or_altered_file_is_listed_at_once_and_nothing_is_copied(sandbox):
    store, raw = sandbox({"sub/a.csv": b"a", "sub/b.csv": b"b", "sub/c.csv": b"c", "sub/d.csv": b"d"},
                         sha_override={"sub/c.csv": "0" * 64})
    (store / "sub" / "a.csv").unlink()
    (store / "sub" / "b.csv").unlink()
    with pytest.raises(sources.SourceError) as err:
        sources.materialise()
    lines = str(err.value).splitlines()
    assert [line.split(" (")[0] for line in lines[:2]] == ["missing raw file sub/a.csv", "missing raw file sub/b.csv"]
    assert lines[2].startswith(f"{store / 'sub' / 'c.csv'}: sha256 is ") and len(lines) == 4
    assert lines[3] == "3 of 4 raw files cannot be used; nothing was copied"
    assert not (raw / "sub" / "d.csv").exists()  # the good one is not copied either: a run changes all or nothing


def test_altered_copy_in_data_raw_stops_and_is_not_overwritten(sandbox):
    _, raw = sandbox({"sub/a.csv": b"original"})
    sources.materialise()
    copy = raw / "sub" / "a.csv"
    copy.chmod(0o644)
    copy.write_bytes(b"edited")
    with pytest.raises(sources.SourceError, match="altered"):
        sources.materialise()
    with pytest.raises(sources.SourceError, match="altered"):
        sources.verify()
    assert copy.read_bytes() == b"edited"


@pytest.mark.parametrize("entry, message", [
    ({"file": "a", "sha256": "abc"}, "lacks"),
    ({"file": "a", "sha256": "xyz" * 21 + "x", "publisher": "p", "title": "t", "official_page": "o",
      "licence": "l", "basis_date": "b"}, "64 hex digits"),
])
def test_manifest_rejects_incomplete_entries(tmp_path, entry, message):
    path = tmp_path / "SOURCES.yml"
    path.write_text(yaml.safe_dump({"files": [entry]}), encoding="utf-8")
    with pytest.raises(sources.SourceError, match=message):
        sources.manifest(path)


def test_read_transcribed_names_file_and_row(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "TRANSCRIBED_DIR", tmp_path)
    (tmp_path / "survey_totals.csv").write_text("item,value,section\na,1,見出し\nb,2,\n", encoding="utf-8")
    with pytest.raises(sources.SourceError, match=r"survey_totals.csv: row 3, column section"):
        sources.read_transcribed("survey_totals")
    (tmp_path / "survey_totals.csv").write_text('item,value\n"a,1\n', encoding="utf-8")
    with pytest.raises(sources.SourceError, match="survey_totals.csv: not a well-formed"):
        sources.read_transcribed("survey_totals")


def test_messages_name_the_datastore_actually_searched(sandbox, tmp_path):
    sandbox({"sub/a.csv": b"x"})
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(sources.SourceError) as err:
        sources.materialise(other)
    assert str(other / "sub" / "a.csv") in str(err.value)
    assert hashlib.sha256(b"x").hexdigest() in str(err.value)


def test_a_missing_datastore_folder_is_named(sandbox, tmp_path):
    sandbox({"sub/a.csv": b"x"})
    with pytest.raises(sources.SourceError, match=r"datastore folder .*nowhere does not exist"):
        sources.materialise(tmp_path / "nowhere")


def test_verify_reports_every_problem_at_once(sandbox):
    _, raw = sandbox({"sub/a.csv": b"a", "sub/b.csv": b"b"})
    sources.materialise()
    for name in ("a.csv", "b.csv"):
        (raw / "sub" / name).chmod(0o644)
        (raw / "sub" / name).write_bytes(b"changed")
    with pytest.raises(sources.SourceError) as err:
        sources.verify()
    assert "sub/a.csv" in str(err.value) and "sub/b.csv" in str(err.value)


def test_every_transcribed_table_has_its_manifest_entry_with_its_slides():
    """Each file of data/raw/transcribed/ is recorded like a raw file: sha256, the document it was typed
    from, its table, its row count and the slide headings of its rows."""
    import csv

    entries = sources.transcribed_manifest()
    assert set(entries) == set(sources.TRANSCRIBED.values())
    for name, entry in entries.items():
        path = paths.TRANSCRIBED_DIR / name
        with open(path, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert entry["sha256"] == sources.sha256_of(path), name
        assert entry["typed_from"] == sources.SOURCE_DOCUMENT and entry["rows"] == len(rows), name
        assert entry["slides"] == list(dict.fromkeys(r["section"] for r in rows)), name


def test_an_edited_transcription_stops_the_build_with_what_to_do(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "transcribed"
    shutil.copytree(paths.TRANSCRIBED_DIR, copy)
    monkeypatch.setattr(paths, "TRANSCRIBED_DIR", copy)
    with open(copy / "survey_totals.csv", "a", encoding="utf-8") as fh:
        fh.write("x,1,円,1,x\n")
    with pytest.raises(sources.SourceError, match=r"transcribed/survey_totals.csv: sha256 is .* A deliberate "
                                                  r"correction of the transcription updates its sha256"):
        sources.verify()
