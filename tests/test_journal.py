"""The journal of what a run stages: a cleanup removes exactly what runs recorded."""

import pytest


def test_a_journal_removes_what_it_lists_and_nothing_it_does_not(tmp_path):
    """Issue 18, case 1: what a run stages is recorded before it is created; the cleanup removes exactly that.
    An edited journal cannot direct a deletion outside its folder or onto a name of someone else's."""
    import json

    from jichitai_cloud.io import journal
    from jichitai_cloud.io.journal import NAME, Journal, part_name

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep", encoding="utf-8")
    folder = tmp_path / "reports"
    log = Journal(folder)
    staged = log.make_dir(folder, ".staging-report-")
    (staged / "half.ipynb").write_text("{", encoding="utf-8")
    part = log.record(part_name(folder / "index.html"))
    part.write_text("half", encoding="utf-8")
    foreign = [folder / ".staging-other", folder / ".download.part"]
    foreign[0].mkdir()
    foreign[1].write_text("a browser's", encoding="utf-8")
    journal.write_atomic(folder / "index.html", "whole", journal=log)  # its own .part: recorded, then gone
    with open(log.path, "a", encoding="utf-8") as fh:  # an edited journal
        for rel in ("../outside", "../outside/precious.txt", str(outside), ".staging-other", ".download.part"):
            fh.write(json.dumps({"path": rel}) + "\n")
        fh.write('{"path": ".staging-cut')  # a line cut by a kill
    removed = log.clean()
    assert sorted(removed) == sorted([staged, part])
    assert not staged.exists() and not part.exists() and not (folder / NAME).exists()
    assert all(p.exists() for p in foreign) and (outside / "precious.txt").read_text(encoding="utf-8") == "keep"
    assert (folder / "index.html").read_text(encoding="utf-8") == "whole"
    assert log.clean() == []  # nothing left to do, and no journal at rest
    with pytest.raises(ValueError, match="not a name of this journal's runs"):
        log.record(folder / ".staging-other")
