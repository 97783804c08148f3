#!/usr/bin/env python3
"""A local stand-in for Open-Meteo, for demos on machines without internet.

Answers /v1/search (geocoding) and /v1/forecast in Open-Meteo's JSON format with
a fixed reading (24.9 °C in Beijing, as on the seed page). Usage:

    python3 scripts/weather_standin.py 8090 &
    NEWSDESK_WEATHER_URL=http://127.0.0.1:8090 \
    NEWSDESK_GEOCODING_URL=http://127.0.0.1:8090 scripts/demo
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PLACE = {
    "id": 1816670,
    "name": "Beijing",
    "latitude": 39.9075,
    "longitude": 116.39723,
    "elevation": 49.0,
    "feature_code": "PPLC",
    "country_code": "CN",
    "timezone": "Asia/Shanghai",
    "country": "China",
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/v1/search":
            name = query.get("name", [""])[0]
            found = name.lower() == "beijing"
            body = {"generationtime_ms": 0.4} | ({"results": [PLACE]} if found else {})
        elif url.path == "/v1/forecast":
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
            body = {
                "latitude": 39.875,
                "longitude": 116.375,
                "generationtime_ms": 0.02,
                "utc_offset_seconds": 0,
                "timezone": "GMT",
                "timezone_abbreviation": "GMT",
                "elevation": 49.0,
                "current_units": {
                    "time": "iso8601",
                    "interval": "seconds",
                    "temperature_2m": "°C",
                },
                "current": {"time": now, "interval": 900, "temperature_2m": 24.9},
            }
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8090
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
