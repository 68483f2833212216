"""Read a great-tables table back from its HTML: column labels, spanners, body cells with their style, notes."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str
    style: str

    @property
    def bold(self) -> bool:
        return "font-weight: bold" in self.style


@dataclass
class Table:
    columns: list[str] = field(default_factory=list)
    spanners: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    """Text of great-tables' own title and subtitle (the house style leaves none: Quarto's caption is the one caption)."""

    def bold_rows(self) -> list[str]:
        """Labels of the rows whose every cell is bold."""
        return [r[0].text for r in self.rows if r and all(c.bold for c in r)]

    def row(self, label: str) -> list[str]:
        return next([c.text for c in r] for r in self.rows if r[0].text == label)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.table = Table()
        self._target: tuple[str, str] | None = None
        self._buf: list[str] = []
        self._style = ""
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.table.rows.append([])
        elif tag == "th" and "gt_col_heading" in cls:
            self._start("column", a)
        elif tag == "span" and "gt_column_spanner" in cls and "gt_column_spanner_outer" not in cls:
            self._start("spanner", a)
        elif tag == "td" and self._in_body:
            self._start("cell", a)
        elif tag == "td" and "gt_sourcenote" in cls:
            self._start("note", a)
        elif tag == "td" and ("gt_title" in cls or "gt_subtitle" in cls):
            self._start("heading", a)

    def _start(self, kind, attrs):
        self._target, self._buf, self._style = (kind, ""), [], attrs.get("style") or ""

    def handle_data(self, data):
        if self._target:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        if not self._target or tag not in ("th", "td", "span"):
            return
        kind = self._target[0]
        if kind == "spanner" and tag != "span" or kind != "spanner" and tag == "span":
            return
        text = "".join(self._buf).strip()
        {
            "column": lambda: self.table.columns.append(text),
            "spanner": lambda: self.table.spanners.append(text),
            "cell": lambda: self.table.rows[-1].append(Cell(text, self._style)),
            "note": lambda: self.table.notes.append(text),
            "heading": lambda: self.table.headings.append(text),
        }[kind]()
        self._target = None


def read_table(html: str) -> Table:
    r = _Reader()
    r.feed(html)
    return r.table
