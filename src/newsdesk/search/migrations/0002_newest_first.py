"""Find the newest matches without visiting the others (see `backends`).

SQLite: the FTS5 rowid becomes the publish minute then the article id, so FTS5
reads matches newest first; `search_meta` is keyed the same way. PostgreSQL: each
document gets its publish week as one more lexeme, for the GIN index to intersect
with. Existing rows are carried over in SQL; nothing needs reindexing.
"""

from django.db import migrations

SQLITE = [
    "ALTER TABLE search_fts RENAME TO search_fts_old",
    "ALTER TABLE search_meta RENAME TO search_meta_old",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, standfirst, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TABLE search_meta (doc INTEGER PRIMARY KEY, "
    "article INTEGER NOT NULL UNIQUE, published REAL NOT NULL, "
    "section INTEGER NOT NULL)",
    # backends.sqlite_key in SQL: publish minute, then the article id.
    "INSERT INTO search_meta (doc, article, published, section) "
    "SELECT (CAST(published / 60 AS INTEGER) << 32) | id, id, published, section "
    "FROM search_meta_old",
    "INSERT INTO search_fts (rowid, title, standfirst, body) "
    "SELECT m.doc, f.title, f.standfirst, f.body FROM search_fts_old f "
    "JOIN search_meta m ON m.article = f.rowid",
    "DROP TABLE search_fts_old",
    "DROP TABLE search_meta_old",
]
SQLITE_BACK = [
    "ALTER TABLE search_fts RENAME TO search_fts_new",
    "ALTER TABLE search_meta RENAME TO search_meta_new",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, standfirst, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TABLE search_meta (id INTEGER PRIMARY KEY, published REAL NOT NULL, "
    "section INTEGER NOT NULL)",
    "INSERT INTO search_meta (id, published, section) "
    "SELECT article, published, section FROM search_meta_new",
    "INSERT INTO search_fts (rowid, title, standfirst, body) "
    "SELECT m.article, f.title, f.standfirst, f.body FROM search_fts_new f "
    "JOIN search_meta_new m ON m.doc = f.rowid",
    "DROP TABLE search_fts_new",
    "DROP TABLE search_meta_new",
]
# backends.week and WEEK_LEXEME in SQL.
POSTGRES = [
    "UPDATE search_document SET document = document || array_to_tsvector(ARRAY["
    "'~w' || floor(extract(epoch FROM published) / 604800)::bigint])",
]
POSTGRES_BACK = [
    "UPDATE search_document SET document = ts_delete(document, ARRAY["
    "'~w' || floor(extract(epoch FROM published) / 604800)::bigint])",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK}
    for statement in statements.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
