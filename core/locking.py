"""One instance per database: an OS-level lock on a file beside the database (``<db>.lock``).

POSIX uses ``fcntl.flock`` (an exclusive, non-blocking lock on the open file description); Windows uses
``msvcrt.locking`` on the first byte. Either way the operating system drops the lock when the holder closes it or
its process dies (even by SIGKILL or a power cut), so a crash never leaves the ward locked out. The lock file itself
stays on disk: deleting it while another process might be opening it would let two instances in.

An *instance* is a running program: inside one process, several stores on the same file share the one OS lock
(counted here), since SQLite serialises their writes; a restore asks for the lock ``exclusive`` and is refused while
anything in the process still has the file open.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
from pathlib import Path

from core.errors import StoreError


class DatabaseInUseError(StoreError):
    """Another running CRS Bedside (window or command) holds the database."""


def lock_path_for(db_path: Path) -> Path:
    """The lock file that guards ``db_path``: beside the real file, with every symbolic link on the way resolved, so
    the same file reached through a link (or a linked folder) has the same lock."""
    real = Path(os.path.realpath(db_path))
    return real.with_name(real.name + ".lock")


#: Open the lock file without following a symbolic link planted in its place (POSIX; Windows has no such links).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


#: Locks this process holds: lock file -> [file descriptor, how many stores share it].
_HELD: dict[str, list[int]] = {}
_HELD_GUARD = threading.Lock()


class DatabaseLock:
    """The lock on one database, held from :meth:`acquire` to :meth:`release`.

    Args:
        db_path: The database file.
        exclusive: Refuse even when this process already holds the lock (for a restore, which swaps the file).
    """

    def __init__(self, db_path: Path, *, exclusive: bool = False):
        self.db_path = db_path
        self.path = lock_path_for(db_path)
        self.exclusive = exclusive
        self._key: str | None = None

    def acquire(self) -> None:
        """Take the lock or fail at once.

        Raises:
            DatabaseInUseError: another running CRS Bedside holds the database (or, for an exclusive lock, this one).
            StoreError: the folder cannot be written.
        """
        key = str(self.path.resolve())
        with _HELD_GUARD:
            if key in _HELD:
                if self.exclusive:
                    raise DatabaseInUseError(
                        f"{self.db_path}: this database is still open in this program; close it first. The file has "
                        "not been changed.")
                _HELD[key][1] += 1
                self._key = key
                return
            fd = self._lock_os()
            _HELD[key] = [fd, 1]
            self._key = key

    def _lock_os(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
        except OSError as exc:
            if exc.errno == errno.ELOOP or self.path.is_symlink():
                raise StoreError(
                    f"{self.db_path}: the lock file {self.path} is a symbolic link, which CRS Bedside never follows "
                    "(it could point at another file and damage it). Ask clinic IT to remove the link; the database "
                    "has not been changed.") from None
            raise StoreError(folder_problem(self.db_path, exc)) from None
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                holder = _read_holder(self.path)
                who = f" (process {holder})" if holder else ""
                raise DatabaseInUseError(
                    f"{self.db_path}: this database is open in another CRS Bedside window or command{who}. "
                    "Only one may use it at a time: close the other one (or wait for it to finish), then try "
                    "again. The file has not been changed.") from None
            raise StoreError(folder_problem(self.db_path, exc)) from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only a courtesy for the message above; the lock itself is held
        return fd

    def release(self) -> None:
        """Drop this hold; the OS lock goes with the last one (and with the process if it dies)."""
        if self._key is None:
            return
        key, self._key = self._key, None
        with _HELD_GUARD:
            entry = _HELD[key]
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _HELD[key]
            try:
                _unlock(entry[0])
            finally:
                os.close(entry[0])

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._key is not None


def folder_problem(db_path: Path, exc: OSError) -> str:
    """A plain message for an OS error writing beside the database (read-only folder, full disk, ...)."""
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (f"{db_path}: the folder {db_path.parent} is read-only for you, and CRS Bedside must write beside "
                "the database (lock file, journal, backups). Move the file to a folder you can write to, or ask "
                "clinic IT for write access. The file has not been changed.")
    if exc.errno == errno.ENOSPC:
        return disk_full_message(db_path)
    return f"{db_path}: cannot use the folder {db_path.parent} ({exc.strerror or exc}). The file has not been changed."


def disk_full_message(db_path: Path) -> str:
    """The plain message for a full disk."""
    return (f"{db_path}: the disk is full, so nothing was written. Free some space on the drive that holds "
            f"{db_path.parent} (or move the database to another drive), then enter it again.")


def _read_holder(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
