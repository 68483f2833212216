"""The Data Package: the descriptor ``datapackage.yaml``, its resources, and the data's state.

``read_descriptor`` parses the descriptor once per file state and records the
read (``analysis.data.reads``); ``observation_names`` and ``resource`` look
into it; ``fingerprint`` hashes every file of the data folder (names and
bytes), the key of a validation that passed and of the build's state.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import threading
from functools import lru_cache
from pathlib import Path

import yaml

from analysis.config import DATA_DIR, DESCRIPTOR
from analysis.data.paths import inside, unsafe_reason
from analysis.data.problems import DataError, Problem, display
from analysis.data.reads import record_read

__all__ = [
    "OBSERVATION_SCHEMA",
    "OBS_COLUMNS",
    "load_yaml",
    "parse_yaml",
    "read_descriptor",
    "observation_names",
    "resource",
    "fingerprint",
]

OBSERVATION_SCHEMA = "observation.schema.yaml"
OBS_COLUMNS = ("year", "indicator", "group", "value")

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_descriptor(data_dir: Path = DATA_DIR) -> dict:
    """The Data Package descriptor as a dict."""
    path = Path(data_dir) / DESCRIPTOR
    if not path.exists():
        raise DataError([Problem(display(Path(data_dir), DESCRIPTOR), None, None, "file not found", "missing-file")])
    unsafe = unsafe_reason(data_dir, DESCRIPTOR)
    if unsafe:
        msg = f"'{DESCRIPTOR}' {unsafe}; expected the descriptor as a file inside the data folder. Nothing was read from it"
        raise DataError([Problem(display(Path(data_dir), DESCRIPTOR), None, None, msg, "unsafe-path")])
    try:
        parsed, sha = load_yaml(path)
    except yaml.YAMLError as exc:
        raise DataError([Problem(display(Path(data_dir), DESCRIPTOR), None, None, f"not valid YAML: {exc}", "descriptor")]) from exc
    record_read("datapackage", path, sha)
    return parsed


_PARSED: dict[str, bytes] = {}
_PARSED_MAX = 64
_PARSED_LOCK = threading.Lock()


def load_yaml(path: Path) -> tuple[object, str]:
    """A YAML file parsed (``parse_yaml``), and the SHA-256 of its bytes (raises ``OSError``, ``UnicodeDecodeError``, ``yaml.YAMLError``).

    The file is read every time (a read the build can see), so the descriptor of each copy of ``data/`` (a
    test's, an import's staged folder) is parsed once, not by every loader.
    """
    data = Path(path).read_bytes()
    return parse_yaml(data), hashlib.sha256(data).hexdigest()


def parse_yaml(data: bytes) -> object:
    """YAML bytes parsed by the C loader, once per content; every caller gets its own copy (unpickled: a tenth of
    the cost of ``copy.deepcopy``). Raises ``UnicodeDecodeError``, ``yaml.YAMLError``."""
    sha = hashlib.sha256(data).hexdigest()
    blob = _PARSED.get(sha)
    if blob is None:
        blob = pickle.dumps(yaml.load(data.decode("utf-8"), Loader=YAML_LOADER), protocol=pickle.HIGHEST_PROTOCOL)  # noqa: S506 - a safe loader
        with _PARSED_LOCK:
            while len(_PARSED) >= _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[sha] = blob
    return pickle.loads(blob)  # noqa: S301 - our own bytes, pickled above


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
    """Names, sizes and modification times: cheap to read, changes whenever a file does.

    Only regular files inside the folder are read later (``_fingerprint``); a symbolic link leaving it, a
    named pipe or a device is counted by its name and kind (and a link by its target), never opened.
    """
    entries = []
    with os.scandir(data_dir) as it:
        for e in it:
            if e.name.startswith("."):
                continue  # as glob("*"): hidden entries (a commit's .commit/) are not data
            st = e.stat(follow_symlinks=False)
            if e.is_symlink():
                if inside(data_dir, Path(e.path)) and os.path.isfile(e.path):
                    st = e.stat()
                else:
                    entries.append((e.name, "other", os.readlink(e.path), 0))
                    continue
            if stat.S_ISREG(st.st_mode):
                entries.append((e.name, "file", st.st_size, st.st_mtime_ns))
            elif not stat.S_ISDIR(st.st_mode):
                entries.append((e.name, "other", stat.S_IFMT(st.st_mode), 0))
    return tuple(sorted(entries))


@lru_cache(maxsize=32)
def _fingerprint(data_dir: str, signature: tuple) -> str:
    h = hashlib.sha256()
    for name, kind, *rest in signature:
        h.update(name.encode())
        h.update((Path(data_dir) / name).read_bytes() if kind == "file" else repr(rest).encode())
    return h.hexdigest()
