"""The search index: an FTS5 table on SQLite, a tsvector table on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, standfirst, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
]
POSTGRES = [
    # No foreign key: Django's test flush truncates content_article without knowing
    # this table. Deleted articles are removed by the indexer, and every query
    # joins content_article, so a leftover row is never found.
    "CREATE TABLE search_document (article_id bigint PRIMARY KEY, "
    "document tsvector NOT NULL, body text NOT NULL)",
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    table = {"sqlite": "search_fts", "postgresql": "search_document"}
    name = table.get(schema_editor.connection.vendor)
    if name:
        schema_editor.execute(f"DROP TABLE IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("content", "0002_article_indexes")]
    operations = [migrations.RunPython(create, drop)]
