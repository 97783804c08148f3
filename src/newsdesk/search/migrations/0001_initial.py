"""The search index: an FTS5 table on SQLite, a tsvector table on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, standfirst, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    # Publish time and section beside the index, in small rows: reading them from
    # the text's rows (or the articles') would read every match's whole body.
    "CREATE TABLE search_meta (id INTEGER PRIMARY KEY, published REAL NOT NULL, "
    "section INTEGER NOT NULL)",
]
POSTGRES = [
    # No foreign key: Django's test flush truncates content_article without knowing
    # this table. Deleted articles are removed by the indexer, and every query
    # joins content_article, so a leftover row is never found.
    "CREATE TABLE search_document (article_id bigint PRIMARY KEY, "
    "document tsvector NOT NULL, body text NOT NULL, "
    "published timestamptz NOT NULL, section bigint NOT NULL)",
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    tables = {
        "sqlite": ["search_fts", "search_meta"],
        "postgresql": ["search_document"],
    }
    for name in tables.get(schema_editor.connection.vendor, []):
        schema_editor.execute(f"DROP TABLE IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("content", "0002_article_indexes")]
    operations = [migrations.RunPython(create, drop)]
