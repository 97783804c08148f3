"""The top bar's weather, from a local stand-in speaking Open-Meteo's format."""

from __future__ import annotations

import json
import time

import pytest
from werkzeug import Response

from newsdesk.lib.tests.openmeteo import BEIJING_GEOCODING, forecast_reply
from newsdesk.tests.support import parse

GEOCODING = BEIJING_GEOCODING
FORECAST = forecast_reply()


@pytest.fixture
def weather_site(settings, httpserver, db):
    base = httpserver.url_for("/").rstrip("/")
    settings.NEWSDESK_WEATHER_CITY = "Beijing"
    settings.NEWSDESK_WEATHER_URL = base
    settings.NEWSDESK_GEOCODING_URL = base
    return httpserver


def weather_of(client) -> list[str] | None:
    node = parse(client.get("/")).css_first(".top-bar .weather")
    if node is None:
        return None
    return [node.css_first(".temperature").text(), node.css_first(".city").text()]


def test_it_shows_the_temperature_and_city(client, weather_site):
    weather_site.expect_request("/v1/search", query_string={
        "name": "Beijing", "count": "1", "language": "en", "format": "json"
    }).respond_with_json(GEOCODING)  # fmt: skip
    weather_site.expect_request("/v1/forecast").respond_with_json(FORECAST)
    assert weather_of(client) == ["24.9 C", "Beijing"]
    forecast = [r for r, _ in weather_site.log if r.path == "/v1/forecast"][0]
    assert forecast.args["current"] == "temperature_2m"
    assert float(forecast.args["latitude"]) == pytest.approx(39.9075)


def test_it_serves_the_last_value_when_the_service_fails(
    client, weather_site, settings
):
    weather_site.expect_ordered_request("/v1/search").respond_with_json(GEOCODING)
    weather_site.expect_ordered_request("/v1/forecast").respond_with_json(FORECAST)
    settings.NEWSDESK_WEATHER_MAX_AGE = 0  # Every page asks again.
    assert weather_of(client) == ["24.9 C", "Beijing"]
    weather_site.clear()
    weather_site.expect_request("/v1/forecast").respond_with_data("oops", status=500)
    assert weather_of(client) == ["24.9 C", "Beijing"]
    assert [r.path for r, _ in weather_site.log] == ["/v1/forecast"]


def test_it_hides_the_widget_when_there_is_no_value(client, weather_site):
    weather_site.expect_request("/v1/search").respond_with_json(GEOCODING)
    weather_site.expect_request("/v1/forecast").respond_with_data("not json{")
    response = client.get("/")
    assert response.status_code == 200
    assert parse(response).css_first(".top-bar .weather") is None
    assert parse(response).css_first(".top-bar time.today") is not None


def test_a_malformed_reply_is_ignored(client, weather_site):
    weather_site.expect_request("/v1/search").respond_with_json(GEOCODING)
    broken = json.loads(json.dumps(FORECAST))
    broken["current"]["temperature_2m"] = "hot"
    weather_site.expect_request("/v1/forecast").respond_with_json(broken)
    assert weather_of(client) is None


def test_a_slow_service_does_not_hold_the_page(client, weather_site, settings):
    settings.NEWSDESK_WEATHER_TIMEOUT = 0.5

    def slow(request):
        time.sleep(1.5)
        return Response(json.dumps(FORECAST), content_type="application/json")

    weather_site.expect_request("/v1/search").respond_with_json(GEOCODING)
    weather_site.expect_request("/v1/forecast").respond_with_handler(slow)
    first = time.monotonic()
    response = client.get("/")
    elapsed = time.monotonic() - first
    assert response.status_code == 200
    assert parse(response).css_first(".top-bar .weather") is None
    assert elapsed < 1.2
    # During the back-off window the next page doesn't wait at all.
    started = time.monotonic()
    client.get("/")
    assert time.monotonic() - started < 0.4
    # The stand-in serves one request at a time: let the slow one finish.
    time.sleep(max(0, 1.7 - (time.monotonic() - first)))


def test_an_unreachable_service_hides_the_widget(client, settings, db):
    settings.NEWSDESK_WEATHER_CITY = "Beijing"
    settings.NEWSDESK_WEATHER_URL = "http://127.0.0.1:9"
    settings.NEWSDESK_GEOCODING_URL = "http://127.0.0.1:9"
    response = client.get("/")
    assert response.status_code == 200
    assert parse(response).css_first(".top-bar .weather") is None


def test_configured_coordinates_skip_geocoding(client, weather_site, settings):
    settings.NEWSDESK_WEATHER_LATITUDE = 39.9
    settings.NEWSDESK_WEATHER_LONGITUDE = 116.4
    weather_site.expect_request("/v1/forecast").respond_with_json(FORECAST)
    assert weather_of(client) == ["24.9 C", "Beijing"]
    assert [r.path for r, _ in weather_site.log] == ["/v1/forecast"]
