"""Faults a careless user or a hostile file brings (issue 20, cases 3, 4, 8 and 9).

* **3**: a resource path leaving ``data/`` (a symbolic link to ``/etc/passwd``, ``../README.md``, an absolute
  path, a URL) is refused before anything is opened, naming the resource and the path.
* **4**: every command reads ``data/`` saved as Excel's "CSV UTF-8" (a byte-order mark) with CRLF lines.
* **8**: a disk that says no (read-only, permission denied, another file system, full) gives one message naming
  the folder and what to do, exit 2, and nothing half-written; injected errors here, real ones (a read-only
  bind mount, a tmpfs of its own, a full tmpfs: ``unshare -m``, as root) where the machine allows.
* **9**: a message prints what the file holds: ``:x:`` stays ``:x:``, ``[bold]`` stays ``[bold]``.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from kostra_server import FIX
from openpyxl import load_workbook
from typer.testing import CliRunner

from analysis.cli.main import app
from analysis.config import DATA_DIR, PROJ_ROOT
from analysis.intake.workbook import build_template
from helpers import edit_line, tree_hash


def _fill_with_the_year_before(ws) -> None:
    """Fill a 2019 template sheet's year column with 2018's figures (SYNTHETIC: plausible, so not flagged) and a source."""
    col = [c.value for c in ws[1]].index(2019) + 1
    kilde = ws.max_column
    for r in range(2, ws.max_row + 1):
        last = ws.cell(row=r, column=col - 1).value
        if ws.cell(row=r, column=1).value and last is not None:
            ws.cell(row=r, column=col, value=last)
            ws.cell(row=r, column=kilde, value="SYNTETISK: kilde for testene")


def invoke(*args) -> object:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def _set_path(data: Path, resource: str, path: str) -> None:
    text = (data / "datapackage.yaml").read_text(encoding="utf-8")
    old = f"- name: {resource}\n  path: {resource}.csv\n"
    assert old in text
    (data / "datapackage.yaml").write_text(text.replace(old, f"- name: {resource}\n  path: {path}\n"), encoding="utf-8")


# --------------------------------------------------------------------------- 3. nothing outside data/ is opened


def test_a_symbolic_link_out_of_data_is_not_read(data_copy):
    (data_copy / "units.csv").unlink()
    (data_copy / "units.csv").symlink_to("/etc/passwd")
    result = invoke("validate", "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    assert "root:" not in result.output
    assert "resource 'units', path 'units.csv' is a symbolic link to '/etc/passwd', outside the data folder" in result.output


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("../README.md", "leads out of the data folder ('..')"),
        ("/etc/passwd", "is an absolute path, outside the data folder"),
        ("http://127.0.0.1:{port}/x.csv", "is a web address: data files are read from the data folder only, never fetched"),
    ],
    ids=["dotdot", "absolute", "url"],
)
def test_a_path_leaving_data_is_refused_before_it_is_opened(data_copy, path, why):
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        path = path.format(port=httpd.server_address[1])
        _set_path(data_copy, "units", path)
        result = invoke("validate", "--data-dir", data_copy)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.exit_code == 1, result.output
    assert f"resource 'units', path '{path}' {why}" in " ".join(result.output.split()), result.output
    assert asked == [], "validate fetched the URL"


# --------------------------------------------------------------------------- 4. BOM and CRLF everywhere


@pytest.fixture
def bom_data(data_copy) -> Path:
    """The data copy with every CSV file saved as Excel's "CSV UTF-8": a byte-order mark and CRLF line ends."""
    for p in data_copy.glob("*.csv"):
        text = p.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
        p.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    return data_copy


def test_every_command_reads_data_with_a_bom_and_crlf(bom_data, tmp_path):
    assert invoke("validate", "--data-dir", bom_data).exit_code == 0
    for command in ("run", "build"):  # the year check reads every dataset: refused for its years, not a crash
        result = invoke(command, "--year", 2000, "--data-dir", bom_data)
        assert result.exit_code == 2 and "cannot run for 2000" in result.output, (command, result.output)
    mal = tmp_path / "mal.xlsx"
    result = invoke("template", "--year", 2019, "-o", mal, "--dataset", "hr_laerlinger", "--data-dir", bom_data)
    assert result.exit_code == 0, result.output
    wb = load_workbook(mal)
    ws = wb["hr_laerlinger"]
    col = [c.value for c in ws[1]].index(2019) + 1
    assert any(ws.cell(row=r, column=col - 1).value is not None for r in range(2, ws.max_row + 1)), "2018's figures filled in"
    _fill_with_the_year_before(ws)
    wb.save(mal)
    result = invoke("import", mal, "--data-dir", bom_data)
    assert result.exit_code == 0, result.output
    result = invoke("kostra", "--year", 2017, "--from", FIX / "SYNTHETIC_12362_2017.json", "--dry-run", "--replace", "--data-dir", bom_data)
    assert result.exit_code == 0, result.output


def test_the_chapters_read_data_with_a_bom_and_crlf(bom_data):
    from analysis.data.load import load_observations

    df = load_observations("osu_arsverk", bom_data)
    assert df.columns[:4] == ["year", "indicator", "group", "value"] and df.height > 0


# --------------------------------------------------------------------------- 9. messages print what the file holds


def test_messages_print_what_the_file_holds(data_copy):
    edit_line(data_copy / "osu_arsverk.csv", 2, lambda s: s.rsplit(",", 1)[0] + ",:x: [bold]:warning:")
    result = invoke("validate", "--data-dir", data_copy)
    assert result.exit_code == 1
    assert "':x: [bold]:warning:'" in result.output, result.output
    assert "❌" not in result.output and "⚠" not in result.output


# --------------------------------------------------------------------------- 8. disks that say no


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """A 2019 template with hr_laerlinger filled in (SYNTHETIC: 2018's figure again)."""
    path = tmp_path_factory.mktemp("filled") / "mal-2019.xlsx"
    build_template(DATA_DIR, 2019, path, ["hr_laerlinger"])
    wb = load_workbook(path)
    ws = wb["hr_laerlinger"]
    _fill_with_the_year_before(ws)
    wb.save(path)
    return path


def _disk_refused(result, data: Path, before: str, *words: str) -> None:
    assert result.exit_code == 2, result.output
    for w in words:
        assert w in result.output, result.output
    assert tree_hash(data) == before
    assert not (data / ".commit").exists() and not list(data.parent.glob(".import-*.tmp")), "a staged copy was left"


def test_permission_denied_for_the_staged_copy(filled, data_copy, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", kwargs.get("dir") or "?")

    monkeypatch.setattr(tempfile, "mkdtemp", denied)
    before = tree_hash(data_copy)
    result = invoke("import", filled, "--data-dir", data_copy)
    _disk_refused(result, data_copy, before, "error: cannot make the staged copy of data/", "permission denied")


def test_a_full_disk_while_staging(filled, data_copy, monkeypatch):
    copy = shutil.copy2

    def full(src, dst, *args, **kwargs):
        if Path(src).parent == data_copy:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copy2", full)
    before = tree_hash(data_copy)
    result = invoke("import", filled, "--data-dir", data_copy)
    _disk_refused(result, data_copy, before, "the disk is full: free some space on it, then run the command again")


def test_data_on_a_file_system_of_its_own(filled, data_copy, monkeypatch):
    """A rename into data/ from outside it fails with EXDEV when data/ is a mount of its own; the commit renames only inside."""
    replace = os.replace

    def across(src, dst, *args, **kwargs):
        if Path(dst).resolve().parent == data_copy.resolve() and data_copy.resolve() not in Path(src).resolve().parents:
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(src), None, str(dst))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", across)
    result = invoke("import", filled, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "wrote: hr_laerlinger.csv, provenance.csv, changelog.csv" in result.output


_REAL = r"""
import json, shutil, subprocess, sys
from pathlib import Path
from typer.testing import CliRunner
from analysis.cli.main import app

tmp, source, workbook = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
out = {}

def sh(*args):
    subprocess.run(args, check=True)

def run(*args):
    r = CliRunner().invoke(app, [str(a) for a in args])
    return {"exit": r.exit_code, "output": r.output}

def snapshot(folder):
    return sorted((p.name, p.read_bytes().hex()[:64] + str(len(p.read_bytes()))) for p in Path(folder).iterdir() if p.is_file())

own = tmp / "own" / "data"
own.mkdir(parents=True)
sh("mount", "-t", "tmpfs", "tmpfs", str(own))
shutil.copytree(source, own, dirs_exist_ok=True)
out["own mount"] = run("import", workbook, "--data-dir", own)

ro = tmp / "ro" / "data"
shutil.copytree(source, ro)
sh("mount", "--bind", str(ro), str(ro))
sh("mount", "-o", "remount,bind,ro", str(ro))
before = snapshot(ro)
out["read-only data"] = {**run("import", workbook, "--data-dir", ro), "unchanged": snapshot(ro) == before,
                         "left": [p.name for p in ro.parent.iterdir() if p.name.startswith(".import-")]}

checkout = tmp / "checkout"
shutil.copytree(source, checkout / "data")
sh("mount", "--bind", str(checkout), str(checkout))
sh("mount", "-o", "remount,bind,ro", str(checkout))
out["read-only checkout: validate"] = run("validate", "--data-dir", checkout / "data")
out["read-only checkout: import"] = run("import", workbook, "--data-dir", checkout / "data")

full = tmp / "full"
full.mkdir()
sh("mount", "-t", "tmpfs", "-o", "size=320k", "tmpfs", str(full))
shutil.copytree(source, full / "data")
before = snapshot(full / "data")
out["full disk"] = {**run("import", workbook, "--data-dir", full / "data"), "unchanged": snapshot(full / "data") == before,
                    "left": sorted(p.name for p in full.iterdir() if p.name.startswith(".import-"))}

small = tmp / "small"
small.mkdir()
sh("mount", "-t", "tmpfs", "-o", "size=20k", "tmpfs", str(small))
out["template on a full disk"] = {**run("template", "--year", 2019, "-o", small / "mal.xlsx", "--data-dir", source),
                                  "files": sorted(p.name for p in small.iterdir())}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def real_disks(filled, tmp_path_factory) -> dict:
    """The scenarios of ``_REAL`` run in a private mount namespace (``unshare -m``: as root, never touching the machine's mounts)."""
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        pytest.skip("real read-only and full disks need root and unshare -m (the injected errors above still run)")
    probe = subprocess.run([unshare, "-m", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -m is not allowed here: {probe.stderr.strip()}")
    tmp = tmp_path_factory.mktemp("disks")
    source = tmp / "source"
    shutil.copytree(DATA_DIR, source)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJ_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    cmd = [unshare, "-m", "--propagation", "private", sys.executable, "-c", _REAL, str(tmp), str(source), str(filled)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_real_data_folder_on_a_mount_of_its_own(real_disks):
    got = real_disks["own mount"]
    assert got["exit"] == 0 and "wrote: hr_laerlinger.csv, provenance.csv, changelog.csv" in got["output"], got


def test_real_read_only_data_folder(real_disks):
    got = real_disks["read-only data"]
    assert got["exit"] == 2, got
    assert "cannot write the new files in" in got["output"] and "the file system is read-only" in got["output"], got
    assert got["unchanged"] and got["left"] == [], got


def test_real_read_only_checkout(real_disks):
    assert real_disks["read-only checkout: validate"]["exit"] == 0, real_disks["read-only checkout: validate"]
    got = real_disks["read-only checkout: import"]
    assert got["exit"] == 2 and "the file system is read-only" in got["output"], got


def test_real_full_disk(real_disks):
    got = real_disks["full disk"]
    assert got["exit"] == 2 and "the disk is full" in got["output"], got
    assert got["unchanged"] and got["left"] == [], got


def test_real_template_on_a_full_disk(real_disks):
    got = real_disks["template on a full disk"]
    assert got["exit"] == 2 and "the disk is full" in got["output"] and "Traceback" not in got["output"], got
    assert got["files"] == [], "a truncated workbook was left"
