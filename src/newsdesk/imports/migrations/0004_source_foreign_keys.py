import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0003_derive_sources"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="importeditem", name="imported_item_key"
        ),
        migrations.RemoveConstraint(
            model_name="importedmedia", name="imported_media_key"
        ),
        migrations.RemoveField(model_name="importeditem", name="source"),
        migrations.RemoveField(model_name="importedmedia", name="source"),
        migrations.RenameField(
            model_name="importeditem", old_name="origin", new_name="source"
        ),
        migrations.RenameField(
            model_name="importedmedia", old_name="origin", new_name="source"
        ),
        migrations.AlterField(
            model_name="importeditem",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="items",
                to="imports.importsource",
            ),
        ),
        migrations.AlterField(
            model_name="importedmedia",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="media",
                to="imports.importsource",
            ),
        ),
        migrations.AddConstraint(
            model_name="importeditem",
            constraint=models.UniqueConstraint(
                fields=("source", "key"), name="imported_item_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="importedmedia",
            constraint=models.UniqueConstraint(
                fields=("source", "key", "role"), name="imported_media_key"
            ),
        ),
    ]
