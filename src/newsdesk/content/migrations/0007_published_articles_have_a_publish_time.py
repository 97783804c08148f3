from django.db import migrations


def unpublish_timeless(apps, schema_editor):
    # A published article without a publish time was never public (readers see
    # what is published with its time reached): say so, as a draft, so the
    # next migration's constraint holds.
    Article = apps.get_model("content", "Article")
    Article.objects.filter(status="published", publish_at__isnull=True).update(
        status="draft"
    )


class Migration(migrations.Migration):
    dependencies = [("content", "0006_article_month_statistics")]

    operations = [migrations.RunPython(unpublish_timeless, migrations.RunPython.noop)]
