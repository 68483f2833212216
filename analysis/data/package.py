"""The Data Package: the descriptor ``datapackage.yaml``, its resources, and the data's state.

``read_descriptor`` parses the descriptor once per file state and records the
read (``analysis.data.reads``); ``observation_names`` and ``resource`` look
into it; ``fingerprint`` hashes every file of the data folder (names and
bytes), the key of a validation that passed and of the build's state.
"""

from __future__ import annotations

import copy
import hashlib
from functools import lru_cache
from pathlib import Path

import yaml

from analysis.config import DATA_DIR, DESCRIPTOR
from analysis.data.problems import DataError, Problem, display
from analysis.data.reads import record_read

__all__ = ["OBSERVATION_SCHEMA", "OBS_COLUMNS", "read_descriptor", "observation_names", "resource", "fingerprint"]

OBSERVATION_SCHEMA = "observation.schema.yaml"
OBS_COLUMNS = ("year", "indicator", "group", "value")

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_descriptor(data_dir: Path = DATA_DIR) -> dict:
    """The Data Package descriptor as a dict."""
    path = Path(data_dir) / DESCRIPTOR
    if not path.exists():
        raise DataError([Problem(display(Path(data_dir), DESCRIPTOR), None, None, "file not found", "missing-file")])
    st = path.stat()
    try:
        parsed, sha = _parse_yaml(str(path.resolve()), st.st_size, st.st_mtime_ns)
    except yaml.YAMLError as exc:
        raise DataError([Problem(display(Path(data_dir), DESCRIPTOR), None, None, f"not valid YAML: {exc}", "descriptor")]) from exc
    record_read("datapackage", path, sha)
    return copy.deepcopy(parsed)


@lru_cache(maxsize=16)
def _parse_yaml(path: str, size: int, mtime_ns: int) -> tuple[dict, str]:
    """Parse a YAML file once per file state (the descriptor is read by every loader); also the SHA-256 of the bytes parsed."""
    data = Path(path).read_bytes()
    return yaml.load(data.decode("utf-8"), Loader=YAML_LOADER), hashlib.sha256(data).hexdigest()  # noqa: S506 - a safe loader


def observation_names(descriptor: dict) -> list[str]:
    """Names of the observation datasets (those using the shared observation schema)."""
    return [r["name"] for r in descriptor["resources"] if r.get("schema") == OBSERVATION_SCHEMA]


def resource(descriptor: dict, name: str) -> dict:
    """The descriptor entry of one resource."""
    for r in descriptor["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(f"no dataset named '{name}' in {DESCRIPTOR}")


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """A hash of every file in ``data_dir`` (names and bytes): the data's state."""
    return _fingerprint(str(Path(data_dir).resolve()), _stat_signature(Path(data_dir)))


def _stat_signature(data_dir: Path) -> tuple:
    """Names, sizes and modification times: cheap to read, changes whenever a file does."""
    return tuple((p.name, st.st_size, st.st_mtime_ns) for p in sorted(data_dir.glob("*")) if p.is_file() for st in [p.stat()])


@lru_cache(maxsize=32)
def _fingerprint(data_dir: str, signature: tuple) -> str:
    h = hashlib.sha256()
    for name, *_ in signature:
        h.update(name.encode())
        h.update((Path(data_dir) / name).read_bytes())
    return h.hexdigest()
