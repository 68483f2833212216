"""No traceback reaches a user: every command is wrapped so that an unexpected exception becomes one line and exit 70.

``guard_commands(app, err_console)`` wraps each registered command (once). The
CLI's own control flow (``typer.Exit``, usage errors, ``SystemExit``) passes
through untouched; anything else is a bug, not an input problem: one line
naming the command and the error, the traceback in a log file under
``.build/logs/`` (or the system's temp folder when that cannot be written).
"""

from __future__ import annotations

import functools
from pathlib import Path

import typer
from rich.console import Console

from analysis import config

__all__ = ["EXIT_INTERNAL", "guard_commands", "log_path"]

EXIT_INTERNAL = 70
"""An unexpected exception (a bug, not an input problem): one line, the traceback in a log file."""


def log_path(command: str) -> Path:
    """A new log file for an internal error: under .build/logs/, else the system's temp folder."""
    import tempfile
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for folder in (config.STATE_DIR / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"virksomhetsanalyse-{command}-{stamp}.log"
            path.touch()
            return path
        except OSError:
            continue
    return Path(tempfile.gettempdir()) / f"virksomhetsanalyse-{command}-{stamp}.log"


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
        passed = _passed_exceptions()
        try:
            return callback(*args, **kwargs)
        except passed:
            raise
        except Exception as exc:  # noqa: BLE001 - the point: no traceback reaches the user
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


def guard_commands(typer_app: typer.Typer, err_console: Console) -> None:
    """Wrap every registered command with ``_guarded`` (once)."""
    for info in typer_app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_guarded", False):
            name = info.name or info.callback.__name__.rstrip("_").replace("_", "-")
            info.callback = _guarded(info.callback, name, err_console)
            info.callback._guarded = True
