"""No traceback reaches a user: every command is wrapped so that an unexpected exception becomes one line and exit 70.

``guard_commands(app, err_console)`` wraps each registered command (once). The
command runs holding its lock (``analysis.cli.locking``: writers the write lock,
readers the commit lock); another writer holding it is one line naming that
command and exit 75 (``EXIT_BUSY``). A folder that refuses a write (read-only,
permission denied, full disk, another device) is one line naming the folder and
what to do, exit 2 (``EXIT_DISK``). The CLI's own control flow (``typer.Exit``,
usage errors, ``SystemExit``) passes through untouched; anything else is a bug,
not an input problem: one line naming the command and the error, the traceback
in a log file under ``.build/logs/`` (or the system's temp folder when that
cannot be written).
"""

from __future__ import annotations

import errno
import functools
from pathlib import Path

import typer
from rich.console import Console

from analysis import config

__all__ = ["EXIT_INTERNAL", "EXIT_DISK", "guard_commands", "log_path", "disk_error", "whole_file"]

EXIT_INTERNAL = 70
"""An unexpected exception (a bug, not an input problem): one line, the traceback in a log file."""
EXIT_DISK = 2
"""A folder refuses a write (read-only, permission denied, full disk): as a usage error, choose another place or make room."""
_DISK_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EXDEV)


def disk_error(exc: BaseException):
    """The ``DiskError`` an exception stands for (a folder refusing a write), or None."""
    from analysis.data.commit import DiskError

    if isinstance(exc, DiskError):
        return exc
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
        where = Path(exc.filename).parent if exc.filename else Path.cwd()
        return DiskError(where, "write", exc)
    return None


def log_path(command: str) -> Path:
    """A new log file for an internal error: under .build/logs/, else the system's temp folder."""
    import tempfile
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for folder in (config.STATE_DIR / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"virksomhetsanalyse-{command.replace(' ', '-')}-{stamp}.log"
            path.touch()
            return path
        except OSError:
            continue
    return Path(tempfile.gettempdir()) / f"virksomhetsanalyse-{command.replace(' ', '-')}-{stamp}.log"


def _passed_exceptions() -> tuple[type[BaseException], ...]:
    """Exceptions that are the CLI's own control flow (exit codes, usage errors), never internal errors."""
    from typer.exceptions import TyperException  # the base of typer's usage errors (BadParameter, ...)

    passed: tuple[type[BaseException], ...] = (typer.Exit, typer.Abort, TyperException, SystemExit)
    try:
        import click
    except ImportError:  # pragma: no cover - typer without a separate click
        return passed
    return (*passed, click.exceptions.Exit, click.exceptions.Abort, click.ClickException)


def _guarded(callback, command: str, err_console: Console):
    """Run a command; an unexpected exception becomes one line and exit 70, its traceback goes to a log file."""

    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        from analysis.cli.locking import EXIT_BUSY, hold
        from analysis.data.lock import LockBusy

        passed = _passed_exceptions()
        try:
            with hold(command, kwargs, lambda text: err_console.print(f"note: {text}", markup=False, emoji=False)):
                return callback(*args, **kwargs)
        except passed:
            raise
        except LockBusy as exc:
            err_console.print(f"error: {exc}", markup=False, emoji=False)
            raise typer.Exit(EXIT_BUSY) from None
        except Exception as exc:  # noqa: BLE001 - the point: no traceback reaches the user
            disk = disk_error(exc)
            if disk is not None:
                err_console.print(f"error: {disk}", markup=False, emoji=False)
                raise typer.Exit(EXIT_DISK) from None
            import traceback

            log = log_path(command)
            try:
                log.write_text(traceback.format_exc(), encoding="utf-8")
                where = str(log)
            except OSError:
                where = "(could not write the log)"
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            err_console.print(f"internal error in {command}: {type(exc).__name__}: {first}; full log written to {where}", markup=False)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def guard_commands(typer_app: typer.Typer, err_console: Console, prefix: str = "") -> None:
    """Wrap every registered command with ``_guarded`` (once); ``prefix`` names a group's commands (``edition new``)."""
    for info in typer_app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_guarded", False):
            name = prefix + (info.name or info.callback.__name__.rstrip("_").replace("_", "-"))
            info.callback = _guarded(info.callback, name, err_console)
            info.callback._guarded = True


def whole_file(output: Path, write):
    """``write(path)`` into a file beside ``output``, then renamed onto it: a write that fails (a full disk) leaves no
    truncated file. The zip file openpyxl left open is closed before the error is raised, so its clean-up prints nothing."""
    import gc
    import os
    import sys

    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    failed = None
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None if isinstance(unraisable.exc_value, OSError) else hook(unraisable)
    try:
        try:
            result = write(tmp)
            os.replace(tmp, output)
        except OSError as exc:
            failed = (exc.errno, exc.strerror, str(exc.filename or output))  # not the exception: its frames hold the zip file
        gc.collect()
    finally:
        sys.unraisablehook = hook
        tmp.unlink(missing_ok=True)
    if failed:
        raise OSError(*failed)
    return result
