"""Reading an OpenDocument spreadsheet (``.ods``, LibreOffice's own format) as rows of cells, with what the checks need.

Why not python-calamine (the maintained reader of .ods): it gives values
only. The import needs, per cell, the number format (a percent cell holds 0,3
for 30 %; the format's decimals are the figure's; a date is a date), the
formula (a copied same fact), the error state, merged ranges and hidden
sheets. An .ods file is a zip whose ``content.xml`` holds all of that
explicitly (``office:value-type="percentage"``, ``number:decimal-places``,
``table:formula``, ``table:display``), so it is read here with the standard
library's XML parser (``xml.etree``: no external entities are fetched, and the
part is refused above ``MAX_CONTENT_BYTES`` before it is parsed).

``read_ods`` returns one ``OdsSheet`` per table; ``analysis.intake.read`` turns
them into the same ``InputSheet``s a workbook gives, so every check is the same.
Number styles become Excel-like format codes (``0.0%``, ``#,##0.00``,
``DD.MM.YYYY``) for ``analysis.intake.cells``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree as ET

from openpyxl.utils import get_column_letter

from analysis.intake.cells import Cell

__all__ = ["MAX_CONTENT_BYTES", "OdsSheet", "read_ods"]

MAX_CONTENT_BYTES = 64_000_000
"""Largest ``content.xml`` (uncompressed, every sheet of the file) read at all; a filled template is well under 1 MB."""
MAX_COLUMNS = 200
"""Columns read per row (a template has about 20; LibreOffice writes the rest of its 16 384 columns as one repeated empty cell)."""

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_ROW_CONTAINERS = {_q("table:table-header-rows"), _q("table:table-rows"), _q("table:table-row-group")}
_COLUMN_CONTAINERS = {_q("table:table-header-columns"), _q("table:table-columns"), _q("table:table-column-group")}
_CELLS = {_q("table:table-cell"), _q("table:covered-table-cell")}


@dataclass
class OdsSheet:
    """One table of the file: its cells by row (trailing empty cells left out), hidden or not, merged ranges."""

    name: str
    hidden: bool
    rows: list[list[Cell]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    content_rows: int = 0


def _number_formats(*roots: ET.Element) -> dict[str, str]:
    """``{data style name: an Excel-like format code}`` for the number, percentage, date and time styles."""
    codes = {}
    kinds = {"number-style": "", "percentage-style": "%", "currency-style": "", "date-style": "date", "time-style": "time"}
    for root in roots:
        for kind, suffix in kinds.items():
            for st in root.iter(_q(f"number:{kind}")):
                name = st.get(_q("style:name"))
                if suffix in ("date", "time"):
                    codes[name] = "DD.MM.YYYY" if suffix == "date" else "HH:MM:SS"
                    continue
                num = st.find(_q("number:number"))
                if num is None:
                    codes[name] = "General" if st.find(_q("number:scientific-number")) is None else "0.00E+00"
                    continue
                places = int(num.get(_q("number:decimal-places"), "0"))
                least = int(num.get(_q("number:min-decimal-places"), str(places)))
                fraction = "0" * least + "#" * max(places - least, 0)
                codes[name] = ("#,##0" if suffix == "" else "0") + (f".{fraction}" if fraction else "") + suffix
        for st in root.iter(_q("number:text-style")):
            codes[st.get(_q("style:name"))] = "@"
    return codes


def _cell_styles(codes: dict[str, str], *roots: ET.Element) -> tuple[dict[str, str], set[str]]:
    """``{cell style name: format code}`` (through parent styles), and the names of hidden table styles."""
    data, parent, hidden = {}, {}, set()
    for root in roots:
        for st in root.iter(_q("style:style")):
            name, family = st.get(_q("style:name")), st.get(_q("style:family"))
            if family == "table-cell":
                data[name] = st.get(_q("style:data-style-name"))
                parent[name] = st.get(_q("style:parent-style-name"))
            elif family == "table":
                props = st.find(_q("style:table-properties"))
                if props is not None and props.get(_q("table:display")) == "false":
                    hidden.add(name)
    formats = {}
    for name in data:
        seen, current = set(), name
        while current and current not in seen and not data.get(current):
            seen.add(current)
            current = parent.get(current)
        code = codes.get(data.get(current) or "")
        if code:
            formats[name] = code
    return formats, hidden


def _text(cell: ET.Element) -> str:
    """The text of a cell: its paragraphs joined by line breaks (``text:s`` spaces and ``text:tab`` kept)."""

    def walk(el: ET.Element) -> str:
        out = el.text or ""
        for child in el:
            if child.tag == _q("text:s"):
                out += " " * int(child.get(_q("text:c"), "1"))
            elif child.tag == _q("text:tab"):
                out += "\t"
            elif child.tag == _q("text:line-break"):
                out += "\n"
            elif child.tag != _q("office:annotation"):
                out += walk(child)
            out += child.tail or ""
        return out

    return "\n".join(walk(p) for p in cell.findall(_q("text:p")))


def _value(cell: ET.Element) -> object:
    kind = cell.get(_q("office:value-type"))
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(_q("office:value")))
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "date":
        text = cell.get(_q("office:date-value"))
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    if kind == "time":
        text = cell.get(_q("office:time-value")).removeprefix("PT")
        h, rest = text.split("H")
        m, rest = rest.split("M")
        return time(int(h) % 24, int(m), int(float(rest.rstrip("S") or 0)))
    if kind == "boolean":
        return cell.get(_q("office:boolean-value")) == "true"
    if kind == "string" or cell.find(_q("text:p")) is not None:
        text = cell.get(_q("office:string-value"))
        return text if text is not None else _text(cell)
    return None


def _columns(table: ET.Element) -> list[str | None]:
    """The default cell style of each column (up to ``MAX_COLUMNS``)."""
    styles: list[str | None] = []

    def take(el: ET.Element) -> None:
        for child in el:
            if child.tag == _q("table:table-column"):
                n = min(int(child.get(_q("table:number-columns-repeated"), "1")), MAX_COLUMNS - len(styles))
                styles.extend([child.get(_q("table:default-cell-style-name"))] * max(n, 0))
            elif child.tag in _COLUMN_CONTAINERS:
                take(child)

    take(table)
    return styles


def _rows(table: ET.Element):
    for child in table:
        if child.tag == _q("table:table-row"):
            yield child
        elif child.tag in _ROW_CONTAINERS:
            yield from _rows(child)


def _sheet(table: ET.Element, formats: dict[str, str], hidden: set[str], max_rows: int) -> OdsSheet:
    sheet = OdsSheet(table.get(_q("table:name")), table.get(_q("table:style-name")) in hidden)
    columns = _columns(table)
    r = 0
    for row in _rows(table):
        repeat = int(row.get(_q("table:number-rows-repeated"), "1"))
        cells: list[Cell] = []
        for el in row:
            if el.tag not in _CELLS:
                continue
            n = int(el.get(_q("table:number-columns-repeated"), "1"))
            value, formula = _value(el), el.get(_q("table:formula"))
            error = el.get(_q("calcext:value-type")) == "error"
            for _ in range(min(n, MAX_COLUMNS - len(cells))):
                c = len(cells)
                style = el.get(_q("table:style-name")) or (columns[c] if c < len(columns) else None)
                cells.append(Cell(f"{get_column_letter(c + 1)}{r + 1}", value, formats.get(style or "", "General"), formula, error))
            spans = (int(el.get(_q("table:number-columns-spanned"), "1")), int(el.get(_q("table:number-rows-spanned"), "1")))
            if spans != (1, 1):
                c = len(cells) - 1
                sheet.merged.append(f"{get_column_letter(c + 1)}{r + 1}:{get_column_letter(c + spans[0])}{r + spans[1]}")
        while cells and cells[-1].value is None and cells[-1].formula is None:
            cells.pop()
        if not cells:
            r += repeat
            continue
        for _ in range(repeat):
            sheet.rows.extend([[]] * (r - len(sheet.rows)))
            sheet.rows.append([Cell(f"{get_column_letter(i + 1)}{r + 1}", c.value, c.number_format, c.formula, c.error)
                               for i, c in enumerate(cells)])  # fmt: skip
            r += 1
            sheet.content_rows += 1
            if sheet.content_rows > max_rows + 1:
                return sheet
    return sheet


def read_ods(path: Path, max_rows: int) -> list[OdsSheet]:
    """Every table of an .ods file (``max_rows``: stop reading a table after that many rows with content, plus one).

    Raises ``ValueError`` for a part larger than ``MAX_CONTENT_BYTES``, and ``zipfile.BadZipFile``, ``KeyError``
    or ``ET.ParseError`` (a ``SyntaxError``) for a file that is not a readable spreadsheet.
    """
    with zipfile.ZipFile(path) as z:
        for part in ("content.xml", "styles.xml"):
            info = z.getinfo(part) if part in z.namelist() else None
            if info is not None and info.file_size > MAX_CONTENT_BYTES:
                size, limit = (f"{n:,}".replace(",", " ") for n in (info.file_size, MAX_CONTENT_BYTES))
                raise ValueError(f"{part} is {size} bytes, more than the {limit} a template can have")
        content = ET.fromstring(z.read("content.xml"))
        styles = ET.fromstring(z.read("styles.xml")) if "styles.xml" in z.namelist() else ET.Element("none")
    codes = _number_formats(content, styles)
    formats, hidden = _cell_styles(codes, content, styles)
    return [_sheet(t, formats, hidden, max_rows) for t in content.iter(_q("table:table"))]
