"""Give the items and media imported so far the source they came from.

Before, items were matched across all sources of a kind. What can be told from
the rows is used: a WordPress item's key holds its site's address (`site|id`),
so each site becomes a source named by that address; a page's key is its
address, so each page is its own source, named by it, its key now `page`. A feed item's key is only its GUID,
which doesn't say which feed it came from: those go to one source named
`legacy` (`--source legacy` matches them again).
"""

from collections import defaultdict

from django.db import migrations

LEGACY = "legacy"
CHUNK = 500


def _site(key: str) -> str | None:
    if key.startswith("guid|"):
        return None
    site, bar, post_id = key.rpartition("|")
    return site if bar and post_id.isdigit() else None


def forwards(apps, schema_editor):
    ImportSource = apps.get_model("imports", "ImportSource")
    ImportedItem = apps.get_model("imports", "ImportedItem")
    ImportedMedia = apps.get_model("imports", "ImportedMedia")
    sources = {}

    def source(kind: str, name: str, site: str = ""):
        name = (name or LEGACY)[:500]
        if (kind, name) not in sources:
            sources[kind, name], _ = ImportSource.objects.get_or_create(
                kind=kind, name=name, defaults={"site": site[:1000]}
            )
        return sources[kind, name]

    for model in (ImportedItem, ImportedMedia):
        wanted = defaultdict(list)
        rows = model.objects.filter(origin=None).values_list("pk", "source", "key")
        for pk, kind, key in rows.iterator():
            if kind == "wordpress":
                wanted["wordpress", _site(key)].append(pk)
            elif kind == "html":
                wanted["html", key].append(pk)
            else:
                wanted[kind or "feed", LEGACY].append(pk)
        sites = {name for kind, name in wanted if kind == "wordpress" and name}
        for (kind, name), pks in wanted.items():
            if kind == "wordpress" and name is None:
                # Matched by GUID alone: its site, when there was only one.
                name = next(iter(sites)) if len(sites) == 1 else LEGACY
            site = name if kind == "wordpress" and name != LEGACY else ""
            origin = source(kind, name, site)
            for start in range(0, len(pks), CHUNK):
                fields = {"origin": origin}
                if kind == "html":
                    fields["key"] = "page"
                model.objects.filter(pk__in=pks[start : start + CHUNK]).update(**fields)


def backwards(apps, schema_editor):
    ImportSource = apps.get_model("imports", "ImportSource")
    ImportedItem = apps.get_model("imports", "ImportedItem")
    ImportedMedia = apps.get_model("imports", "ImportedMedia")
    for origin in ImportSource.objects.iterator():
        for model in (ImportedItem, ImportedMedia):
            fields = {"source": origin.kind, "origin": None}
            if origin.kind == "html" and model is ImportedItem:
                fields["key"] = origin.name
            model.objects.filter(origin=origin).update(**fields)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_importsource"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
