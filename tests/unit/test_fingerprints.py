"""An export's digest: its content decides, not its time; the cache is read before the file."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from likertflow.fingerprints import Fingerprints, digest


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "raw" / "export_2019-05-13.csv"
    path.parent.mkdir()
    path.write_bytes(b"ResponseId,Q1\nR_1,Agree\n")
    return path


def test_digest_is_blake2b_of_the_bytes(export):
    expected = hashlib.blake2b(export.read_bytes(), digest_size=16).hexdigest()
    assert digest(export) == expected
    assert len(expected) == 32


def test_a_new_time_on_the_same_bytes_keeps_the_fingerprint(export, tmp_path):
    prints = Fingerprints(tmp_path / "cache.json")
    before = prints.of(export)
    status = export.stat()
    os.utime(export, ns=(status.st_atime_ns, status.st_mtime_ns + 5 * 10**9))
    assert prints.of(export) == before
    assert Fingerprints(tmp_path / "cache.json").of(export) == before


def test_a_corrected_export_with_an_older_time_changes_it(export, tmp_path):
    prints = Fingerprints(tmp_path / "cache.json")
    before = prints.of(export)
    status = export.stat()
    corrected = b"ResponseId,Q1\nR_2,Agree\n"  # the same size: only the bytes tell
    export.write_bytes(corrected)
    os.utime(export, ns=(status.st_atime_ns, status.st_mtime_ns - 10**9))
    after = Fingerprints(tmp_path / "cache.json").of(export)
    assert after != before
    expected = hashlib.blake2b(corrected, digest_size=16).hexdigest()
    assert after == f"{len(corrected)} bytes, blake2b {expected}"


def test_same_size_and_time_reads_the_cache_not_the_file(export, tmp_path):
    """A million-response export is not read again on every start: the cache's digest is used
    while the file's size and time are those it was made for."""
    cache = tmp_path / "cache.json"
    Fingerprints(cache).of(export)
    key = str(export.resolve())
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert stored[key][:2] == [export.stat().st_size, export.stat().st_mtime_ns]
    stored[key][2] = "f" * 32  # a digest only the cache can give
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert Fingerprints(cache).of(export).endswith("f" * 32)


def test_an_unreadable_cache_is_made_again(export, tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json", encoding="utf-8")
    assert Fingerprints(cache).of(export).endswith(digest(export))
    assert json.loads(cache.read_text(encoding="utf-8"))[str(export.resolve())][2] == digest(
        export
    )


def test_a_reader_that_may_not_write_leaves_the_cache_alone(export, tmp_path):
    """Cluster jobs read the digests; only the main process writes them."""
    cache = tmp_path / "cache.json"
    assert Fingerprints(cache, write=False).of(export).endswith(digest(export))
    assert not cache.exists()


def test_a_cache_folder_that_cannot_be_made_changes_nothing(export, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")  # a file where the cache's folder should be
    prints = Fingerprints(blocker / "likertflow" / "exports.json")
    assert prints.of(export).endswith(digest(export))
    assert set(tmp_path.iterdir()) == {export.parent, blocker}


def test_the_cache_folder_is_made_with_its_parents(export, tmp_path):
    cache = tmp_path / ".snakemake" / "likertflow" / "exports.json"
    Fingerprints(cache).of(export)
    assert json.loads(cache.read_text(encoding="utf-8"))[str(export.resolve())][2] == digest(
        export
    )
    assert sorted(path.name for path in cache.parent.iterdir()) == ["exports.json"]


def test_a_cache_that_cannot_be_replaced_leaves_no_temporary_file(export, tmp_path):
    cache = tmp_path / "exports.json"
    cache.mkdir()  # a folder where the cache should be: os.replace fails
    assert Fingerprints(cache).of(export).endswith(digest(export))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["exports.json", "raw"]
