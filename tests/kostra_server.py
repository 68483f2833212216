"""A local stand-in for SSB's Statistikkbank API: an ``http.server`` on 127.0.0.1 that replays scripted answers.

Shared by tests/test_kostra.py (the fetcher) and tests/test_kostra_cli.py (the
``kostra`` command). No test touches the network: the server listens on a
random port in its own thread and answers from tests/fixtures/kostra/SYNTHETIC_*.json
(invented values, see the README there).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

FIX = Path(__file__).resolve().parent / "fixtures" / "kostra"

# the dataset and the indicators of data/kostra_mapping.csv the fixtures answer for
DS = "adm_tjenesteprofil"
ADMIN = "brutto_driftsutgifter_administrasjon_per_innbygger"
LOKALER = "brutto_driftsutgifter_administrasjonslokaler_per_innbygger"
POLITISK = "brutto_driftsutgifter_politisk_styring_per_innbygger"
KONTROLL = "brutto_driftsutgifter_kontroll_revisjon_per_innbygger"
EIENDOM = "brutto_driftsutgifter_forvaltning_eiendom_per_innbygger"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def fixture(name: str) -> Answer:
    return Answer(body=(FIX / name).read_bytes(), headers={"Content-Type": "application/json; charset=utf-8"})


class Server:
    """Replays ``data`` answers in order (the last one repeats) and ``info`` answers for /tables/{id}."""

    def __init__(self):
        self.data: list[Answer] = []
        self.info: list[Answer] = []
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                owner.requests.append(self.path)
                path = urlsplit(self.path).path
                queue = owner.data if path.endswith("/data") else owner.info
                answer = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else Answer(418, b"no scripted answer")
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for k, v in answer.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/pxwebapi/v2"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def data_requests(self) -> list[dict[str, str]]:
        """The query of every data request, as {parameter: value} with the brackets decoded."""
        out = []
        for p in self.requests:
            parts = urlsplit(p)
            if parts.path.endswith("/data"):
                out.append({unquote(k): v[0] for k, v in parse_qs(parts.query).items()})
        return out

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
