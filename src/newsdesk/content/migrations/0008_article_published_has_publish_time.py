from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("content", "0007_published_articles_have_a_publish_time")]

    operations = [
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=~models.Q(status="published")
                | models.Q(publish_at__isnull=False),
                name="published_article_has_publish_time",
            ),
        ),
    ]
