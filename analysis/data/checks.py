"""``checks.yaml``: declarations that relate figures across rows and datasets.

The file is a list of entries, each with an ``id``, a ``title`` and the
``source`` section, and one of two kinds:

* an **identity** (``total`` and ``terms``, each term with an optional
  ``coef``): a linear relation the source's tables should satisfy. It is
  judged with the rounding of its inputs (``analysis.data.consistency``); a
  gap is a finding for the data-quality appendix, not an error.
* a **same fact** (``same_fact``: two or more references, optional ``years``):
  one fact that the source prints in several tables, so it is stored in
  several datasets. ``validate`` requires every dataset to hold it with the
  same value, for every year from the first year all of them hold (or for
  the ``years`` listed): a year imported into one dataset but not the other
  is an error, as is a different value.

A reference is ``{dataset, indicator, group}``. ``checks_problems`` reports
an entry of unknown shape or key, and a reference to an unknown dataset,
indicator or group, so that a declaration cannot be disabled by a typo.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from analysis.config import CHECKS_FILE
from analysis.data.package import parse_yaml
from analysis.data.problems import Problem, display

__all__ = ["Observations", "parse_checks", "identities", "same_facts", "checks_problems"]

Observations = dict[str, dict[tuple[int, str, str], tuple[str, int, str]]]
"""``{dataset: {(year, indicator, group): (file, row, value literal)}}``."""

_KEYS = {"identity": {"id", "title", "source", "total", "terms"}, "same fact": {"id", "title", "source", "same_fact", "years"}}
_REF_KEYS = {"dataset", "indicator", "group"}


def parse_checks(text: str) -> list[dict]:
    """The entries of ``checks.yaml`` (raises ``yaml.YAMLError``; parsed once per text: ``package.parse_yaml``)."""
    return parse_yaml(text.encode("utf-8")) or []


def identities(entries: list[dict]) -> list[dict]:
    """The linear identities among the entries."""
    return [e for e in entries if not (isinstance(e, dict) and "same_fact" in e)]


def same_facts(entries: list[dict]) -> list[dict]:
    """The same-fact declarations among the entries."""
    return [e for e in entries if isinstance(e, dict) and "same_fact" in e]


def _shape(entry: object, n: int) -> tuple[str, list[str]]:
    """The entry's name in messages, and what is wrong with its shape."""
    if not isinstance(entry, dict):
        return f"entry {n}", ["expected a mapping with id, title, source and either total and terms, or same_fact"]
    name = f"check '{entry.get('id')}'" if entry.get("id") else f"entry {n}"
    kind = "same fact" if "same_fact" in entry else "identity"
    wrong = [] if isinstance(entry.get("id"), str) else ["needs an id"]
    unknown = sorted(set(map(str, entry)) - _KEYS[kind])
    if unknown:
        article = "an" if kind == "identity" else "a"
        wrong.append(f"unknown key {', '.join(repr(k) for k in unknown)} ({article} {kind} has the keys {', '.join(sorted(_KEYS[kind]))})")
    refs = [("same_fact", r) for r in entry.get("same_fact") or []] if kind == "same fact" else []
    if kind == "same fact":
        if not isinstance(entry["same_fact"], list) or len(entry["same_fact"]) < 2:
            wrong.append("same_fact needs a list of at least two references (dataset, indicator, group)")
            refs = []
        years = entry.get("years")
        if years is not None and not (isinstance(years, list) and years and all(isinstance(y, int) for y in years)):
            wrong.append("years, when given, is a list of whole years")
    else:
        total, terms = entry.get("total"), entry.get("terms")
        if not isinstance(total, dict) or not isinstance(terms, list) or not terms:
            wrong.append("an identity needs total (a reference) and terms (a list of references)")
        else:
            refs = [("total", total)] + [("terms", t) for t in terms]
    for where, ref in refs:
        allowed = _REF_KEYS | ({"coef"} if where == "terms" else set())
        if not isinstance(ref, dict) or not _REF_KEYS <= set(ref) or set(ref) - allowed:
            wrong.append(f"each reference in {where} has the keys {', '.join(sorted(allowed))}, found {ref!r}")
        elif "coef" in ref and (isinstance(ref["coef"], bool) or not isinstance(ref["coef"], int | float)):
            wrong.append(f"coef is a number, found {ref['coef']!r}")
    return name, wrong


def _references(entry: dict) -> list[dict]:
    if "same_fact" in entry:
        return list(entry["same_fact"])
    return [entry["total"], *entry["terms"]]


def _same_fact_problems(file: str, name: str, entry: dict, obs: Observations) -> list[Problem]:
    """Every year one dataset holds the fact and another does not, and every value that differs."""
    refs = entry["same_fact"]
    series = []
    for ref in refs:
        key = (ref["indicator"], ref["group"])
        found = {y: hit for (y, *k), hit in obs[ref["dataset"]].items() if tuple(k) == key}
        if not found and not entry.get("years"):
            msg = f"{name}: {ref['dataset']} has no figures for {ref['indicator']} / {ref['group']}, so it cannot hold the same fact"
            return [Problem(file, None, None, msg, "dangling-reference")]
        series.append(found)
    if entry.get("years"):
        years = sorted(set(entry["years"]))
    else:
        start = max(min(s) for s in series)
        years = sorted({y for s in series for y in s if y >= start})
    what = f"{refs[0]['indicator']} / {refs[0]['group']}"
    problems = []
    for y in years:
        held = [(ref, s[y]) for ref, s in zip(refs, series, strict=True) if y in s]
        if not held:
            problems.append(Problem(file, None, None, f"{name}: no dataset holds {what} for {y} (listed in years)", "same-fact"))
            continue
        (first, (f0, row0, v0)) = held[0]
        for ref, s in zip(refs, series, strict=True):
            if y not in s:
                msg = (
                    f"{first['dataset']} holds {first['indicator']} / {first['group']} for {y} ({v0}), {ref['dataset']} does not: "
                    f"expected the same figure in {ref['dataset']} ({ref['indicator']} / {ref['group']}), found none; they are one fact "
                    f"({file} '{entry['id']}'): import it into both datasets, or into neither"
                )
                problems.append(Problem(f0, row0, "year", msg, "same-fact"))
        for ref, (f, row, v) in held[1:]:
            if Decimal(v) != Decimal(v0):
                msg = (
                    f"{ref['dataset']} and {first['dataset']} differ for {what} in {y}: expected {v0} as in {first['dataset']} "
                    f"({f0}, row {row0}), found {v}; they are one fact ({file} '{entry['id']}') and must hold the same value"
                )
                problems.append(Problem(f, row, "value", msg, "same-fact"))
    return problems


def checks_problems(data_dir: Path, obs: Observations, indicators: set[str], groups: set[str], broken: set[str]) -> list[Problem]:
    """What is wrong with ``checks.yaml``, and every same fact the datasets do not hold alike.

    ``obs`` holds the observation datasets the schema check passed; ``broken``
    names those it did not (their references are not judged: no cascade).
    """
    path = Path(data_dir) / CHECKS_FILE
    if not path.exists():
        return []
    file = display(data_dir, CHECKS_FILE)
    try:
        entries = parse_checks(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        return [Problem(file, None, None, f"not valid YAML: {exc}", "checks")]
    if not isinstance(entries, list):
        return [Problem(file, None, None, "expected a list of checks (identities and same facts)", "checks")]
    problems = []
    for n, entry in enumerate(entries, start=1):
        name, wrong = _shape(entry, n)
        if wrong:
            problems += [Problem(file, None, None, f"{name}: {w}", "checks") for w in wrong]
            continue
        ok = True
        for ref in _references(entry):
            if ref["dataset"] not in obs and ref["dataset"] not in broken:
                problems.append(Problem(file, None, None, f"{name}: unknown dataset '{ref['dataset']}'", "unknown-id"))
            elif ref["indicator"] not in indicators:
                problems.append(Problem(file, None, None, f"{name}: unknown indicator '{ref['indicator']}'", "unknown-id"))
            elif ref["group"] not in groups:
                problems.append(Problem(file, None, None, f"{name}: unknown group '{ref['group']}'", "unknown-id"))
            else:
                ok = ok and ref["dataset"] not in broken
                continue
            ok = False
        if ok and "same_fact" in entry:
            problems += _same_fact_problems(file, name, entry, obs)
    return problems
