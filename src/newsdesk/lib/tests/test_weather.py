"""Exercise the Open-Meteo weather client against a real local HTTP server."""

from __future__ import annotations

import json
import logging
import pickle
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsdesk.lib.tests.openmeteo import (
    BEIJING_GEOCODING,
    NO_MATCH_GEOCODING,
    forecast_reply,
)
from newsdesk.lib.weather import Reading, WeatherClient, format_temperature

GEOCODING_QUERY = {"name": "Beijing", "count": "1", "language": "en", "format": "json"}
FORECAST_QUERY = {
    "latitude": "39.9075",
    "longitude": "116.39723",
    "current": "temperature_2m",
}


def without_temperature() -> dict[str, Any]:
    """Build a forecast reply whose current block lacks temperature_2m."""
    reply = forecast_reply()
    del reply["current"]["temperature_2m"]
    return reply


BEIJING_NOW = Reading(
    temperature=24.9, unit="°C", city="Beijing", observed_at="2025-05-19T06:45"
)


class FakeClock:
    """Stand in for time.time so tests can age cache entries instantly."""

    def __init__(self) -> None:
        """Start at an arbitrary fixed moment."""
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        """Return the current fake time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the fake time forward."""
        self.now += seconds


class FakeCache:
    """Mimic Django's cache API with a dict and the fake clock."""

    def __init__(self, clock: FakeClock, *, honour_timeouts: bool = True) -> None:
        """Start empty."""
        self.clock = clock
        self.honour_timeouts = honour_timeouts
        self.data: dict[str, tuple[Any, float | None]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        """Return the live value under key, or default."""
        self._check_key(key)
        if key not in self.data:
            return default
        value, expires_at = self.data[key]
        if (
            self.honour_timeouts
            and expires_at is not None
            and self.clock() >= expires_at
        ):
            del self.data[key]
            return default
        return pickle.loads(value)

    def set(self, key: str, value: Any, timeout: float | None) -> None:
        """Store a pickled copy of value, as real cache backends do."""
        self._check_key(key)
        expires_at = None if timeout is None else self.clock() + timeout
        self.data[key] = (pickle.dumps(value), expires_at)

    @staticmethod
    def _check_key(key: str) -> None:
        """Enforce memcached's key rules, which Django warns about."""
        assert key.isascii(), key
        assert key.isprintable() and " " not in key, key
        assert len(key) <= 250, key


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep proxy settings from routing requests away from the local server."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def clock() -> FakeClock:
    """Provide a controllable clock."""
    return FakeClock()


@pytest.fixture
def cache(clock: FakeClock) -> FakeCache:
    """Provide an empty cache tied to the fake clock."""
    return FakeCache(clock)


@pytest.fixture
def make_client(
    httpserver: HTTPServer, cache: FakeCache, clock: FakeClock
) -> Callable[..., WeatherClient]:
    """Build clients pointed at the local server, with test-friendly defaults."""

    def build(**overrides: Any) -> WeatherClient:
        options: dict[str, Any] = {
            "cache": cache,
            "city": "Beijing",
            "forecast_url": httpserver.url_for("/"),
            "geocoding_url": httpserver.url_for("/"),
            "clock": clock,
        }
        options.update(overrides)
        return WeatherClient(**options)

    return build


class HangingForecast:
    """Answer forecast requests only after a test has measured its timing."""

    def __init__(self, httpserver: HTTPServer) -> None:
        """Register as the forecast handler on the server."""
        self.httpserver = httpserver
        self.release = threading.Event()
        self.calls = 0
        httpserver.expect_request("/v1/forecast").respond_with_handler(self)

    def __call__(self, request: Request) -> Response:
        """Hold the request for up to 3 seconds, like an overloaded service."""
        self.calls += 1
        self.release.wait(3)
        return json_response(forecast_reply())

    def finish(self) -> None:
        """Release held requests and wait until the server has logged them."""
        self.release.set()
        # The server appends to its log after the handler returns; waiting
        # keeps a late entry from landing in the next test's log.
        time.sleep(0.05)
        give_up = time.monotonic() + 3
        while time.monotonic() < give_up:
            if len(requests_to(self.httpserver, "/v1/forecast")) >= self.calls:
                return
            time.sleep(0.01)


def serve_geocoding(httpserver: HTTPServer, reply: Any = BEIJING_GEOCODING) -> None:
    """Answer geocoding requests for Beijing."""
    httpserver.expect_request(
        "/v1/search", method="GET", query_string=GEOCODING_QUERY
    ).respond_with_json(reply)


def serve_forecast(httpserver: HTTPServer, temperature: Any = 24.9) -> None:
    """Answer forecast requests for Beijing's coordinates."""
    httpserver.expect_request(
        "/v1/forecast", method="GET", query_string=FORECAST_QUERY
    ).respond_with_json(forecast_reply(temperature))


def requests_to(httpserver: HTTPServer, path: str) -> list[Request]:
    """Return the requests the server received for path."""
    return [request for request, _ in httpserver.log if request.path == path]


def weather_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Return warnings the weather module logged."""
    return [
        record
        for record in caplog.records
        if record.name == "newsdesk.lib.weather" and record.levelno == logging.WARNING
    ]


def closed_port_url() -> str:
    """Return a URL on a local port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def json_response(payload: Any, status: int = 200) -> Response:
    """Build a JSON response."""
    return Response(json.dumps(payload), status=status, mimetype="application/json")


# Each failure answers the forecast request; ids name what the service did.
FAILURES: dict[str, Callable[[], Response]] = {
    "server error": lambda: Response("Internal Server Error", status=500),
    "error json": lambda: json_response(
        {"error": True, "reason": "Cannot initialize WeatherVariable from invalid"},
        status=400,
    ),
    "malformed json": lambda: Response(
        '{"current": {"temperature_2m": 24.9', mimetype="application/json"
    ),
    "html instead of json": lambda: Response("<html>busy</html>", status=200),
    "missing temperature": lambda: json_response(without_temperature()),
    "text temperature": lambda: json_response(forecast_reply("24.9")),
    "null temperature": lambda: json_response(forecast_reply(None)),
    "boolean temperature": lambda: json_response(forecast_reply(True)),
    "nan temperature": lambda: Response(
        json.dumps(forecast_reply(float("nan"))), mimetype="application/json"
    ),
    "infinite temperature": lambda: Response(
        json.dumps(forecast_reply(24.9)).replace("24.9", "1e999"),
        mimetype="application/json",
    ),
    "list instead of object": lambda: json_response([forecast_reply()]),
    "current is a list": lambda: json_response({**forecast_reply(), "current": [24.9]}),
    "error flag with 200": lambda: json_response({"error": True, "reason": "no"}),
}


def serve_failure(httpserver: HTTPServer, failure: str) -> None:
    """Answer forecast requests with the named failure."""
    respond = FAILURES[failure]
    httpserver.expect_request("/v1/forecast").respond_with_handler(
        lambda request: respond()
    )


def test_it_returns_the_current_temperature_of_a_city_by_name(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient]
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver)

    reading = make_client().current()

    assert reading == BEIJING_NOW
    [geocoding] = requests_to(httpserver, "/v1/search")
    assert geocoding.args.to_dict() == GEOCODING_QUERY
    [forecast] = requests_to(httpserver, "/v1/forecast")
    assert forecast.args["latitude"] == "39.9075"
    assert forecast.args["longitude"] == "116.39723"
    assert forecast.args["current"] == "temperature_2m"
    assert [request.path for request, _ in httpserver.log] == [
        "/v1/search",
        "/v1/forecast",
    ]


def test_it_uses_configured_coordinates_without_geocoding(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient]
) -> None:
    serve_forecast(httpserver, temperature=18)

    client = make_client(city="Peking", latitude=39.9075, longitude=116.39723)
    reading = client.current()

    assert reading == Reading(
        temperature=18.0, unit="°C", city="Peking", observed_at="2025-05-19T06:45"
    )
    assert isinstance(reading.temperature, float)
    assert requests_to(httpserver, "/v1/search") == []
    assert len(requests_to(httpserver, "/v1/forecast")) == 1


def test_it_leaves_the_city_blank_for_unlabelled_coordinates(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient]
) -> None:
    serve_forecast(httpserver)

    reading = make_client(city="", latitude=39.9075, longitude=116.39723).current()

    assert reading is not None
    assert reading.city == ""
    assert reading.temperature == 24.9


def test_it_serves_a_fresh_reading_without_another_request(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient], clock: FakeClock
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver)
    client = make_client()
    assert client.current() == BEIJING_NOW

    clock.advance(899)
    # A separate client shares the cache, as other worker processes would.
    assert make_client().current() == BEIJING_NOW
    assert client.current() == BEIJING_NOW

    assert len(httpserver.log) == 2


def test_it_fetches_again_once_the_reading_is_older_than_fresh_for(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient], clock: FakeClock
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver, temperature=24.9)
    client = make_client()
    assert client.current() == BEIJING_NOW

    httpserver.clear()
    serve_forecast(httpserver, temperature=26.1)
    clock.advance(900)
    reading = client.current()

    assert reading is not None
    assert reading.temperature == 26.1
    # The geocoded place is still cached, so only the forecast is asked.
    assert [request.path for request, _ in httpserver.log] == ["/v1/forecast"]


def test_it_remembers_the_geocoded_place_for_weeks(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient], clock: FakeClock
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver)
    client = make_client()
    client.current()

    clock.advance(7 * 24 * 3600)
    assert client.current() == BEIJING_NOW

    assert len(requests_to(httpserver, "/v1/search")) == 1
    assert len(requests_to(httpserver, "/v1/forecast")) == 2


@pytest.mark.parametrize("failure", FAILURES)
def test_it_serves_the_stale_reading_when_the_service_fails(
    failure: str,
    httpserver: HTTPServer,
    make_client: Callable[..., WeatherClient],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver)
    client = make_client()
    assert client.current() == BEIJING_NOW

    httpserver.clear()
    serve_geocoding(httpserver)
    serve_failure(httpserver, failure)
    clock.advance(3600)
    with caplog.at_level(logging.WARNING, logger="newsdesk.lib.weather"):
        reading = client.current()

    assert reading == BEIJING_NOW
    assert len(requests_to(httpserver, "/v1/forecast")) == 1
    assert len(weather_warnings(caplog)) == 1


@pytest.mark.parametrize("failure", FAILURES)
def test_it_returns_none_when_the_service_fails_and_nothing_is_cached(
    failure: str,
    httpserver: HTTPServer,
    make_client: Callable[..., WeatherClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    serve_geocoding(httpserver)
    serve_failure(httpserver, failure)

    with caplog.at_level(logging.WARNING, logger="newsdesk.lib.weather"):
        reading = make_client().current()

    assert reading is None
    assert len(requests_to(httpserver, "/v1/forecast")) == 1
    assert len(weather_warnings(caplog)) == 1


def test_it_serves_the_stale_reading_when_the_connection_is_refused(
    httpserver: HTTPServer,
    make_client: Callable[..., WeatherClient],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver)
    assert make_client().current() == BEIJING_NOW

    clock.advance(3600)
    down = make_client(forecast_url=closed_port_url(), geocoding_url=closed_port_url())
    with caplog.at_level(logging.WARNING, logger="newsdesk.lib.weather"):
        reading = down.current()

    assert reading == BEIJING_NOW
    assert len(weather_warnings(caplog)) == 1


def test_it_returns_none_when_the_connection_is_refused_and_nothing_is_cached(
    make_client: Callable[..., WeatherClient],
) -> None:
    client = make_client(
        forecast_url=closed_port_url(), geocoding_url=closed_port_url()
    )

    assert client.current() is None


@pytest.mark.parametrize("honour_timeouts", [True, False], ids=["expiring", "keeping"])
def test_it_does_not_serve_a_reading_older_than_stale_for(
    honour_timeouts: bool,
    httpserver: HTTPServer,
    make_client: Callable[..., WeatherClient],
    clock: FakeClock,
) -> None:
    # The "keeping" cache never evicts, so the client itself must check the age.
    cache = FakeCache(clock, honour_timeouts=honour_timeouts)
    serve_geocoding(httpserver)
    serve_forecast(httpserver)
    client = make_client(cache=cache, stale_for=6 * 3600)
    assert client.current() == BEIJING_NOW

    httpserver.clear()
    serve_geocoding(httpserver)
    serve_failure(httpserver, "server error")
    clock.advance(6 * 3600 - 1)
    assert client.current() == BEIJING_NOW

    clock.advance(3600)
    assert client.current() is None


def test_it_waits_retry_after_before_asking_a_failing_service_again(
    httpserver: HTTPServer,
    make_client: Callable[..., WeatherClient],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    serve_geocoding(httpserver)
    serve_failure(httpserver, "server error")
    client = make_client(retry_after=60)

    with caplog.at_level(logging.WARNING, logger="newsdesk.lib.weather"):
        assert client.current() is None
        clock.advance(59)
        assert client.current() is None
        assert make_client(retry_after=60).current() is None

    assert len(requests_to(httpserver, "/v1/forecast")) == 1
    assert len(weather_warnings(caplog)) == 1

    httpserver.clear()
    serve_geocoding(httpserver)
    serve_forecast(httpserver)
    clock.advance(1)
    assert client.current() == BEIJING_NOW


def test_it_serves_the_stale_reading_during_the_backoff_window(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient], clock: FakeClock
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver)
    client = make_client()
    client.current()

    httpserver.clear()
    serve_failure(httpserver, "server error")
    clock.advance(1000)
    assert client.current() == BEIJING_NOW
    clock.advance(30)
    assert client.current() == BEIJING_NOW

    assert len(httpserver.log) == 1


@pytest.mark.parametrize("cached", [True, False], ids=["stale", "empty"])
def test_it_gives_up_on_a_slow_service_within_the_timeout(
    cached: bool,
    httpserver: HTTPServer,
    make_client: Callable[..., WeatherClient],
    clock: FakeClock,
) -> None:
    client = make_client(latitude=39.9075, longitude=116.39723, timeout=1.0)
    if cached:
        serve_forecast(httpserver)
        assert client.current() == BEIJING_NOW
        httpserver.clear()
        clock.advance(1000)
    hanging = HangingForecast(httpserver)

    started = time.monotonic()
    reading = client.current()
    elapsed = time.monotonic() - started
    hanging.finish()

    assert elapsed < 1.5
    assert hanging.calls == 1
    assert reading == (BEIJING_NOW if cached else None)


def test_it_shares_one_deadline_between_geocoding_and_forecast(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient]
) -> None:
    def slow_geocoding(request: Request) -> Response:
        time.sleep(0.8)
        return json_response(BEIJING_GEOCODING)

    httpserver.expect_request("/v1/search").respond_with_handler(slow_geocoding)
    hanging = HangingForecast(httpserver)

    started = time.monotonic()
    reading = make_client(timeout=1.0).current()
    elapsed = time.monotonic() - started
    hanging.finish()

    # Separate per-call timeouts would take 0.8 + 1.0 seconds.
    assert elapsed < 1.5
    assert reading is None


@pytest.mark.parametrize(
    "reply",
    [NO_MATCH_GEOCODING, {"results": [], "generationtime_ms": 0.3}],
    ids=["no results key", "empty results"],
)
def test_it_returns_none_for_an_unknown_city(
    reply: dict[str, Any],
    httpserver: HTTPServer,
    make_client: Callable[..., WeatherClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    httpserver.expect_request(
        "/v1/search", query_string={**GEOCODING_QUERY, "name": "Atlantis"}
    ).respond_with_json(reply)

    with caplog.at_level(logging.WARNING, logger="newsdesk.lib.weather"):
        assert make_client(city="Atlantis").current() is None

    assert requests_to(httpserver, "/v1/forecast") == []
    [warning] = weather_warnings(caplog)
    assert "Atlantis" in warning.getMessage()


@pytest.mark.parametrize(
    "reply",
    [
        {"results": [["Beijing", 39.9, 116.4]]},
        {"results": {"name": "Beijing"}},
        {"results": [{"name": "Beijing", "latitude": "39.9", "longitude": 116.4}]},
        {"results": [{"name": "Beijing", "latitude": 139.9, "longitude": 116.4}]},
        ["Beijing"],
    ],
    ids=["row list", "results object", "text latitude", "latitude range", "list"],
)
def test_it_returns_none_for_unexpected_geocoding_replies(
    reply: Any, httpserver: HTTPServer, make_client: Callable[..., WeatherClient]
) -> None:
    serve_geocoding(httpserver, reply)
    serve_forecast(httpserver)

    assert make_client().current() is None
    assert requests_to(httpserver, "/v1/forecast") == []


def test_it_keeps_readings_for_different_cities_apart(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient]
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver, temperature=24.9)
    httpserver.expect_request(
        "/v1/search", query_string={**GEOCODING_QUERY, "name": "São Paulo"}
    ).respond_with_json(
        {
            "results": [
                {"name": "São Paulo", "latitude": -23.5475, "longitude": -46.63611}
            ]
        }
    )
    httpserver.expect_request(
        "/v1/forecast",
        query_string={
            **FORECAST_QUERY,
            "latitude": "-23.5475",
            "longitude": "-46.63611",
        },
    ).respond_with_json(forecast_reply(17.2))

    beijing = make_client().current()
    # The fake cache asserts this key is ASCII and space-free.
    sao_paulo = make_client(city="São Paulo").current()
    by_coordinates = make_client(city="", latitude=-23.5475, longitude=-46.63611)

    assert beijing == BEIJING_NOW
    assert sao_paulo is not None
    assert (sao_paulo.city, sao_paulo.temperature) == ("São Paulo", 17.2)
    assert make_client().current() == BEIJING_NOW
    reading = by_coordinates.current()
    assert reading is not None and reading.temperature == 17.2
    assert len(requests_to(httpserver, "/v1/forecast")) == 3


def test_it_refetches_when_the_cache_holds_garbage(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient], cache: FakeCache
) -> None:
    serve_geocoding(httpserver)
    serve_forecast(httpserver)
    client = make_client()
    client.current()

    for key in list(cache.data):
        cache.set(key, ["not", "a", "record"], 3600)
    assert client.current() == BEIJING_NOW

    assert len(requests_to(httpserver, "/v1/search")) == 2
    assert len(requests_to(httpserver, "/v1/forecast")) == 2


def test_it_still_fetches_when_the_cache_is_down(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient]
) -> None:
    class BrokenCache:
        def get(self, key: str, default: Any = None) -> Any:
            raise ConnectionError("cache down")

        def set(self, key: str, value: Any, timeout: float | None) -> None:
            raise ConnectionError("cache down")

    serve_geocoding(httpserver)
    serve_forecast(httpserver)

    assert make_client(cache=BrokenCache()).current() == BEIJING_NOW


def test_it_stays_quiet_when_no_location_is_configured(
    httpserver: HTTPServer, make_client: Callable[..., WeatherClient]
) -> None:
    assert make_client(city="  ").current() is None
    assert httpserver.log == []


@pytest.mark.parametrize(
    "location",
    [
        {"latitude": 39.9},
        {"longitude": 116.4},
        {"latitude": 91.0, "longitude": 0.0},
        {"latitude": float("nan"), "longitude": 0.0},
    ],
    ids=["latitude only", "longitude only", "out of range", "nan"],
)
def test_it_rejects_broken_coordinates_at_configuration_time(
    location: dict[str, float], make_client: Callable[..., WeatherClient]
) -> None:
    with pytest.raises(ValueError):
        make_client(**location)


def test_it_rejects_non_http_service_urls(
    make_client: Callable[..., WeatherClient],
) -> None:
    with pytest.raises(ValueError):
        make_client(forecast_url="file:///etc")


@pytest.mark.parametrize(
    ("temperature", "unit", "expected"),
    [
        (24.9, "°C", "24.9 C"),
        (24.94, "°C", "24.9 C"),
        (-3.0, "°C", "-3.0 C"),
        (-0.04, "°C", "0.0 C"),
        (75.2, "°F", "75.2 F"),
        (20.0, "", "20.0 C"),
    ],
)
def test_format_temperature_shows_one_decimal_and_the_unit_letter(
    temperature: float, unit: str, expected: str
) -> None:
    reading = Reading(temperature=temperature, unit=unit, city="X", observed_at=None)

    assert format_temperature(reading) == expected
