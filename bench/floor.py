"""The Python floor: a bare WSGI app returning the article page's bytes from memory."""

import os
from pathlib import Path

BODY = Path(os.environ["BENCH_PAGE"]).read_bytes()
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
