"""Fetch the current temperature of the site's city from Open-Meteo."""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# Place names and coordinates practically never change, so a month keeps the
# geocoding service out of the normal request path.
GEOCODING_CACHE_SECONDS = 30 * 24 * 3600

# The real replies are well under 1 KiB; the cap stops a misbehaving server from
# making a page render buffer an arbitrary amount of data.
MAX_RESPONSE_BYTES = 64 * 1024

# Open-Meteo always answers in Celsius unless asked otherwise.
DEFAULT_UNIT = "°C"

# Anything outside this range is a broken reply, not weather worth showing.
PLAUSIBLE_CELSIUS = (-150.0, 150.0)

USER_AGENT = "newsdesk-weather/1 (+https://open-meteo.com)"


class Cache(Protocol):
    """Describe the subset of Django's cache API the client relies on."""

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value stored under key, or default."""

    def set(self, key: str, value: Any, timeout: Any) -> Any:
        """Store value under key for timeout seconds."""


@dataclass(frozen=True)
class Reading:
    """Hold one current temperature observation for the site's city."""

    temperature: float
    unit: str
    city: str
    observed_at: str | None


class WeatherError(Exception):
    """Signal that the weather service gave no usable answer."""


class WeatherClient:
    """Look up the current temperature with caching, backoff and a hard deadline."""

    def __init__(
        self,
        *,
        cache: Cache,
        city: str = "",
        latitude: float | None = None,
        longitude: float | None = None,
        forecast_url: str = "https://api.open-meteo.com",
        geocoding_url: str = "https://geocoding-api.open-meteo.com",
        timeout: float = 1.0,
        fresh_for: int = 900,
        stale_for: int = 6 * 3600,
        retry_after: int = 60,
        clock: Callable[[], float] = time.time,
        key_prefix: str = "weather",
    ) -> None:
        """Validate the configuration and derive the cache keys."""
        if (latitude is None) != (longitude is None):
            raise ValueError("Set both latitude and longitude, or neither.")
        self._coordinates: tuple[float, float] | None = None
        if latitude is not None and longitude is not None:
            self._coordinates = _validated_coordinates(latitude, longitude)
        self._city = city.strip()
        self._forecast_url = _validated_base_url(forecast_url)
        self._geocoding_url = _validated_base_url(geocoding_url)
        self._cache = cache
        self._timeout = float(timeout)
        self._fresh_for = fresh_for
        self._stale_for = stale_for
        self._retry_after = retry_after
        self._clock = clock
        self._opener = _build_opener()

        # Hashing keeps keys ASCII and space-free (memcached rejects anything
        # else) whatever the configured city is called.
        city_digest = hashlib.sha256(self._city.casefold().encode()).hexdigest()[:32]
        if self._coordinates is not None:
            lat, lon = self._coordinates
            location = f"at-{lat!r},{lon!r}"
        else:
            location = f"city-{city_digest}"
        self._reading_key = f"{key_prefix}:reading:{location}"
        self._failure_key = f"{key_prefix}:failed:{location}"
        self._place_key = f"{key_prefix}:place:{city_digest}"

    def current(self) -> Reading | None:
        """Return the current reading, a stale one during outages, or None."""
        try:
            return self._current()
        except Exception:
            # The top bar is decoration: a bug here must never break a page.
            logger.warning("Weather lookup crashed.", exc_info=True)
            return None

    def _current(self) -> Reading | None:
        """Serve from the cache when possible, else fetch and remember."""
        if self._coordinates is None and not self._city:
            return None
        now = self._clock()
        cached = self._cached_reading()
        stale: Reading | None = None
        if cached is not None:
            reading, fetched_at = cached
            age = now - fetched_at
            if 0 <= age < self._fresh_for:
                return reading
            if age < self._stale_for:
                stale = reading

        if self._backing_off(now):
            return stale

        deadline = time.monotonic() + self._timeout
        try:
            reading = self._fetch(deadline)
        except WeatherError as exc:
            logger.warning("Weather lookup for %s failed: %s", self._describe(), exc)
            if self._retry_after > 0:
                self._cache_set(self._failure_key, now, self._retry_after)
            return stale

        record = {
            "temperature": reading.temperature,
            "unit": reading.unit,
            "city": reading.city,
            "observed_at": reading.observed_at,
            "fetched_at": self._clock(),
        }
        self._cache_set(self._reading_key, record, self._stale_for)
        return self._labelled(reading)

    def _fetch(self, deadline: float) -> Reading:
        """Resolve the location and ask the forecast API for the temperature."""
        if self._coordinates is not None:
            latitude, longitude = self._coordinates
            name = ""
        else:
            latitude, longitude, name = self._place(deadline)
        payload = self._get_json(
            f"{self._forecast_url}/v1/forecast",
            {
                "latitude": repr(latitude),
                "longitude": repr(longitude),
                "current": "temperature_2m",
            },
            deadline,
        )
        return _parse_forecast(payload, city=name)

    def _place(self, deadline: float) -> tuple[float, float, str]:
        """Return the city's coordinates and name, geocoding only on a cache miss."""
        cached = self._cache_get(self._place_key)
        if isinstance(cached, Mapping):
            try:
                latitude, longitude = _validated_coordinates(
                    cached.get("latitude"), cached.get("longitude")
                )
            except (TypeError, ValueError):
                pass
            else:
                name = cached.get("name")
                return latitude, longitude, name if isinstance(name, str) else ""

        payload = self._get_json(
            f"{self._geocoding_url}/v1/search",
            {"name": self._city, "count": "1", "language": "en", "format": "json"},
            deadline,
        )
        latitude, longitude, name = _parse_geocoding(payload, self._city)
        self._cache_set(
            self._place_key,
            {"latitude": latitude, "longitude": longitude, "name": name},
            GEOCODING_CACHE_SECONDS,
        )
        return latitude, longitude, name

    def _get_json(self, url: str, params: Mapping[str, str], deadline: float) -> Any:
        """GET url with params and decode the JSON body before the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WeatherError("ran out of time before the request")
        request = urllib.request.Request(
            f"{url}?{urllib.parse.urlencode(params)}",
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
        )
        try:
            with self._opener.open(request, timeout=remaining) as response:
                body = _read_capped(response, deadline)
        except urllib.error.HTTPError as exc:
            reason = _error_reason(exc, deadline)
            raise WeatherError(f"HTTP {exc.code}{reason}") from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # URLError and TimeoutError are OSErrors; ValueError covers URLs
            # urllib cannot parse.
            raise WeatherError(f"request failed: {exc!r}") from exc
        return _decode_json(body)

    def _cached_reading(self) -> tuple[Reading, float] | None:
        """Return the cached reading and its fetch time, ignoring bad entries."""
        record = self._cache_get(self._reading_key)
        if not isinstance(record, Mapping):
            return None
        try:
            temperature = _finite_number(record.get("temperature"), "temperature")
            fetched_at = _finite_number(record.get("fetched_at"), "fetched_at")
        except WeatherError:
            return None
        unit = record.get("unit")
        city = record.get("city")
        observed_at = record.get("observed_at")
        reading = Reading(
            temperature=temperature,
            unit=unit if isinstance(unit, str) and unit else DEFAULT_UNIT,
            city=city if isinstance(city, str) else "",
            observed_at=observed_at if isinstance(observed_at, str) else None,
        )
        return self._labelled(reading), fetched_at

    def _backing_off(self, now: float) -> bool:
        """Tell whether a recent failure means the service should be left alone."""
        failed_at = self._cache_get(self._failure_key)
        try:
            failed_at = _finite_number(failed_at, "failed_at")
        except WeatherError:
            return False
        return now - failed_at < self._retry_after

    def _labelled(self, reading: Reading) -> Reading:
        """Apply the configured city label, which wins over the geocoded name."""
        if self._city and reading.city != self._city:
            return Reading(
                temperature=reading.temperature,
                unit=reading.unit,
                city=self._city,
                observed_at=reading.observed_at,
            )
        return reading

    def _describe(self) -> str:
        """Name the configured location for log messages."""
        if self._coordinates is not None:
            return f"{self._coordinates[0]},{self._coordinates[1]}"
        return repr(self._city)

    def _cache_get(self, key: str) -> Any:
        """Read from the cache, treating an unavailable cache as a miss."""
        try:
            return self._cache.get(key)
        except Exception:
            logger.warning("Weather cache read failed for %s.", key, exc_info=True)
            return None

    def _cache_set(self, key: str, value: Any, timeout: int) -> None:
        """Write to the cache, tolerating an unavailable cache."""
        try:
            self._cache.set(key, value, timeout)
        except Exception:
            logger.warning("Weather cache write failed for %s.", key, exc_info=True)


def format_temperature(reading: Reading) -> str:
    """Render a reading as one decimal and the unit letter, e.g. "24.9 C"."""
    value = round(reading.temperature, 1)
    # Rounding -0.04 yields -0.0, which would display as "-0.0 C".
    if value == 0:
        value = 0.0
    letter = reading.unit.replace("°", "").strip() or "C"
    return f"{value:.1f} {letter}"


def _build_opener() -> urllib.request.OpenerDirector:
    """Build an opener that speaks only HTTP(S), honouring proxy settings."""
    # build_opener() would also add file:, ftp: and data: handlers, which a
    # redirect from the weather service has no business reaching.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _read_capped(response: Any, deadline: float) -> bytes:
    """Read a response body chunk by chunk, enforcing the size cap and deadline."""
    # read1() does at most one socket read, each bounded by the socket timeout,
    # so a server trickling bytes cannot stretch the call far past the deadline.
    read = getattr(response, "read1", response.read)
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise WeatherError("timed out reading the response")
        chunk = read(16 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise WeatherError("response too large")
        chunks.append(chunk)


def _error_reason(error: urllib.error.HTTPError, deadline: float) -> str:
    """Extract Open-Meteo's error reason from an HTTP error reply, if any."""
    try:
        payload = json.loads(_read_capped(error, deadline))
    except Exception:
        return ""
    finally:
        error.close()
    if isinstance(payload, Mapping):
        reason = payload.get("reason")
        if isinstance(reason, str):
            return f" ({reason[:200]!r})"
    return ""


def _decode_json(body: bytes) -> Any:
    """Decode a JSON body, refusing NaN and Infinity literals."""
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise WeatherError(f"invalid JSON: {exc}") from exc


def _reject_constant(name: str) -> Any:
    """Refuse the non-standard NaN and Infinity literals Python accepts."""
    raise ValueError(f"non-finite constant {name}")


def _finite_number(value: Any, field: str) -> float:
    """Return value as a finite float, or raise WeatherError."""
    # bool is an int subclass, but true is not a temperature.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WeatherError(f"{field} is not a number: {value!r:.50}")
    try:
        number = float(value)
    except OverflowError as exc:
        raise WeatherError(f"{field} is out of range") from exc
    if not math.isfinite(number):
        raise WeatherError(f"{field} is not finite")
    return number


def _validated_coordinates(latitude: Any, longitude: Any) -> tuple[float, float]:
    """Return finite, in-range coordinates, or raise ValueError."""
    try:
        lat = _finite_number(latitude, "latitude")
        lon = _finite_number(longitude, "longitude")
    except WeatherError as exc:
        raise ValueError(str(exc)) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"Coordinates out of range: {lat}, {lon}")
    return lat, lon


def _validated_base_url(url: str) -> str:
    """Return url without a trailing slash, insisting on http or https."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"Weather service URL must be http(s): {url!r}")
    return url.rstrip("/")


def _check_error_flag(payload: Any) -> Mapping[str, Any]:
    """Return payload as a mapping, raising on other shapes or error replies."""
    if not isinstance(payload, Mapping):
        raise WeatherError(f"expected an object, got {type(payload).__name__}")
    if payload.get("error") is True:
        raise WeatherError(f"service error: {str(payload.get('reason'))[:200]!r}")
    return payload


def _parse_geocoding(payload: Any, city: str) -> tuple[float, float, str]:
    """Pick the first geocoding result's coordinates and name."""
    payload = _check_error_flag(payload)
    results = payload.get("results")
    # Open-Meteo omits "results" entirely when nothing matches.
    if not results:
        raise WeatherError(f"no place called {city!r}")
    if not isinstance(results, list) or not isinstance(results[0], Mapping):
        raise WeatherError("unexpected geocoding results shape")
    first = results[0]
    try:
        latitude, longitude = _validated_coordinates(
            first.get("latitude"), first.get("longitude")
        )
    except ValueError as exc:
        raise WeatherError(f"bad geocoding coordinates: {exc}") from exc
    name = first.get("name")
    return latitude, longitude, name if isinstance(name, str) else ""


def _parse_forecast(payload: Any, *, city: str) -> Reading:
    """Build a Reading from a forecast reply with current=temperature_2m."""
    payload = _check_error_flag(payload)
    current = payload.get("current")
    if not isinstance(current, Mapping):
        raise WeatherError("reply has no current block")
    temperature = _finite_number(current.get("temperature_2m"), "temperature_2m")
    low, high = PLAUSIBLE_CELSIUS
    if not low <= temperature <= high:
        raise WeatherError(f"implausible temperature {temperature}")
    units = payload.get("current_units")
    unit = units.get("temperature_2m") if isinstance(units, Mapping) else None
    if not isinstance(unit, str) or not unit.strip() or len(unit) > 8:
        unit = DEFAULT_UNIT
    observed_at = current.get("time")
    return Reading(
        temperature=temperature,
        unit=unit,
        city=city,
        observed_at=observed_at if isinstance(observed_at, str) else None,
    )
