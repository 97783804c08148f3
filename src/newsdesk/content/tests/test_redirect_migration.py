"""Old slugs and imported old addresses become one kind of redirect on migrating."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("content", "0008_article_published_has_publish_time"),
    ("imports", "0004_source_foreign_keys"),
]
AFTER = [("content", "0009_redirect"), ("imports", "0005_old_addresses_to_redirects")]


def state(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def renamed_article(old):
    """Return an article of the old schema, renamed from "budget" once published."""
    china = old.get_model("content", "Section").objects.create(name="C", slug="china")
    article = old.get_model("content", "Article").objects.create(
        title="Budget", slug="budget-2025", section=china, body="<p>x</p>",
        status="published", publish_at=datetime(2025, 5, 18, 10, tzinfo=UTC),
    )  # fmt: skip
    old.get_model("content", "ArticleRedirect").objects.create(
        old_slug="budget", article=article
    )
    return article


@pytest.mark.django_db(transaction=True)
def test_old_slugs_and_old_addresses_keep_redirecting(migrator, client, settings):
    settings.TIME_ZONE = "UTC"
    old = state(BEFORE)
    article = renamed_article(old)
    world = old.get_model("content", "Section").objects.create(name="W", slug="world")
    # Before its rename it was in World, published on the 1st.
    old.get_model("content", "Revision").objects.create(
        article=article, number=1, version=1,
        data={"slug": "budget", "section": {"id": world.pk, "name": "W"},
              "status": "published", "publish_at": "2025-05-01T10:00:00+00:00"},
    )  # fmt: skip
    OldAddress = old.get_model("imports", "OldAddress")
    OldAddress.objects.create(path="/2010/10/20/hello", article=article)
    OldAddress.objects.create(path="?p=12", article=article)

    new = state(AFTER)
    paths = new.get_model("content", "Redirect").objects.values_list("path", flat=True)
    assert sorted(paths) == [
        "/2010/10/20/hello",
        "/china/2025/05/18/budget",
        "/world/2025/05/01/budget",
        "?p=12",
    ]

    state(MigrationExecutor(connection).loader.graph.leaf_nodes())
    for address in (
        "/china/2025/05/18/budget/",
        "/world/2025/05/01/budget/",
        "/2010/10/20/hello/",
        "/?p=12",
    ):
        response = client.get(address)
        assert response.status_code == 301, address
        assert response["Location"] == "/china/2025/05/18/budget-2025/"


@pytest.mark.django_db(transaction=True)
def test_the_migration_can_be_undone(migrator):
    old = state(BEFORE)
    article = renamed_article(old)
    old.get_model("imports", "OldAddress").objects.create(path="?p=12", article=article)
    state(AFTER)

    old = state(BEFORE)
    slugs = old.get_model("content", "ArticleRedirect").objects.values_list(
        "old_slug", flat=True
    )
    assert list(slugs) == ["budget"]
    paths = old.get_model("imports", "OldAddress").objects.values_list(
        "path", flat=True
    )
    assert sorted(paths) == ["/china/2025/05/18/budget", "?p=12"]
