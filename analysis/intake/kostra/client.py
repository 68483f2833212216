"""HTTP access to SSB's Statistikkbank (PxWebApi 2): query URLs, retries, rate limit, clear errors.

The URL format follows SSB's user guide ("API mot statistikkbanken –
brukerveiledning", https://www.ssb.no/api/api-mot-statistikkbanken--brukerveiledning):
``{base}/tables/{id}/data?lang=no&outputFormat=json-stat2&valueCodes[Dim]=a,b``,
and ``{base}/tables/{id}?lang=no`` for the table's basic information
(including ``updated``). SSB allows 800 000 cells per query and 30 queries a
minute per address; the client keeps to both.

Retries are urllib3's ``Retry`` (HTTP 429 and 5xx, connection and read
errors), with exponential backoff and SSB's ``Retry-After`` respected. Every
failure becomes one :class:`KostraError` line that says what happened.
"""

from __future__ import annotations

import collections
import json
import re
import time
from collections.abc import Callable
from urllib.parse import parse_qs, quote, unquote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
from urllib3.util.retry import Retry

from .errors import KostraError, SsbUnreachable

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_CELLS",
    "CALLS_PER_MINUTE",
    "RETRY_STATUSES",
    "RateLimiter",
    "make_session",
    "data_url",
    "table_url",
    "table_page",
    "Client",
]

DEFAULT_BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
MAX_RESPONSE_BYTES = 20_000_000
"""Largest answer read (``jsonstat.MAX_BYTES``): a longer one is refused before it is parsed."""
MAX_CELLS = 800_000
CALLS_PER_MINUTE = 30
RETRY_STATUSES = (429, 500, 502, 503, 504)
USER_AGENT = "virksomhetsanalyse-kostra (Bærum kommune; python-requests)"


class RateLimiter:
    """At most ``calls`` requests in any ``period`` seconds (a sliding window)."""

    def __init__(
        self,
        calls: int = CALLS_PER_MINUTE,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.calls, self.period, self.clock, self.sleep = calls, period, clock, sleep
        self._sent: collections.deque[float] = collections.deque()

    def wait(self) -> None:
        """Block until one more request is allowed, then count it."""
        now = self.clock()
        while self._sent and now - self._sent[0] >= self.period:
            self._sent.popleft()
        if len(self._sent) >= self.calls:
            self.sleep(self.period - (now - self._sent[0]))
            now = self.clock()
            self._sent.popleft()
        self._sent.append(now)


def make_session(retries: int = 4, backoff: float = 1.0) -> requests.Session:
    """A session that retries GET on 429/5xx and on connection or read errors, with backoff and Retry-After."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        backoff_max=60.0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=True,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


def _base(base_url: str) -> str:
    return base_url.rstrip("/")


def data_url(base_url: str, table_id: str, selection: dict[str, list[str]], lang: str = "no") -> str:
    """The GET URL of a data query: one ``valueCodes[dim]=a,b`` per dimension, json-stat2 output."""
    parts = [f"lang={quote(lang)}", "outputFormat=json-stat2"]
    for dim, codes in selection.items():
        parts.append(f"valueCodes[{quote(dim, safe='')}]=" + ",".join(quote(c, safe="") for c in codes))
    return f"{_base(base_url)}/tables/{quote(table_id, safe='')}/data?" + "&".join(parts)


def table_url(base_url: str, table_id: str, lang: str = "no") -> str:
    """The URL of a table's basic information (title, ``updated``, first and last period)."""
    return f"{_base(base_url)}/tables/{quote(table_id, safe='')}?lang={quote(lang)}"


def table_page(table_id: str) -> str:
    """The table's page in the Statistikkbank on ssb.no (where a saved file is downloaded from)."""
    return f"https://www.ssb.no/statbank/table/{quote(table_id, safe='')}"


def _short(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _ssb_message(response: requests.Response, body: bytes) -> str:
    """The error SSB sends with a 4xx on one line: its ``type``, ``title``, ``status`` and ``detail`` (RFC 9457), or plain text."""
    try:
        answer = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return _short(body.decode("utf-8", "replace") or response.reason or "")
    if isinstance(answer, dict):
        kind, title, detail = (answer.get(k) for k in ("type", "title", "detail"))
        bits = [f"{kind}: {title}" if kind and title else str(title or kind or "")]
        bits += [str(answer[k]) for k in ("detail", "message", "error") if answer.get(k)]
        if answer.get("status"):
            bits.append(f"status {answer['status']}")
        if any(bits):
            return _short("; ".join(b for b in bits if b), 300)
    return _short(str(answer))


def query_codes(url: str) -> str:
    """The codes a data query asks for, from its URL: ``table 12362, ContentsCode=KOSbelopinnbygge0000, Tid=2019, …``."""
    parts = urlsplit(url)
    table = re.search(r"/tables/([^/]+)", parts.path)
    codes = [f"{k[len('valueCodes[') : -1]}={','.join(v)}" for k, v in parse_qs(parts.query).items() if k.startswith("valueCodes[")]
    return ", ".join([f"table {unquote(table.group(1))}" if table else "", *codes]).strip(", ")


class Client:
    """GET requests to one Statistikkbank API base URL."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        limiter: RateLimiter | None = None,
    ):
        self.base_url = _base(base_url)
        self.session = session or make_session(retries, backoff)
        self.timeout = timeout
        self.retries = retries
        self.limiter = limiter or RateLimiter()

    def get_text(self, url: str) -> str:
        """The body of a successful GET.

        Raises SsbUnreachable (one line) when SSB cannot be reached, does not answer in time or
        keeps answering 429/5xx after the retries; KostraError when SSB refuses the query (4xx).
        """
        self.limiter.wait()
        try:
            response = self.session.get(url, timeout=self.timeout, stream=True)
            body = self._body(response, url)
        except requests.exceptions.RetryError as e:
            m = re.search(r"too many (\d{3}) error responses", str(e))
            code = f"HTTP {m.group(1)}" if m else "an error status"
            raise SsbUnreachable(
                f"SSB kept answering {code} after {self.retries} retries (too many requests or a server error); try again later: {url}"
            ) from None
        except requests.exceptions.Timeout:
            raise SsbUnreachable(f"SSB did not answer within {self.timeout:g} s (after {self.retries} retries): {url}") from None
        except requests.exceptions.ConnectionError as e:
            reason = e.args[0].reason if e.args and isinstance(e.args[0], MaxRetryError) else e
            if isinstance(reason, ReadTimeoutError):
                raise SsbUnreachable(f"SSB did not answer within {self.timeout:g} s (after {self.retries} retries): {url}") from None
            raise SsbUnreachable(f"cannot reach SSB at {self.base_url} (no connection; check the network): {url}") from None
        except requests.exceptions.RequestException as e:
            raise SsbUnreachable(f"request to SSB failed ({type(e).__name__}): {url}") from None
        if response.status_code != 200:
            raise KostraError(
                f"SSB refused the query with HTTP {response.status_code}: {_ssb_message(response, body)}; "
                f"the query asked for {query_codes(url) or 'nothing'} (check these codes against data/kostra_mapping.csv); URL: {url}"
            )
        return body.decode(response.encoding or "utf-8", errors="replace")

    @staticmethod
    def _body(response: requests.Response, url: str) -> bytes:
        """The answer's bytes, at most ``MAX_RESPONSE_BYTES`` (refused before more is read)."""
        body = bytearray()
        try:
            for chunk in response.iter_content(65536):
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    mb = MAX_RESPONSE_BYTES // 1_000_000
                    raise KostraError(f"SSB's answer is larger than {mb} MB, more than any query of the book asks for: {url}")
        finally:
            response.close()
        return bytes(body)

    def table_updated(self, table_id: str, lang: str = "no") -> str | None:
        """The ``updated`` time SSB gives in the table's basic information, if any."""
        url = table_url(self.base_url, table_id, lang)
        try:
            info = json.loads(self.get_text(url))
        except ValueError:
            raise KostraError(f"table {table_id}: expected JSON table information, found something else: {url}") from None
        value = info.get("updated") if isinstance(info, dict) else None
        return str(value) if value else None
