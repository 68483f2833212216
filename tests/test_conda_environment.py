"""``environment.yml`` (conda) lists what ``pyproject.toml`` lists: the same packages for conda users as for pip users.

Every dependency and every ``dev`` extra of ``pyproject.toml`` must stand in ``environment.yml`` (from
conda-forge or its ``pip:`` list), and nothing else beside Python, Quarto, pip and the project itself:
``make test`` in the conda environment then has what the tests need (it once lacked pytest-xdist and pypdf,
and stopped with "unrecognized arguments: -n").
"""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis.config import PROJ_ROOT

CONDA_ONLY = {"python", "quarto", "pip"}
"""What the conda environment has beside the project's Python dependencies."""


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503): ``great_tables>=1`` -> ``great-tables``."""
    return re.sub(r"[-_.]+", "-", re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)).lower()


def pyproject_names() -> set[str]:
    project = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"]) + [r for extra in project.get("optional-dependencies", {}).values() for r in extra]
    return {_name(r) for r in reqs}


def environment_names() -> set[str]:
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = set()
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        names |= {_name(i) for i in items if not i.startswith("-e")}
    return names


def test_environment_yml_lists_what_pyproject_lists():
    env, project = environment_names(), pyproject_names()
    assert project - env == set(), f"in pyproject.toml, missing from environment.yml: {sorted(project - env)}"
    assert env - project - CONDA_ONLY == set(), f"in environment.yml, not in pyproject.toml: {sorted(env - project - CONDA_ONLY)}"


def test_names_are_normalised():
    assert _name("great_tables>=1.0") == _name("Great-Tables") == "great-tables"
    assert _name("vl-convert-python>=1.6") == "vl-convert-python" and _name("pdfminer.six") == "pdfminer-six"
