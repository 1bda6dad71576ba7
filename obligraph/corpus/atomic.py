"""Writes that are whole or absent, and one writer at a time.

Every file a command writes for the user — a claims or candidates file, the graph files, an
export, a build-cache entry — goes through here: it is written to a temporary file in the same
directory (``.NAME.<pid>.<random>.tmp``), flushed and fsynced, checked, then renamed over the old
one. Any failure (a full disk, no permission) removes the temporary file and raises a WriteError
saying the old file is as it was; a rename is atomic, so a reader or a crash sees the old file or
the new one, never part of one.

A *set* of files (graph/: obligraph.trig, obligraph.html, built-from.json) is replaced as a set:
the files are written into a staging directory ``.building-<pid>-<random>/`` beside them, which is
renamed to ``.replacing/`` once every file in it is complete and on disk — the moment the new set
is committed — and its files are then renamed into place. A run killed before that leaves the old
set (and a ``.building-*`` the next writer removes); one killed during the renames leaves
``.replacing/``, which the next writer or reader finishes moving (roll forward), so the set is
never left half old, half new.

A writer holds a lock (``fcntl.flock`` on ``.NAME.lock`` beside the file, ``.obligraph.lock`` in
an output directory) that names its process; a second writer is refused with that pid (a review
waits a moment first). The lock file exists only while held. Leftovers of a killed run — its
temporary files, its staging directory — carry its pid and are removed by the next run once that
pid is no longer alive."""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..errors import BusyError, WriteError

try:
    import fcntl
except ImportError:  # not on Windows: writes stay atomic, only the lock is missing
    fcntl = None

BUILDING = ".building-"
REPLACING = ".replacing"
DIR_LOCK = ".obligraph.lock"
_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")
_STAGING = re.compile(r"^\.building-(?:(?P<pid>\d+)-)?")
_CHUNK = 1 << 20


def is_transient(name: str) -> bool:
    """Whether a file name is one of ours that exists only while a command writes (a temporary
    file, a lock): what records of a corpus's files (built-from.json) leave out."""
    return bool(_TMP.match(name)) or (name.startswith(".") and name.endswith(".lock"))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _reason(error: OSError) -> str:
    name = errno.errorcode.get(error.errno or 0, "")
    return f"{error.strerror or error} ({name})" if name else str(error.strerror or error)


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view[:_CHUNK])
        view = view[written:]


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def remove_stale(directory: Path, *, name: str | None = None) -> None:
    """Remove the temporary files (of ``name`` only, if given) and staging directories that a
    process no longer alive left in ``directory``."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        match = _TMP.match(entry.name)
        if match and (name is None or match["name"] == name) and not _alive(int(match["pid"])):
            try:
                os.unlink(entry.path)
            except OSError:
                pass
        staging = _STAGING.match(entry.name)
        if name is None and staging and not (staging["pid"] and _alive(int(staging["pid"]))):
            shutil.rmtree(entry.path, ignore_errors=True)


def write_file(path: Path, data: bytes | str, *, shown: str | None = None, verify: bool = False,
               durable: bool = True, unchanged: str | None = None) -> Path:
    """Replace ``path`` with ``data``, whole or not at all. ``verify``: read the written file back
    and compare it with ``data`` before the rename. ``durable``: fsync it and its directory (a
    cache entry, which is recomputed when damaged, skips that). ``unchanged``: what the error
    says was left as it was (default: the file)."""
    data = data.encode("utf-8") if isinstance(data, str) else data

    def check(temporary: Path) -> None:
        if verify and temporary.read_bytes() != data:
            raise OSError(errno.EIO, "the file read back is not what was written")

    return write_with(path, lambda handle: handle.write(data), shown=shown, durable=durable,
                      unchanged=unchanged, check=check)


def write_with(path: Path, write: Callable[[StagedFile], object], *, shown: str | None = None,
               durable: bool = True, unchanged: str | None = None,
               check: Callable[[Path], None] | None = None) -> Path:
    """Replace ``path`` with what ``write`` writes to the file it is given (a :class:`StagedFile`:
    text or bytes), whole or not at all (as :func:`write_file`; ``check`` may inspect the written
    temporary file before the rename): a cache entry of hundreds of megabytes is streamed, never
    held as one bytes object."""
    path = Path(path)
    remove_stale(path.parent, name=path.name)
    temporary = _temporary(path)
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
        staged = StagedFile(temporary)
        try:
            if mode is not None:
                os.chmod(staged.descriptor, mode)  # a replaced file keeps its permissions
            write(staged)
            staged.close(durable=durable)  # flushed, synced if durable, its size checked
        finally:
            if staged.descriptor >= 0:  # ``write`` failed: closed, not flushed
                os.close(staged.descriptor)
        if check is not None:
            check(temporary)
        os.replace(temporary, path)
    except OSError as error:
        try:
            temporary.unlink()
        except OSError:
            pass
        raise WriteError(f"cannot write it: {_reason(error)} — {unchanged or 'it is unchanged'}",
                         path=shown or str(path),
                         hint="free some space on that disk (or fix its permissions), then run "
                              "the command again") from None
    if durable:
        fsync_dir(path.parent)
    return path


class StagedFile:
    """A file being written into a staging directory: text or bytes in, os.write in chunks (so
    that a failing write — a full disk — raises at once, and tests can make it fail)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        self.pending: list[bytes] = []
        self.size = 0
        self.written = 0

    def write(self, text: str | bytes) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.pending.append(data)
        self.size += len(data)
        if self.size >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            data, self.pending, self.size = b"".join(self.pending), [], 0
            _write_all(self.descriptor, data)
            self.written += len(data)

    def close(self, *, durable: bool = True) -> None:
        """Flush, fsync and close; checks the file holds every byte written."""
        if self.descriptor < 0:
            return
        try:
            self.flush()
            if durable:
                os.fsync(self.descriptor)
            if os.fstat(self.descriptor).st_size != self.written:
                raise OSError(errno.EIO, "the file is shorter than what was written")
        finally:
            os.close(self.descriptor)
            self.descriptor = -1


class Staging:
    """A set of files written together into ``out_dir``: :meth:`open` each, then :meth:`commit`
    (all of them into place) or :meth:`abort` (none). The caller holds the directory's lock
    (:func:`locked`); ``shown`` names the directory in errors."""

    def __init__(self, out_dir: Path, *, shown: str | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.shown = shown or str(self.out_dir)
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.directory = self.out_dir / f"{BUILDING}{os.getpid()}-{secrets.token_hex(4)}"
            self.directory.mkdir()
        except OSError as error:
            raise self._error(error, None) from None
        self.files: dict[str, StagedFile] = {}

    def _error(self, error: OSError, name: str | None) -> WriteError:
        what = f"cannot write {name}" if name else "cannot write there"
        return WriteError(f"{what}: {_reason(error)} — the files there are as they were",
                          path=self.shown, hint="free some space on that disk (or fix its "
                                                "permissions), then run the command again")

    def open(self, name: str) -> StagedFile:
        try:
            self.files[name] = StagedFile(self.directory / name)
        except OSError as error:
            raise self._error(error, name) from None
        return self.files[name]

    def write(self, name: str, data: str | bytes) -> None:
        staged = self.open(name)
        self.guard(name, lambda: staged.write(data))

    def guard(self, name: str, action) -> None:
        """Run ``action`` (a write to ``name``), turning an OSError into the WriteError."""
        try:
            action()
        except OSError as error:
            raise self._error(error, name) from None

    def commit(self) -> list[Path]:
        for name, staged in self.files.items():
            self.guard(name, staged.close)
        try:
            fsync_dir(self.directory)
            os.rename(self.directory, self.out_dir / REPLACING)  # the new set is committed here
        except OSError as error:
            raise self._error(error, None) from None
        fsync_dir(self.out_dir)
        names = list(self.files)
        try:
            roll_forward(self.out_dir)
        except OSError as error:  # committed: the next writer or reader moves the rest
            raise WriteError(f"the new files are complete in {REPLACING}/ but could not all be "
                             f"moved into place: {_reason(error)}", path=self.shown,
                             hint="run the command again (or any command reading them) to finish") from None
        return [self.out_dir / name for name in names]

    def abort(self) -> None:
        for staged in self.files.values():
            try:
                staged.close(durable=False)
            except OSError:
                pass
        shutil.rmtree(self.directory, ignore_errors=True)


def roll_forward(out_dir: Path) -> None:
    """Finish a committed set: move what ``.replacing/`` holds into ``out_dir``."""
    replacing = Path(out_dir) / REPLACING
    if not replacing.is_dir():
        return
    for entry in sorted(os.scandir(replacing), key=lambda e: e.name):
        os.replace(entry.path, Path(out_dir) / entry.name)
    fsync_dir(Path(out_dir))
    os.rmdir(replacing)


def recover(out_dir: Path) -> None:
    """What a killed writer left in ``out_dir``: a committed set finished, stale temporary files
    and staging directories removed. The caller holds the directory's lock."""
    if Path(out_dir).is_dir():
        roll_forward(out_dir)
        remove_stale(out_dir)


def settle(out_dir: Path) -> None:
    """For readers: finish a set a killed build committed but did not move into place, unless a
    writer holds the directory (it finishes it itself). Quiet: a read-only folder stays as it is."""
    if not (Path(out_dir) / REPLACING).is_dir():
        return
    try:
        with locked(Path(out_dir) / DIR_LOCK, what="reading the graph", shown=str(out_dir)):
            roll_forward(out_dir)
    except (BusyError, WriteError, OSError):
        pass


def write_set(files: dict[str, str | bytes], out_dir: Path, *, shown: str | None = None,
              what: str = "obligraph") -> list[Path]:
    """Write ``files`` (name → content) into ``out_dir`` as a set: all of them or none."""
    out_dir = Path(out_dir)
    with locked(out_dir / DIR_LOCK, what=what, shown=shown or str(out_dir)):
        recover(out_dir)
        staging = Staging(out_dir, shown=shown)
        try:
            for name, content in files.items():
                staging.write(name, content)
            return staging.commit()
        finally:
            staging.abort()


# --- locks ---------------------------------------------------------------------------------------

_HELD: dict[str, list] = {}  # lock path → [descriptor, depth]: a process may re-enter its own lock


def _holder(path: Path) -> str:
    try:
        words = path.read_text(encoding="utf-8").split(maxsplit=1)
    except (OSError, UnicodeDecodeError):
        return "another process"
    if not words or not words[0].isdigit():
        return "another process"
    doing = f" ({words[1].strip()})" if len(words) > 1 else ""
    return f"process {words[0]}{doing}"


@contextmanager
def locked(path: Path, *, what: str, shown: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock file ``path`` for the block (``what``: what this process is doing, for the
    message a second writer gets). ``wait``: seconds to wait for it before refusing."""
    key = os.path.abspath(path)
    if key in _HELD or fcntl is None:
        if key in _HELD:
            _HELD[key][1] += 1
        try:
            yield
        finally:
            if key in _HELD:
                _HELD[key][1] -= 1
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except FileNotFoundError:  # the folder itself is missing: nothing to lock yet
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            continue
        except OSError as error:
            if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise WriteError(f"cannot write here: {_reason(error)}", path=shown,
                                 hint="fix the folder's permissions, or choose another") from None
            raise
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            raise BusyError(f"{_holder(Path(path))} is writing it now", path=shown,
                            hint="wait for it to finish, then run the command again") from None
        # the file may have been removed by its last holder between our open and our lock
        try:
            same = os.stat(path).st_ino == os.fstat(descriptor).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(descriptor)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()} {what}\n".encode("utf-8"))
    except OSError:
        pass  # a full disk: the lock holds all the same, the message lacks the pid
    _HELD[key] = [descriptor, 1]
    try:
        yield
    finally:
        _HELD[key][1] -= 1
        if _HELD[key][1] == 0:
            del _HELD[key]
            try:
                os.unlink(path)  # removed while still held: a waiter re-checks the inode
            except OSError:
                pass
            os.close(descriptor)
