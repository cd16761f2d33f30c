"""Writing files atomically: a reader never sees half a file, and a failed run leaves the
previous output intact."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp creates 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


MARKER = ".qscore-output"  # in every folder qscore writes as a whole: only such a folder is ever replaced


def check_replaceable(folder: Path) -> None:
    """QscoreError unless `folder` is absent or a folder qscore wrote (it holds MARKER)."""
    from ..errors import QscoreError

    if folder.is_symlink() or folder.is_file():
        raise QscoreError(f"{folder} exists and is not a folder qscore wrote; move it away or choose another --out")
    if folder.exists() and not (folder / MARKER).is_file():
        raise QscoreError(f"{folder} exists and was not written by qscore (it has no {MARKER} file); "
                          "qscore replaces this folder as a whole, so move it away or choose another --out")


def write_folder_atomic(folder: Path, files: Iterable[tuple[str, bytes | str]]) -> Path:
    """Write a folder of files as one: they go into a hidden sibling folder, are flushed to
    disk together (one sync, not one per file: thousands of per-unit pages), and the
    folder is then renamed into place, replacing the previous one. A folder or file of the
    same name that qscore did not write is never replaced (QscoreError)."""
    check_replaceable(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    old: Path | None = None
    try:
        (tmp / MARKER).write_text("written by qscore; replaced as a whole on every run\n", encoding="utf-8")
        for name, data in files:
            if Path(name).name != name or name in (".", "..", MARKER):
                raise ValueError(f"not a plain file name: {name!r}")  # names are made safe before this
            with open(tmp / name, "xb") as fh:  # two names that clash must not overwrite each other
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp creates 0700; outputs are ordinary folders
        os.sync()
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
            os.replace(folder, old / folder.name)
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not folder.exists() and (old / folder.name).exists():
            os.replace(old / folder.name, folder)  # put the previous output back
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return folder
