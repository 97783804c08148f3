"""SQLite gets the table statistics its planner needs; nothing else does."""

from __future__ import annotations

import pytest
from django.db import connection

from newsdesk.search.indexing import refresh_statistics


@pytest.mark.django_db
def test_sqlite_learns_the_size_of_the_archive(make_article):
    for n in range(5):
        make_article(f"Story {n}")
    refresh_statistics()
    if connection.vendor != "sqlite":
        return  # PostgreSQL's autovacuum keeps its statistics; nothing to check.
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'content_article'")
        rows = [row[0] for row in cursor.fetchall()]
    assert rows
    # The first number of each index's statistics is the row count.
    assert {int(stat.split()[0]) for stat in rows} == {5}
