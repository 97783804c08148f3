"""The site's weather widget data, from the lib client and Django's cache."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

from newsdesk.lib.weather import WeatherClient, format_temperature

logger = logging.getLogger(__name__)


def current_weather() -> dict[str, str] | None:
    """Return the label and city of the current reading, or None when there is none."""
    city = settings.NEWSDESK_WEATHER_CITY
    lat, lon = settings.NEWSDESK_WEATHER_LATITUDE, settings.NEWSDESK_WEATHER_LONGITUDE
    if not city and (lat is None or lon is None):
        return None
    try:
        client = WeatherClient(
            cache=cache,
            city=city,
            latitude=lat,
            longitude=lon,
            forecast_url=settings.NEWSDESK_WEATHER_URL,
            geocoding_url=settings.NEWSDESK_GEOCODING_URL,
            timeout=settings.NEWSDESK_WEATHER_TIMEOUT,
            fresh_for=settings.NEWSDESK_WEATHER_MAX_AGE,
        )
    except Exception as error:
        # A wrong setting hides the widget; it must not take the page down.
        logger.error("Weather is misconfigured: %s", error)
        return None
    reading = client.current()
    if reading is None:
        return None
    return {"label": format_temperature(reading), "city": reading.city}
