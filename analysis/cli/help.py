"""Help that reads well: an argument is written by its name only (``FILE``).

Typer 0.29 writes a required argument as ``{FILE}`` in the usage line and adds
the type (``FILE <file>``) in the argument list, however its ``metavar`` is
set. ``plain_arguments`` makes an argument with a ``metavar`` show just that
name, in both places (``[FILE]`` when it is optional, as click does).
"""

from __future__ import annotations

from typer.core import TyperArgument

__all__ = ["plain_arguments"]


def plain_arguments() -> None:
    """Show an argument with a ``metavar`` as that name alone, in the usage line and in the help."""
    if getattr(TyperArgument, "_plain", False):
        return
    usage, typed = TyperArgument._usage_display_name, TyperArgument.display_type_rich

    def usage_name(self: TyperArgument) -> str:
        if self.metavar is None:
            return usage(self)
        return (self.metavar if self.required else f"[{self.metavar}]") + ("..." if self.nargs != 1 else "")

    def type_name(self: TyperArgument, ctx) -> str | None:
        return None if self.metavar is not None else typed(self, ctx)

    TyperArgument._usage_display_name = usage_name
    TyperArgument.display_type_rich = type_name
    TyperArgument._plain = True
