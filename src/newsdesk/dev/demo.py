"""Demo content: the seed page's site, loaded into an empty database."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from newsdesk.content.models import Article, Author, Section, Tag
from newsdesk.content.roles import EDITOR
from newsdesk.popularity.models import HourlyViews, this_hour

DEMO_FILE = Path(__file__).with_name("demo.json")


@transaction.atomic
def load_demo(*, path: Path = DEMO_FILE) -> int:
    """Create the demo's sections, tags, authors and articles that don't exist yet.

    Return how many articles were created. Existing rows are left as they are, so
    running it again is harmless.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    sections = {}
    for position, item in enumerate(data["sections"]):
        sections[item["slug"]], _ = Section.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item.get("description", ""),
                "position": position,
            },
        )
    tags = {
        item["slug"]: Tag.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"]}
        )[0]
        for item in data["tags"]
    }
    authors = {
        item["slug"]: Author.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"], "bio": item["bio"]}
        )[0]
        for item in data["authors"]
    }
    now = timezone.now()
    created = 0
    for item in data["articles"]:
        if Article.objects.filter(slug=item["slug"]).exists():
            continue
        article = Article.objects.create(
            title=item["title"],
            slug=item["slug"],
            section=sections[item["section"]],
            standfirst=item["standfirst"],
            body=item["body"],
            status=item["status"],
            publish_at=now - timedelta(hours=item["hours_ago"]),
            featured=item["featured"],
        )
        # Demo articles were written when they were published, not just now.
        Article.objects.filter(pk=article.pk).update(
            created_at=article.publish_at, updated_at=article.publish_at
        )
        article.tags.set([tags[slug] for slug in item["tags"]])
        article.authors.set([authors[slug] for slug in item["authors"]])
        if item.get("views"):
            HourlyViews.objects.create(
                article=article, hour=this_hour(), views=item["views"]
            )
        created += 1
    return created


def ensure_editor(*, username: str = "editor", password: str = "") -> str | None:
    """Make sure the demo's editor account exists; return a new password if made one.

    A given password is always applied. Without one, an existing account keeps its
    password and a new account gets a generated one, returned to be shown once.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"is_staff": True}
    )
    user.is_staff = True
    user.groups.add(Group.objects.get(name=EDITOR))
    generated = None
    if password:
        user.set_password(password)
    elif created:
        generated = secrets.token_urlsafe(12)
        user.set_password(generated)
    user.save()
    if not hasattr(user, "author"):
        Author.objects.get_or_create(
            slug=username, defaults={"name": username.title(), "user": user}
        )
    return generated
