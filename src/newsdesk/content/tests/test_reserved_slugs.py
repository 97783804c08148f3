"""A section can't take a top-level path the site answers itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, re_path

from newsdesk.content.models import Section


def page(request, **kwargs):
    return HttpResponse("A page")


# A site with pages the real one doesn't have, routed in each way Django allows.
urlpatterns = [
    path("letters/", page),
    re_path(r"^obituaries/(?P<year>\d{4})/$", page),
    path("", include([path("corrections/", page), path("<slug:slug>/", page)])),
]


def refused(slug: str) -> bool:
    try:
        Section(name=slug.title(), slug=slug).full_clean()
    except ValidationError as error:
        return "used by the site itself" in str(error)
    return False


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("slug", ["letters", "obituaries", "corrections", "static"])
def test_a_new_top_level_path_is_reserved_once_routed(slug):
    assert refused(slug)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["letters", "obituaries", "corrections"])
def test_paths_the_site_does_not_route_stay_free(slug):
    assert not refused(slug)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug", ["desk", "tag", "author", "search", "feed", "popularity", "static"]
)
def test_the_sites_own_paths_are_reserved(slug):
    assert refused(slug)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_section_may_take_a_path_only_a_pattern_matches():
    assert not refused("world")
