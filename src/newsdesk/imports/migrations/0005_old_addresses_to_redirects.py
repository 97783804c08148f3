"""Imported articles' old addresses become `content.Redirect` rows, like every other."""

from django.db import migrations


def to_redirects(apps, schema_editor):
    OldAddress = apps.get_model("imports", "OldAddress")
    Redirect = apps.get_model("content", "Redirect")
    taken = set(Redirect.objects.values_list("path", flat=True))
    Redirect.objects.bulk_create(
        Redirect(path=old.path, article_id=old.article_id)
        for old in OldAddress.objects.all()
        if old.path not in taken
    )


def to_old_addresses(apps, schema_editor):
    # Every redirect is an address; the old middleware answered any of them.
    OldAddress = apps.get_model("imports", "OldAddress")
    Redirect = apps.get_model("content", "Redirect")
    OldAddress.objects.bulk_create(
        OldAddress(path=r.path, article_id=r.article_id) for r in Redirect.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_source_foreign_keys"),
        ("content", "0009_redirect"),
    ]

    operations = [
        migrations.RunPython(to_redirects, to_old_addresses),
        migrations.DeleteModel(name="OldAddress"),
    ]
