"""The executed chapters in a real browser: charts drawn, no errors, nothing remote, accessible.

``analysis.pipeline.preview.build_preview`` turns every ``book/<name>.ipynb`` into a page
(the outputs' HTML as is, the Markdown converted, the Vega bundle the book
ships); a stdlib HTTP server serves them on 127.0.0.1 (an ephemeral port) and
headless Chromium, Debian's ``/usr/bin/chromium`` driven by Playwright (never a
downloaded browser), loads each page once. Per chapter:

* no id occurs twice on the page;
* every chart container ``.va-chart`` gets an ``<svg>`` from vega-embed, and
  there are as many as the notebook has chart outputs;
* the console shows no error and the page throws nothing;
* no request leaves 127.0.0.1/localhost: every request is recorded, and any
  other is aborted, so a violation fails fast instead of hanging;
* axe-core (npm, pinned in package-lock.json: ``npm ci``) finds no violation of
  impact ``serious`` or ``critical`` under WCAG 2.0/2.1 A and AA. The run ends
  with a summary per chapter (violations by impact, passes).

Prerequisites: ``/usr/bin/chromium`` (``$CHROMIUM`` overrides), ``node_modules/axe-core``
and the ``playwright`` package. Without them the tests are skipped on a
developer's machine; with ``CI`` set they fail, so that CI never skips them
(``.ci/run`` installs everything).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from analysis import config
from analysis.pipeline.preview import build_preview
from helpers import book_fonts_env

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = config.PROJ_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    # the machine's closed network: without these Chromium calls home at every start
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-gpu",
    "--no-first-run",
    "--no-sandbox",  # CI runs as root
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
CHART_TIMEOUT_MS = 20_000

PAGES = [n for n in config.NOTEBOOKS if (config.BOOK_DIR / f"{n}.ipynb").exists()]

_AXE_RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return {
    version: axe.version,
    passes: r.passes.length,
    incomplete: r.incomplete.map(v => `${v.id} (${v.nodes.length} nodes)`),
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary}))
    }))
  };
}"""

_DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const e of document.querySelectorAll('[id]')) seen.set(e.id, (seen.get(e.id) || 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}"""

_CUT_LABELS = "() => [...document.querySelectorAll('.va-chart svg text')].map(t => t.textContent).filter(t => t.endsWith('\u2026'))"
"""Text vega cut short with an ellipsis (a label longer than its ``labelLimit`` as the browser measured it)."""
_ALL_CHARTS_DRAWN = "() => [...document.querySelectorAll('.va-chart')].every(c => c.querySelector('svg') !== null)"


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing() -> list[str]:
    missing = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"{CHROMIUM} not found (apt-get install --no-install-recommends chromium; .ci/run does it, no font package)")
    if not AXE.is_file():
        missing.append(f"{AXE.relative_to(config.PROJ_ROOT)} not found (run `npm ci` in the project root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package is not installed (make setup installs the dev dependencies)")
    return missing


@dataclass
class PageResult:
    """What loading one chapter showed."""

    name: str
    expected_charts: int
    charts: int = 0
    charts_drawn: int = 0
    chart_error: str | None = None
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    duplicate_ids: list[str] = field(default_factory=list)
    cut_labels: list[str] = field(default_factory=list)
    axe: dict = field(default_factory=dict)

    def summary(self) -> str:
        counts = {i: 0 for i in IMPACTS}
        for v in self.axe.get("violations", []):
            counts[v["impact"] or "minor"] = counts.get(v["impact"] or "minor", 0) + 1
        by_impact = ", ".join(f"{n} {i}" for i, n in counts.items())
        ids = ", ".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes)" for v in self.axe.get("violations", []))
        return (
            f"{self.name:<13} violations: {by_impact}; passes {self.axe.get('passes', 0)};"
            f" needs review {', '.join(self.axe.get('incomplete', [])) or 'none'};"
            f" charts {self.charts_drawn}/{self.charts}" + (f"; {ids}" if ids else "")
        )


class _AxeSummary:
    """A pytest plugin registered by the ``site`` fixture: prints the axe summary at the end of the run."""

    def __init__(self) -> None:
        self.results: dict[str, PageResult] = {}

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.results:
            return
        version = next(iter(self.results.values())).axe.get("version", "?")
        terminalreporter.section(f"axe-core {version} ({', '.join(AXE_TAGS)}) in Chromium")
        for r in self.results.values():
            terminalreporter.write_line(r.summary())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def require_browser() -> None:
    """Skip (or, in CI, fail) when Chromium, Playwright or axe-core is missing."""
    missing = _missing()
    if missing:
        message = "browser test prerequisites missing: " + "; ".join(missing)
        if _ci():
            pytest.fail(message + " (CI is set: not skipping)", pytrace=False)
        pytest.skip(message)


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1 at an ephemeral port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def chromium():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        env = book_fonts_env(Path(tempfile.mkdtemp(prefix="va-fonts-")))  # no system font needed (helpers.book_fonts_env)
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, env=env)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, request):
    """The preview pages served on 127.0.0.1 at an ephemeral port: (base URL, pages by name)."""
    require_browser()
    out = tmp_path_factory.mktemp("preview")
    pages = {p.name: p for p in build_preview(config.BOOK_DIR, out, PAGES)}
    summary = _AxeSummary()
    request.config.pluginmanager.register(summary, "virksomhetsanalyse-axe-summary")
    with serve(out) as url:
        yield url, pages, summary


@pytest.fixture(scope="module")
def browser(site):
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def loaded(site, browser):
    """Load each chapter once (lazily) and keep what it showed: ``loaded(name) -> PageResult``."""
    base, pages, summary = site
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(CHART_TIMEOUT_MS)

    def load(name: str) -> PageResult:
        if name in summary.results:
            return summary.results[name]
        result = PageResult(name=name, expected_charts=pages[name].charts)
        page = context.new_page()

        def on_request(req) -> None:
            result.requests.append(req.url)

        def route(r) -> None:
            url = urlsplit(r.request.url)
            if url.scheme in LOCAL_SCHEMES or url.hostname in LOCAL_HOSTS:
                r.continue_()
            else:
                result.blocked.append(r.request.url)
                r.abort("blockedbyclient")

        page.on("request", on_request)
        page.on("console", lambda msg: result.console_errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: result.console_errors.append(f"uncaught: {exc}"))
        page.route("**/*", route)
        try:
            page.goto(f"{base}/{name}.html", wait_until="load")
            result.charts = page.locator(".va-chart").count()
            try:
                page.wait_for_function(_ALL_CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
            except Exception as exc:  # a timeout: keep going, the chart test reports it
                result.chart_error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            result.charts_drawn = page.locator(".va-chart svg").count()
            result.cut_labels = page.evaluate(_CUT_LABELS)
            result.duplicate_ids = page.evaluate(_DUPLICATE_IDS)
            page.add_script_tag(path=str(AXE))
            result.axe = page.evaluate(_AXE_RUN, AXE_TAGS)
        finally:
            page.close()
        summary.results[name] = result
        return result

    yield load
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_charts_drawn(loaded, name):
    r = loaded(name)
    on_page, expected, drawn, error = r.charts, r.expected_charts, r.charts_drawn, r.chart_error
    assert on_page == expected, f"{name}: {on_page} .va-chart on the page, the notebook has {expected} chart outputs"
    assert error is None and drawn == on_page, f"{name}: {drawn} of {on_page} charts drawn ({error})"


@pytest.mark.parametrize("name", PAGES)
def test_chart_labels_drawn_whole(loaded, name):
    assert loaded(name).cut_labels == [], f"{name}: labels cut short in the drawn charts"


@pytest.mark.parametrize("name", PAGES)
def test_no_console_errors(loaded, name):
    errors = loaded(name).console_errors
    assert errors == [], f"{name}: " + "; ".join(errors)


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_localhost(loaded, name):
    r = loaded(name)
    remote = sorted(
        {u for u in r.requests + r.blocked if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname not in LOCAL_HOSTS}
    )
    assert remote == [], f"{name}: requests to other hosts (blocked): {remote}"
    assert any(u.endswith(f"/{name}.html") for u in r.requests), f"{name}: the request log recorded nothing"


@pytest.mark.parametrize("name", PAGES)
def test_axe_no_serious_violations(loaded, name):
    r = loaded(name)
    assert r.axe.get("passes", 0) > 0, f"{name}: axe did not run"
    bad = [v for v in r.axe["violations"] if v["impact"] in FAILING_IMPACTS]
    lines = []
    for v in bad:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['html'][:160]}\n      {n['summary']}" for n in v["nodes"][:5]]
    assert not bad, f"{name}: axe found serious/critical violations:\n" + "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_no_duplicate_ids(loaded, name):
    # axe 4.x no longer checks this under the WCAG tags (WCAG 2.2 dropped 4.1.1), but a page of the
    # book holds a whole chapter: two outputs with one id would break the charts and the links
    dups = loaded(name).duplicate_ids
    assert dups == [], f"{name}: duplicate ids {dups}"


def test_every_chapter_checked():
    # every executed chapter is in book/, so none is silently left out of the checks above
    assert PAGES == list(config.NOTEBOOKS)


def test_preview_pages_carry_no_quarto_syntax(tmp_path):
    # runs without a browser: the page builder's output is plain HTML (the checks above see what a reader sees)
    import re

    pages = build_preview(config.BOOK_DIR, tmp_path, PAGES)
    assert [p.name for p in pages] == PAGES
    assert (tmp_path / "assets" / "vega-bundle.js").stat().st_size > 100_000
    assert {p.charts > 0 for p in pages} == {True, False}  # pages of both kinds
    for p in pages:
        text = p.path.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and '<html lang="nb">' in text, p.name
        assert re.search(r"<title>[^<]+</title>", text) and text.count("<main>") == 1, p.name
        assert re.search(r'<main>\s*<h1 id="sec-[a-z0-9-]+">', text), f"{p.name}: the page must open with the chapter's <h1>"
        assert ('<script src="assets/vega-bundle.js">' in text) == (p.charts > 0), f"{p.name}: the bundle is for pages with charts"
        body = re.sub(r"<script\b.*?</script>", "", text, flags=re.DOTALL)
        leftovers = re.findall(
            r"(?:^|>)\s*:::|\{#(?:sec|fig|tbl)-[\w-]+\}|\?@[\w-]+|(?<![\w/])@(?:sec|fig|tbl)-[\w-]+", body, flags=re.MULTILINE
        )
        assert leftovers == [], f"{p.name}: Quarto syntax left in the page: {leftovers[:5]}"


def test_preview_pairs_nested_fenced_divs_as_pandoc_does(tmp_path):
    """A bare ``:::`` closes the innermost open div (why the preview does not use mdit-py-plugins' container)."""
    import json
    import re

    md = "::: {.callout-note}\n## Merk\n\nFør.\n\n::: {#indre .boks}\nInni.\n:::\n\nEtter, fortsatt i merknaden.\n:::\n\nUtenfor.\n"
    nb = {"cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Tittel {#sec-t}\n\n" + md}], "metadata": {}}
    book = tmp_path / "book"
    book.mkdir()
    (book / "t.ipynb").write_text(json.dumps({**nb, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    (page,) = build_preview(book, tmp_path / "out", ["t"])
    body = re.sub(r">\s+<", "><", page.path.read_text(encoding="utf-8").split("<main>")[1])
    callout = re.search(r'<div class="callout callout-note" role="note">(.*?)</div><p>Utenfor', body)
    assert callout, body
    assert '<p class="callout-title">Merk</p>' in callout.group(1)
    assert '<div class="boks" id="indre"><p>Inni.</p></div>' in callout.group(1)
    assert "<p>Etter, fortsatt i merknaden.</p>" in callout.group(1)


def test_the_published_editions_landing_page_is_accessible_and_local(browser, tmp_path):
    """``_site/index.html`` (``analysis.pipeline.site``): Norwegian, axe-clean, nothing fetched from elsewhere."""
    from analysis.pipeline.site import SiteEntry, landing_page
    from analysis.present import fonts

    fonts.write_web_fonts(tmp_path)
    entries = [SiteEntry(2019, "2020-03-15", "2019/index.html", "2019/virksomhetsanalyse.pdf", 2_800_000),
               SiteEntry(2018, "2019-03-15", None, None, None)]  # fmt: skip
    (tmp_path / "index.html").write_text(landing_page(entries), encoding="utf-8")
    requests: list[str] = []
    with serve(tmp_path) as base:
        page = browser.new_page()
        page.on("request", lambda req: requests.append(req.url))
        page.goto(f"{base}/index.html", wait_until="load")
        assert page.evaluate("document.documentElement.lang") == "nb"
        assert page.locator("h1").count() == 1 and page.locator("li a").count() == 2
        page.add_script_tag(path=str(AXE))
        axe = page.evaluate(_AXE_RUN, AXE_TAGS)
        page.close()
    assert axe["passes"] > 0 and not [v for v in axe["violations"] if v["impact"] in FAILING_IMPACTS], axe["violations"]
    assert all(urlsplit(u).hostname in LOCAL_HOSTS for u in requests), requests
    assert any(u.endswith(".ttf") for u in requests), "the typeface comes from beside the page"
