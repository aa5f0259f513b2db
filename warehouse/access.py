"""Open a warehouse file safely: only DuckDB files, no extension downloads, clear lock errors.

A writer records who it is in ``<db>.owner`` (pid, census command, start time), so a second
command that finds the file locked can say which command holds it and what to do, rather than
DuckDB's bare ``python3 (PID n)``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from census_base.errors import CensusError

log = logging.getLogger(__name__)

# Never load or download an extension behind the user's back (a SQLite file given as --db made
# DuckDB try to fetch its sqlite extension from the internet).
SAFE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}
DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file
NEW_FILE_SUFFIXES = (".duckdb", ".ddb", ".db")
_LOCK_PID = re.compile(r"\(PID (\d+)\)")
_owner_label = "census"


class WarehouseError(CensusError):
    """The warehouse file cannot be used as asked (wrong kind, missing, locked, read-only)."""


def set_owner_label(label: str) -> None:
    """Name the running command (e.g. ``census ingest``) in lock files and messages."""
    global _owner_label  # noqa: PLW0603 - one process, one command
    _owner_label = label


def check_db_path(path: str | Path, *, must_exist: bool = False) -> Path:
    """The path, if it is (or may become) a DuckDB warehouse file; else WarehouseError."""
    target = Path(path)
    if target.is_dir():
        msg = f"--db {target}: is a folder; give a warehouse file such as {target}/census.duckdb"
        raise WarehouseError(msg)
    if target.exists():
        with target.open("rb") as handle:
            head = handle.read(16)
        if head and head[8:12] != DUCKDB_MAGIC:
            msg = (
                f"--db {target}: not a DuckDB warehouse file (first bytes {head[:4]!r}); "
                "give a .duckdb file written by census"
            )
            raise WarehouseError(msg)
        return target
    if must_exist:
        msg = f"--db {target}: no such warehouse; check the path or build one (census ingest ...)"
        raise WarehouseError(msg)
    if target.suffix.lower() not in NEW_FILE_SUFFIXES:
        msg = (
            f"--db {target}: a new warehouse file must end in .duckdb "
            f"(got {target.suffix or 'no suffix'!r}); this is not a DuckDB file"
        )
        raise WarehouseError(msg)
    return target


def owner_file(path: str | Path) -> Path:
    return Path(f"{path}.owner")


def read_owner(path: str | Path) -> dict | None:
    """The owner record of a warehouse, or None when absent or unreadable."""
    try:
        record = json.loads(owner_file(path).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _write_owner(path: Path) -> None:
    record = {
        "pid": os.getpid(),
        "command": _owner_label,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    target = owner_file(path)
    try:
        target.write_text(json.dumps(record) + "\n")
    except OSError as exc:  # the owner file is a courtesy; a read-only folder is reported later
        log.debug("cannot write %s: %s", target, exc)
        return
    atexit.register(_remove_owner, target, os.getpid())


def _remove_owner(target: Path, pid: int) -> None:
    record = read_owner(str(target)[: -len(".owner")])
    if record and record.get("pid") == pid:
        with contextlib.suppress(OSError):
            target.unlink()


def lock_message(path: str | Path, error: Exception, *, retry_hint: str = "") -> str:
    """One line naming who holds the warehouse and what to do."""
    found = _LOCK_PID.search(str(error))
    pid = int(found.group(1)) if found else None
    record = read_owner(path)
    if record and (pid is None or record.get("pid") == pid):
        command, since = record.get("command", "census"), record.get("started_at")
        holder = f"{command} (pid {record.get('pid')}, since {since})"
    elif pid is not None:
        holder = f"{command_of_pid(pid) or 'another process'} (pid {pid})"
    else:
        holder = "another process"
    hint = retry_hint or "wait for it to finish and retry"
    return f"busy: {holder} holds the warehouse {path}; {hint}"


def command_of_pid(pid: int) -> str | None:
    """``census <command>`` when that process is a census command (Linux /proc), else None.

    Readers (census query) leave no owner file, so a writer they block finds them this way.
    """
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return None
    names = [i for i, arg in enumerate(argv) if arg == "census" or arg.endswith("/census")]
    if not names:
        return None
    tokens = iter(argv[names[0] + 1 :])
    for token in tokens:
        if token == "--db":
            next(tokens, None)
        elif token and not token.startswith("-"):
            return f"census {token}"
    return "census"


def is_lock_error(error: BaseException) -> bool:
    text = str(error)
    return isinstance(error, duckdb.Error) and (
        "Could not set lock" in text or "Conflicting lock" in text
    )


def open_duckdb(
    path: str | Path,
    *,
    read_only: bool = False,
    config: dict | None = None,
    wait: float = 0.0,
    busy_hint: str = "wait for it to finish and retry",
) -> duckdb.DuckDBPyConnection:
    """Connect to a checked warehouse file with extensions off; lock errors become one line.

    Args:
        wait: seconds to keep retrying while another command holds the lock.
    """
    settings = SAFE_CONFIG | (config or {})
    if str(path) == ":memory:":
        return duckdb.connect(":memory:", config=settings)
    target = check_db_path(path, must_exist=read_only)
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(target), read_only=read_only, config=settings)
            break
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise WarehouseError(describe_open_error(target, exc)) from exc
            if time.monotonic() >= deadline:
                raise WarehouseError(lock_message(target, exc, retry_hint=busy_hint)) from exc
            time.sleep(0.5)
    if not read_only:
        _write_owner(target)
    return con


def describe_open_error(path: Path, error: Exception) -> str:
    text = str(error).splitlines()[0]
    if "Read-only file system" in text or "Permission denied" in text:
        return (
            f"--db {path}: cannot open for writing ({text}); use a writable location "
            "or `census query` (read-only)"
        )
    if "No space left" in text:
        return f"--db {path}: disk full ({text}); free space and retry"
    return f"--db {path}: cannot open the warehouse ({text})"
