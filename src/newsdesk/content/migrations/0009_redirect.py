"""One model for every old address: `Redirect(path, article)` replaces `ArticleRedirect`.

An `ArticleRedirect` matched its old slug under any section and date; a
`Redirect` is the exact address. Each old slug becomes the addresses the
article had with it: one per section and publish time its published revisions
recorded under that slug, and the one with its current section and publish time.
"""

from datetime import datetime

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def address(section_slug: str, moment: datetime, slug: str) -> str:
    """Return the key of an article address, as Article.get_absolute_url() makes it."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    url = reverse(
        "web:article",
        kwargs={
            "section": section_slug,
            "year": local.year,
            "month": f"{local.month:02d}",
            "day": f"{local.day:02d}",
            "slug": slug,
        },
    )
    return url.rstrip("/")


def old_slugs_to_addresses(apps, schema_editor):
    ArticleRedirect = apps.get_model("content", "ArticleRedirect")
    Redirect = apps.get_model("content", "Redirect")
    Revision = apps.get_model("content", "Revision")
    Section = apps.get_model("content", "Section")
    sections = dict(Section.objects.values_list("pk", "slug"))
    now = timezone.now()
    rows: dict[str, int] = {}
    for old in ArticleRedirect.objects.select_related("article__section"):
        article = old.article
        if article.publish_at is not None:
            rows.setdefault(
                address(article.section.slug, article.publish_at, old.old_slug),
                article.pk,
            )
        states = Revision.objects.filter(article=article).values_list("data", flat=True)
        for data in states:
            if data.get("slug") != old.old_slug or data.get("status") != "published":
                continue
            moment = parse_datetime(data.get("publish_at") or "")
            section = sections.get((data.get("section") or {}).get("id"))
            if moment is None or moment > now or section is None:
                continue
            rows.setdefault(address(section, moment, old.old_slug), article.pk)
    Redirect.objects.bulk_create(
        Redirect(path=path, article_id=pk) for path, pk in rows.items()
    )


def addresses_to_old_slugs(apps, schema_editor):
    ArticleRedirect = apps.get_model("content", "ArticleRedirect")
    Redirect = apps.get_model("content", "Redirect")
    taken = set()
    for redirect in Redirect.objects.select_related("article"):
        parts = redirect.path.split("/")
        # Only the newsroom's own article addresses: /section/yyyy/mm/dd/slug.
        if len(parts) != 6 or parts[0]:
            continue
        slug = parts[-1]
        if slug == redirect.article.slug or slug in taken:
            continue
        taken.add(slug)
        ArticleRedirect.objects.create(old_slug=slug, article=redirect.article)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0008_article_published_has_publish_time"),
    ]

    operations = [
        migrations.CreateModel(
            name="Redirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("path", models.CharField(max_length=1000, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(
                        db_default=django.db.models.functions.datetime.Now(),
                        editable=False,
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="content.article",
                    ),
                ),
            ],
            options={"ordering": ["path"]},
        ),
        migrations.RunPython(old_slugs_to_addresses, addresses_to_old_slugs),
        migrations.DeleteModel(name="ArticleRedirect"),
        # Free of ArticleRedirect's, the reverse accessor takes its name.
        migrations.AlterField(
            model_name="redirect",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="redirects",
                to="content.article",
            ),
        ),
    ]
