"""The HTML export where people open it: headless Chromium (Debian's `chromium`, which .ci/run
installs when missing). The page renders; no script runs; no request leaves the page.

Chromium gets a proxy of our own for every request (loopback aside) and records what asks for
it. Chromium itself calls Google services (time, updates) whatever the page: those hosts are
set aside; a control page with an <img> and a <script> proves the recorder and the DOM check
would see a page that did either.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from briefing.core.parser import load_brief
from briefing.core.sentences import sentence_spans
from briefing.export import export_html
from briefing.store import Store

pytestmark = [
    pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (.ci/run installs it)"),
    pytest.mark.xdist_group("e2e"),  # a browser is heavy: one at a time, beside the tmux tests
]

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile" / "briefs" / "html_injection.md"
SHIPPED = HERE.parent / "briefs" / "2024-06-19-japan-new-zealand-information-sharing-pact.md"
BROWSER_OWN = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")


class Recorder:
    """A proxy that answers 404 to everything and remembers each request line."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    line = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                    self.requests.append(line)
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    def from_page(self) -> list[str]:
        return [r for r in self.requests if not any(host in r for host in BROWSER_OWN)]

    def close(self) -> None:
        self.sock.close()


def chromium(page: Path, recorder: Recorder, tmp_path: Path, *extra: str) -> str:
    """The page's DOM after load (and after any script could have run)."""
    args = [
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}",
        f"--proxy-server=http://127.0.0.1:{recorder.port}", "--proxy-bypass-list=<-loopback>",
        "--virtual-time-budget=3000", *extra, page.as_uri(),
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.fixture
def recorder():
    r = Recorder()
    yield r
    r.close()


def test_the_recorder_and_the_dom_check_would_catch_a_page_that_calls_out(tmp_path, recorder):
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><title>c</title><img src="http://leak.example/x.png">'
                       "<script>document.title = 'RAN'</script>", encoding="utf-8")
    dom = chromium(control, recorder, tmp_path, "--dump-dom")
    assert "<title>RAN</title>" in dom
    assert any("leak.example" in r for r in recorder.from_page())


def test_a_hostile_brief_exported_to_html_renders_inert(tmp_path, recorder):
    brief = load_brief(HOSTILE)
    store = Store.open(tmp_path / "data")
    start, end = sentence_spans(brief)[0]
    highlight = store.add_highlight(brief, start, end, note="<script>document.title='NOTE-RAN'</script>")
    page = tmp_path / "hostile.html"
    page.write_text(export_html(brief, [highlight]), encoding="utf-8")
    dom = chromium(page, recorder, tmp_path, "--dump-dom")
    assert "<article>" in dom and "<footer>Exported by briefing.</footer>" in dom  # it rendered
    assert "NOTE-RAN" not in dom.split("<title>", 1)[1].split("</title>", 1)[0]  # no script ran
    assert "<script" not in dom.lower().replace("&lt;script", "")  # none is on the page
    assert "&lt;script&gt;document.title='NOTE-RAN'&lt;/script&gt;" in dom  # the note, as text
    assert recorder.from_page() == []  # nothing asked for the network


def test_the_shipped_brief_renders_with_its_legend_and_highlights(tmp_path, recorder):
    brief = load_brief(SHIPPED)
    store = Store.open(tmp_path / "data")
    start, end = sentence_spans(brief)[1]
    highlight = store.add_highlight(brief, start, end, note="why it matters")
    page = tmp_path / "brief.html"
    page.write_text(export_html(brief, [highlight]), encoding="utf-8")
    dom = chromium(page, recorder, tmp_path, "--dump-dom")
    assert '<section class="legend"' in dom and '<mark class="highlight"' in dom
    assert "19 Jun 2024" in dom  # dates in words
    shot = tmp_path / "shot.png"
    chromium(page, recorder, tmp_path, f"--screenshot={shot}", "--window-size=1000,1400")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page with text on it, not a blank
    assert recorder.from_page() == []
