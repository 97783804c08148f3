"""Fixtures of the project-wide tests only; the whole suite's are in conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture
def postgres_server():
    """Start a real PostgreSQL server of the test's own; stop it afterwards."""
    from newsdesk.dev.servers import PostgresServer, ServerMissing

    try:
        server = PostgresServer()
    except ServerMissing as error:
        pytest.fail(str(error))
    server.start()
    yield server
    server.remove()
