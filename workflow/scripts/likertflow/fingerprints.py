"""What an export holds, as a short digest of its bytes: a param of its ingest, so that a
corrected export under the same name reruns its validation whatever its modification time.

Snakemake reruns a job when an input is newer than its outputs (and, for inputs under 1 MB,
only when their content changed). A corrected export copied or unpacked with its original time
is older than the last run's outputs, and was missed: the tables kept the old batch's numbers
(issue 22, decision 6). A digest of the content catches it, and leaves a mere change of time
(``touch``, a copy of the project) rerunning nothing.

Reading a million-response export takes a while, so each digest is kept with the file's size
and modification time (ns) in ``.snakemake/likertflow/exports.json`` and read again only when
either changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

CACHE = Path(".snakemake") / "likertflow" / "exports.json"


def digest(path: str | Path) -> str:
    """The BLAKE2b digest (128 bits, hex) of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


class Fingerprints:
    """Each export's digest, read again only when its size or modification time changed."""

    def __init__(self, cache: Path = CACHE, write: bool = True):
        self.cache, self.write = Path(cache), write
        try:
            self.known = json.loads(self.cache.read_bytes())  # JSON in bytes: UTF-8
        except (OSError, ValueError):
            self.known = {}  # none yet, or unreadable: every export is read once more

    def of(self, path: str | Path) -> str:
        """``"<size> bytes, blake2b <digest>"`` of the export at ``path``."""
        status = os.stat(path)
        key, stamp = str(Path(path).resolve()), [status.st_size, status.st_mtime_ns]
        entry = self.known.get(key)
        if entry is None or entry[:2] != stamp:
            self.known[key] = [*stamp, digest(path)]
            if self.write:
                self._save()
        return f"{status.st_size} bytes, blake2b {self.known[key][2]}"

    def _save(self) -> None:
        """Write the cache whole, or not at all (a digest missing from it is made again)."""
        temporary = self.cache.with_name(self.cache.name + ".tmp")  # only the main process writes
        try:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(json.dumps(self.known).encode())
            os.replace(temporary, self.cache)
        except OSError:  # a read-only folder, a file or folder in the way: made again next time
            with contextlib.suppress(OSError):
                temporary.unlink()
