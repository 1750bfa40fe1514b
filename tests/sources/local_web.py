"""A local web server for tests that fetch documents: pages, redirects, large and slow bodies."""

import contextlib
import http.server
import threading
import time

import pytest

PAGE = b"""<html lang="en"><head><title>Sirte: who's who</title>
<meta property="og:site_name" content="IRIN"></head><body><article>
<p>The Libyan city of Sirte was held by several armed groups in the course of 2007.</p>
<p>This paragraph names the commanders and the factions that held each quarter.</p>
</article></body></html>"""

ROUTES = {
    "/page": (200, "text/html; charset=utf-8", PAGE),
    "/notes.txt": (200, "text/plain", b"title: Field notes\n\nThe convoy left at dawn on Monday."),
    "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    "/missing": (404, "text/html", b"<p>Not here</p>"),
    "/latin1": (200, "text/plain; charset=ISO-8859-1", "Caf\u00e9 in Kandahar.".encode("latin-1")),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/hop/"):  # /hop/3 → /hop/2 → … → /page
            left = int(path.rsplit("/", 1)[1])
            return self._redirect("/page" if left <= 1 else f"/hop/{left - 1}")
        if path == "/to-loopback":
            return self._redirect(f"http://127.0.0.1:{self.server.server_port}/page")
        if path == "/to-private":
            return self._redirect("http://10.0.0.1/page")
        if path == "/to-ftp":
            return self._redirect("ftp://example.org/file.txt")
        if path == "/big":
            return self._send(200, "text/plain", b"word " * 300_000, length=True)
        if path == "/big-unannounced":
            return self._send(200, "text/plain", b"word " * 300_000, length=False)
        if path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"slow words ")
                self.wfile.flush()
                time.sleep(0.1)
            return None
        if path == "/host":
            return self._send(200, "text/plain", self.headers["Host"].encode())
        status, content_type, body = ROUTES.get(path, (404, "text/plain", b"no"))
        return self._send(status, content_type, body)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status, content_type, body, length=True):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading past its limit
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
