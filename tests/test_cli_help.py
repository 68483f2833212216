"""The commands' help as a user reads it: names, not type metavars."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from analysis.cli.main import app

COMMANDS = ["validate", "run", "render", "build", "preview", "template", "import", "kostra", "publish", "edition", "edition new",
            "edition status", "edition review", "edition rebuild"]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_type_metavars(command):
    result = CliRunner().invoke(app, [*command.split(), "--help"], terminal_width=140)
    assert result.exit_code == 0, result.output
    text = result.output
    assert not re.search(r"<[a-z][a-z \[\]]*>|\{[A-Z]+\}", text), text


def test_import_names_its_file_argument_plainly():
    text = CliRunner().invoke(app, ["import", "--help"], terminal_width=140).output
    assert "Usage: virksomhetsanalyse import [OPTIONS] FILE" in text or "import [OPTIONS] FILE" in text
    assert re.search(r"^\s+FILE\s+The filled template", text, re.M), text
