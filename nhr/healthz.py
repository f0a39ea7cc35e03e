"""``GET /healthz`` for webhook mode: the answer of ``nhr health`` over HTTP.

PTB's webhook server (tornado, started inside ``Application.run_webhook``) takes no extra
routes through its public API, so this is a small standard-library server of its own on
``HEALTH_PORT`` (default 8081; 0: none), on the webhook's listen address, in a daemon thread.
200 with ``ok`` when healthy, 503 with the failing checks otherwise; other paths 404.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from core.doctor import Check

log = logging.getLogger(__name__)

PATH = "/healthz"


def serve_health(
    listen: str, port: int, checks: Callable[[], list[Check]]
) -> tuple[int, Callable[[], None]]:
    """Serve ``GET /healthz`` on ``listen:port`` (0: a free port) in a thread; returns the
    port and the stop."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] != PATH:
                self._answer(404, {"status": "not found"})
                return
            try:
                found = checks()
            except Exception as err:  # the check itself broke: unhealthy, say why
                self._answer(503, {"status": "fail", "error": type(err).__name__})
                return
            failed = [c for c in found if c.failed]
            body = {
                "status": "fail" if failed else "ok",
                "checks": [
                    {"name": c.name, "status": c.status.value, "detail": c.detail} for c in found
                ],
            }
            self._answer(503 if failed else 200, body)

        def _answer(self, status: int, body: Mapping[str, object]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Monitoring polls often: no access log."""

    server = ThreadingHTTPServer((listen, port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="nhr-healthz", daemon=True)
    thread.start()
    log.info("health check on http://%s:%s%s", listen, server.server_address[1], PATH)

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return server.server_address[1], stop
