"""Page fragments (navigation, latest strip, widgets) are cached, never stale."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.content.models import Section
from newsdesk.tests.support import parse, texts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fragments_only(settings):
    settings.NEWSDESK_PAGE_CACHE = False
    settings.NEWSDESK_FRAGMENT_CACHE = True


def test_fragments_save_queries_on_the_next_render(client, make_article):
    article = make_article()
    with CaptureQueriesContext(connection) as first:
        client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as second:
        client.get(article.get_absolute_url())
    assert len(second) < len(first) - 3


def test_a_change_shows_in_every_fragment_at_once(client, make_article, make_section):
    article = make_article("Before")
    other = make_article("Elsewhere", section=make_section("World"))
    client.get(other.get_absolute_url())
    article.title = "After"
    article.save()
    make_section("Sport")
    tree = parse(client.get(other.get_absolute_url()))
    assert "After" in texts(tree, ".latest-strip li > a")
    assert "Before" not in tree.html
    assert "Sport" in texts(tree, "nav.sections a")
    # A bulk update, which skips save() and its signals, reaches them too.
    Section.objects.filter(slug="world").update(name="Global")
    sections = texts(parse(client.get(other.get_absolute_url())), "nav.sections a")
    assert "Global" in sections
    assert "World" not in sections


def test_a_scheduled_article_reaches_the_fragments_on_time(client, make_article):
    reader = make_article("Reader")
    make_article("Scheduled", publish_at=timezone.now() + timedelta(seconds=2))
    assert "Scheduled" not in client.get(reader.get_absolute_url()).content.decode()
    time.sleep(2.1)
    tree = parse(client.get(reader.get_absolute_url()))
    assert texts(tree, ".latest-strip li > a")[0] == "Scheduled"
