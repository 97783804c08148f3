import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportSource",
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
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("wordpress", "WordPress export"),
                            ("feed", "RSS or Atom feed"),
                            ("html", "Web page"),
                        ],
                        max_length=20,
                    ),
                ),
                ("name", models.CharField(max_length=500)),
                (
                    "site",
                    models.CharField(
                        blank=True,
                        help_text="A WordPress export's site address, as its first "
                        "import declared.",
                        max_length=1000,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "name"), name="import_source_name"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="importeditem",
            name="origin",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="imports.importsource",
            ),
        ),
        migrations.AddField(
            model_name="importedmedia",
            name="origin",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="imports.importsource",
            ),
        ),
    ]
