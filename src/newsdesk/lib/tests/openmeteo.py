"""Replies in Open-Meteo's real JSON shapes, for the weather tests' stand-in server."""

from __future__ import annotations

from typing import Any

BEIJING_GEOCODING = {
    "results": [
        {
            "id": 1816670,
            "name": "Beijing",
            "latitude": 39.9075,
            "longitude": 116.39723,
            "elevation": 49.0,
            "feature_code": "PPLC",
            "country_code": "CN",
            "admin1_id": 2038349,
            "timezone": "Asia/Shanghai",
            "population": 18960744,
            "country_id": 1814991,
            "country": "China",
            "admin1": "Beijing",
        }
    ],
    "generationtime_ms": 0.5,
}
NO_MATCH_GEOCODING = {"generationtime_ms": 0.3}


def forecast_reply(temperature: Any = 24.9) -> dict[str, Any]:
    """Build a forecast reply in Open-Meteo's real shape."""
    return {
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
        "current": {
            "time": "2025-05-19T06:45",
            "interval": 900,
            "temperature_2m": temperature,
        },
    }
