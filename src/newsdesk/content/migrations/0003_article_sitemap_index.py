from django.db import migrations, models


class Migration(migrations.Migration):
    """Let the sitemap index count articles and find their last change per month
    from the index alone: (status, publish_at) grows updated_at."""

    dependencies = [
        ("content", "0002_article_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="content_art_status_d6d60e_idx",
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "publish_at", "updated_at"],
                name="content_art_status_991219_idx",
            ),
        ),
    ]
