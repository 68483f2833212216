"""Small helpers for tests."""

import hashlib
import os
from pathlib import Path


def edit_line(path: Path, line_no: int, transform) -> None:
    """Replace line ``line_no`` (1 = header) of a text file with ``transform(old_line)``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line_no - 1] = transform(lines[line_no - 1])
    path.write_text("\n".join(lines), encoding="utf-8")


def edit_matching_line(path: Path, startswith: str, transform) -> None:
    """Edit the one line of a CSV that starts with ``startswith`` (it must be exactly one)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines, start=1) if line.startswith(startswith)]
    assert len(hits) == 1, (startswith, hits)
    edit_line(path, hits[0], transform)


def set_value(data: Path, dataset: str, key: str, value: str) -> None:
    """Set the value of the observation whose line starts with ``key`` (``year,indicator,group``)."""
    edit_matching_line(data / f"{dataset}.csv", key + ",", lambda line: ",".join(line.split(",")[:3] + [value]))


def tree_hash(folder: Path) -> str:
    """One hash of every file below ``folder`` (paths and bytes): proves nothing was written."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def kernels_per_worker() -> int:
    """Warm kernels for one test process: the cores shared among pytest-xdist's workers, at least one.

    With a worker per core, each worker's chapters run on one kernel while the other workers use the other
    cores; more kernels would only start (and import the libraries) more often and share the same cores.
    """
    from analysis.pipeline.run import cores

    return max(1, cores() // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))


def write_previous_record(
    data: Path, year: int, revise: tuple[str, str, str, int] | None = None, factor: float = 1.1, drop_finding: bool = True
) -> Path:
    """A SYNTHETIC record of an edition ``year`` beside ``data`` (``editions/<year>/``), as ``publish`` would write it,
    from the figures ``data`` holds up to ``year``; ``revise`` (dataset, indicator, group, year) gets a value that
    is not the data's (times ``factor``), so a later edition lists it as revised; ``drop_finding`` leaves the first
    data-quality finding out (it is then new since). Never for the real editions/."""
    import json

    import analysis as va
    from analysis.calc.numbers import value_decimals
    from analysis.data.record import Figure, figures_csv, findings_csv, series_csv

    book = va.setup(year, data)
    figures = []
    for f in book.figures():
        if revise is not None and f.key == revise:
            f = Figure(*f.key[:3], f.year, f"{f.number * factor:.{value_decimals(f.value)}f}", f.unit, "SYNTETISK forrige kilde")
        figures.append(f)
    folder = Path(data).parent / "editions" / str(year)
    folder.mkdir(parents=True)
    meta = {"edition": year, "published": f"{year + 1}-03-15", "commit": "0" * 40, "figures": len(figures), "synthetic": True}
    (folder / "edition.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "figures.csv").write_text(figures_csv(figures), encoding="utf-8")
    findings = book.findings()[1:] if drop_finding else book.findings()  # dropped: one finding is new since
    (folder / "findings.csv").write_text(findings_csv(findings), encoding="utf-8")
    (folder / "series.csv").write_text(series_csv([f for f in figures if f.dataset != "text_figures"]), encoding="utf-8")
    return folder


def copy_project(root: Path, dst: Path) -> None:
    """The project's files as a clone has them (tracked, and untracked files git does not ignore) copied to ``dst``."""
    import shutil
    import subprocess

    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root, capture_output=True, check=True, timeout=120
    ).stdout
    for rel in sorted({p for p in out.decode("utf-8").split("\0") if p}):
        src, target = root / rel, dst / rel
        if src.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` as a test's own committer; its output."""
    import subprocess

    cmd = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", *args]
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=True, timeout=120).stdout


def book_fonts_env(folder: Path) -> dict[str, str]:
    """The environment for a browser or LibreOffice a test starts: fontconfig knows the book's own typeface.

    A machine may have no system font at all (the README's fresh machine). A page or a spreadsheet still asks
    for a fallback face now and then (a glyph its web font lacks, a dialog's UI font), and with none Chromium
    aborts (Skia: "Not implemented") and soffice never starts. This fontconfig file adds the folder of Lato
    (``fontpkg-lato``, what the book itself uses) to whatever system fonts there are.
    """
    from analysis.present import fonts

    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{fonts.font_dir()}</dir>\n"
        f"  <cachedir>{folder / 'cache'}</cachedir>\n"
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}
