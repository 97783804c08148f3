"""The admin's "view on site" shortcut never gives away a draft's address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from newsdesk.content.models import Article, Section


def shortcut(model, pk) -> str:
    return f"/desk/r/{ContentType.objects.get_for_model(model).pk}/{pk}/"


@pytest.mark.parametrize("client_name", ["writer_client", "editor_client"])
def test_a_drafts_address_is_not_found(request, client_name, writer, make_article):
    client = request.getfixturevalue(client_name)
    draft = make_article(
        slug="secret-merger", status=Article.Status.DRAFT, created_by=writer
    )
    response = client.get(shortcut(Article, draft.pk))
    assert response.status_code == 404
    assert "secret-merger" not in response.get("Location", "")
    assert b"secret-merger" not in response.content


def test_a_scheduled_articles_address_is_not_found(editor_client, make_article):
    later = make_article(
        slug="embargoed", publish_at=timezone.now() + timedelta(hours=2)
    )
    assert editor_client.get(shortcut(Article, later.pk)).status_code == 404


def test_a_published_articles_address_is_given(editor_client, make_article):
    article = make_article(slug="out-now")
    response = editor_client.get(shortcut(Article, article.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(article.get_absolute_url())


def test_other_objects_still_have_their_shortcut(editor_client, section):
    response = editor_client.get(shortcut(Section, section.pk))
    assert response.status_code == 302
    assert response["Location"].endswith("/china/")


def test_a_malformed_id_is_not_found(editor_client, make_article):
    make_article()
    assert editor_client.get(shortcut(Article, "1x")).status_code == 404


def test_readers_are_sent_to_log_in(client, make_article):
    article = make_article()
    response = client.get(shortcut(Article, article.pk))
    assert response.status_code == 302
    assert "/desk/login/" in response["Location"]
