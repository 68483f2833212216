"""Check a JSON-stat2 dataset against the mapping entries, and turn its cells into records.

Checks (every mismatch is a KostraError naming the entry, the table and what
was expected and found): the table id; the dimensions (exactly the ones the
entry selects, no more, no fewer); the contents code, its label and its unit;
each dimension code; the year; every municipality number asked for.

Cells: an ordinary number becomes a :class:`KostraValue`; an empty cell or a
cell with a JSON-stat ``status`` (SSB's ``.``, ``..``, ``...``, ``:``, ``-`` or
a footnote/status mark) becomes a :class:`KostraMissing` with the reason —
never 0. The ASSS groups are computed from the members' own figures: the
unweighted mean (rounded half up to the indicator's decimals), and the
lowest and highest member figure; if any member lacks the figure, the three
are missing rather than computed from fewer members.
"""

from __future__ import annotations

from decimal import Decimal

from .errors import KostraError
from .jsonstat import Dataset
from .mapping import ASSS_GROUPS, Entry, Mapping, Municipality
from .records import KostraMissing, KostraResult, KostraValue, decimals_of, literal

__all__ = ["SPECIAL_VALUES", "region_codes", "check_dataset", "convert_entry", "Provenance"]

SPECIAL_VALUES = {
    ".": "SSB '.': ikke mulig å oppgi tall (kategorien var ikke i bruk)",
    "..": "SSB '..': tallgrunnlag mangler",
    "...": "SSB '...': oppgave mangler",
    ":": "SSB ':': vises ikke av konfidensialitetshensyn (prikket)",
    "-": "SSB '-': null (ingenting å registrere)",
}
"""SSB's standard symbols as they come in the JSON-stat ``status`` of a cell."""


class Provenance:
    """Where the cells of one dataset came from."""

    def __init__(self, url: str, updated: str, fetched: str):
        self.url, self.updated, self.fetched = url, updated, fetched


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def region_codes(mapping: Mapping, entry: Entry, year: int) -> list[Municipality]:
    """The municipality rows an entry needs in ``year``: its plain groups, and the ASSS members if it has ASSS groups."""
    rows = [mapping.municipality(g, year) for g in entry.groups if g not in ASSS_GROUPS]
    if any(g in ASSS_GROUPS for g in entry.groups):
        rows += mapping.members("asss", year)
    return rows


def _label_problems(contents, entry: Entry) -> list[str]:
    """The contents code's label and unit, as SSB's page in one language gives them: the mapping's (``lang``) or the Norwegian."""
    label = contents.labels.get(entry.contents_code, "")
    unit = contents.units.get(entry.contents_code) or {}
    base = (unit.get("base") if isinstance(unit, dict) else None) or ""
    pairs = {(entry.contents_label, entry.unit): entry.lang, (entry.contents_label_no, entry.unit_no): "no"}
    if any(_norm(label) == _norm(lab) and _norm(base) == _norm(u) for lab, u in pairs):
        return []
    code = entry.contents_code
    if not any(_norm(label) == _norm(lab) for lab, _ in pairs):
        wanted = " or ".join(f"'{lab}'" for lab in dict.fromkeys(lab for lab, _ in pairs))
        pages = " or ".join(dict.fromkeys(pairs.values()))
        return [f"contents code {code}: expected label {wanted} (SSB's page in {pages}), found '{label}'"]
    wanted = " or ".join(f"'{u}'" for u in dict.fromkeys(u for lab, u in pairs if _norm(lab) == _norm(label)))
    return [f"contents code {code}: expected unit {wanted}, found '{base or 'no unit'}'"]


def check_dataset(ds: Dataset, entry: Entry, year: int, codes: list[str], where: str) -> None:
    """Raise KostraError listing every way ``ds`` does not match ``entry`` for ``year``."""
    name = f"mapping entry '{entry.entry}' ({entry.dataset} / {entry.indicator}), table {entry.table_id}, {where}"
    found_table = ds.table_id
    if found_table != entry.table_id:
        raise KostraError(f"{name}: expected table {entry.table_id}, found {found_table or 'no table id'} (label '{ds.label}')")
    problems = []
    expected = {"ContentsCode", "Tid", entry.region_dim, *entry.dimensions}
    extra, absent = sorted(set(ds.ids) - expected), sorted(expected - set(ds.ids))
    if extra:
        problems.append(f"the table has dimension(s) {', '.join(extra)} that the entry does not select (has the table changed?)")
    if absent:
        problems.append(f"expected dimension(s) {', '.join(absent)}, the table has {', '.join(ds.ids)}")
    if problems:
        raise KostraError(f"{name}: " + "; ".join(problems))
    contents = ds.dimensions["ContentsCode"]
    if contents.position(entry.contents_code) is None:
        found = ", ".join(f"{c} '{contents.labels.get(c, '')}'" for c in contents.codes)
        problems.append(f"expected contents code {entry.contents_code} ('{entry.contents_label}'), found {found}")
    else:
        problems += _label_problems(contents, entry)
    for dim, code in entry.dimensions.items():
        if ds.dimensions[dim].position(code) is None:
            problems.append(f"dimension {dim}: expected code {code}, found {', '.join(ds.dimensions[dim].codes)}")
    if ds.dimensions["Tid"].position(str(year)) is None:
        problems.append(f"expected year {year} in Tid, found {', '.join(ds.dimensions['Tid'].codes)}")
    region = ds.dimensions[entry.region_dim]
    lacking = [c for c in codes if region.position(c) is None]
    if lacking:
        problems.append(f"dimension {entry.region_dim}: expected municipality number(s) {', '.join(lacking)}, not in the table")
    if problems:
        raise KostraError(f"{name}: " + "; ".join(problems))


def _source_decimals(ds: Dataset, entry: Entry, value: Decimal) -> int:
    unit = ds.dimensions["ContentsCode"].units.get(entry.contents_code) or {}
    dec = unit.get("decimals") if isinstance(unit, dict) else None
    return dec if isinstance(dec, int) and not isinstance(dec, bool) and dec >= 0 else decimals_of(value)


def _reason(value: Decimal | None, status: str | None) -> str | None:
    """Why a cell is not an ordinary figure, or ``None`` if it is one."""
    if status is not None:
        known = SPECIAL_VALUES.get(status.strip())
        if known:
            return known
        shown = f", value {value}" if value is not None else ""
        return f"SSB status '{status}'{shown}: a footnoted or flagged figure; not imported automatically, check the table"
    if value is None:
        return "SSB gives no value for the cell"
    return None


def _cell(ds: Dataset, entry: Entry, year: int, code: str) -> tuple[Decimal | None, str | None]:
    coords = {"ContentsCode": entry.contents_code, "Tid": str(year), entry.region_dim: code, **entry.dimensions}
    value, status = ds.cell(coords)
    return value, _reason(value, status)


def _asss(ds: Dataset, entry: Entry, year: int, members: list[Municipality], prov: Provenance, result: KostraResult) -> None:
    groups = [g for g in entry.groups if g in ASSS_GROUPS]
    figures, lacking = [], []
    for m in members:
        value, reason = _cell(ds, entry, year, m.code)
        if reason:
            lacking.append(f"{m.municipality} {m.code} ({reason})")
        else:
            figures.append((m, value))
    if not members or lacking:
        why = f"ASSS members without the figure: {'; '.join(lacking)}" if members else "no ASSS members for the year"
        for g in groups:
            result.missing.append(KostraMissing(entry.dataset, entry.indicator, g, year, why, entry.table_id, prov.url))
        return
    places = min(entry.decimals, max(_source_decimals(ds, entry, v) for _, v in figures))
    names = ", ".join(f"{m.municipality} {m.code}" for m, _ in figures)
    values = [v for _, v in figures]
    for g in groups:
        kind = ASSS_GROUPS[g]
        if kind == "mean":
            text = literal(sum(values, Decimal(0)) / len(values), places)
            note = f"computed: unweighted mean of the {len(values)} ASSS members' figures, rounded half up to {places} decimals ({names})"
        else:
            target = min(values) if kind == "min" else max(values)
            who = ", ".join(f"{m.municipality} {m.code}" for m, v in figures if v == target)
            text = literal(target, places)
            word = "lowest" if kind == "min" else "highest"
            note = f"computed: {word} of the {len(values)} ASSS members' figures: {who}"
        result.values.append(
            KostraValue(entry.dataset, entry.indicator, g, year, text, entry.table_id, prov.url, prov.updated, prov.fetched, note)
        )


def convert_entry(ds: Dataset, entry: Entry, mapping: Mapping, year: int, prov: Provenance, result: KostraResult) -> None:
    """Add the figures (or the missing figures) of one checked entry for ``year`` to ``result``."""
    for g in entry.groups:
        if g in ASSS_GROUPS:
            continue
        m = mapping.municipality(g, year)
        value, reason = _cell(ds, entry, year, m.code)
        if reason:
            result.missing.append(KostraMissing(entry.dataset, entry.indicator, g, year, reason, entry.table_id, prov.url))
            continue
        src = _source_decimals(ds, entry, value)
        places = min(entry.decimals, src)
        notes = []
        if src > entry.decimals and decimals_of(value.normalize()) > entry.decimals:
            notes.append(f"rounded half up from SSB's {value} to {entry.decimals} decimals")
        if m.change == "merged" and m.from_year == year:
            notes.append(f"{m.municipality} {m.code} from {year}: {m.note}")
        result.values.append(
            KostraValue(
                entry.dataset, entry.indicator, g, year, literal(value, places), entry.table_id, prov.url, prov.updated, prov.fetched,
                "; ".join(notes),
            )
        )  # fmt: skip
    if any(g in ASSS_GROUPS for g in entry.groups):
        _asss(ds, entry, year, mapping.members("asss", year), prov, result)
