"""Move each article's own lead image into the media library.

The file stays where it is; an Image row takes its name, size and alt text (the
title when the alt text was empty), and the article points at that row.
Renditions are not made here: the migrated image is served as it is until
`newsdesk renditions` makes them.
"""

import django.db.models.deletion
from django.db import migrations, models

MIME_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
    "webp": "image/webp", "avif": "image/avif", "gif": "image/gif",
}  # fmt: skip


def into_library(apps, schema_editor):
    Article = apps.get_model("content", "Article")
    Image = apps.get_model("media", "Image")
    Revision = apps.get_model("content", "Revision")
    images = {}
    for article in Article.objects.exclude(old_lead_image="").iterator():
        name = article.old_lead_image.name
        if not name:
            continue
        extension = name.rsplit(".", 1)[-1].lower()
        image = Image.objects.create(
            file=name,
            width=article.lead_image_width or 0,
            height=article.lead_image_height or 0,
            mime_type=MIME_TYPES.get(extension, "image/jpeg"),
            alt=article.lead_image_alt.strip() or article.title,
            renditions=[],
        )
        Article.objects.filter(pk=article.pk).update(lead_image=image)
        images[name] = image
    # Revisions named the file; now they name the library image, as new ones do.
    # A file no article uses any more stays a name (restoring notes it missing).
    for revision in Revision.objects.iterator() if images else ():
        name = revision.data.get("lead_image")
        image = images.get(name) if isinstance(name, str) else None
        if image is None:
            continue
        revision.data["lead_image"] = {"id": image.pk, "alt": image.alt}
        revision.data.pop("lead_image_alt", None)
        revision.save(update_fields=["data"])


def out_of_library(apps, schema_editor):
    Article = apps.get_model("content", "Article")
    for article in Article.objects.exclude(lead_image=None).select_related(
        "lead_image"
    ):
        image = article.lead_image
        Article.objects.filter(pk=article.pk).update(
            old_lead_image=image.file.name,
            lead_image_width=image.width,
            lead_image_height=image.height,
            lead_image_alt=image.alt,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_revisions_and_versions"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("article", "lead_image", "old_lead_image"),
        migrations.AddField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="From the media library, with its alt text, caption and credit.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_of",
                to="media.image",
            ),
        ),
        migrations.RunPython(into_library, out_of_library),
        migrations.RemoveField("article", "old_lead_image"),
        migrations.RemoveField("article", "lead_image_width"),
        migrations.RemoveField("article", "lead_image_height"),
        migrations.RemoveField("article", "lead_image_alt"),
    ]
