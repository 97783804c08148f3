"""The sources the importer knows, by the name the command gives them.

`newsdesk import NAME LOCATION ...` reads its choices, their help and their
options from `SOURCES`. Adding a source is one module here (a `types.Source`
subclass: its `name`, `help`, `entries()`, and its options in
`add_arguments()` and `from_options()`), a line in `SOURCES`, and its tests:
the importer, the command and the downloads are the same for every source.
`register()` adds one from elsewhere (a plugin, a test).
"""

from __future__ import annotations

from newsdesk.imports.sources.feed import FeedSource
from newsdesk.imports.sources.html import PageSource
from newsdesk.imports.sources.wordpress import WordPressSource
from newsdesk.imports.types import Source

SOURCES: dict[str, type[Source]] = {
    source.name: source for source in (WordPressSource, FeedSource, PageSource)
}


def register(source: type[Source]) -> type[Source]:
    """Add a source to the command's choices (usable as a class decorator)."""
    if source.name in SOURCES and SOURCES[source.name] is not source:
        raise ValueError(f"a source named “{source.name}” is registered already")
    SOURCES[source.name] = source
    return source


def unregister(source: type[Source]) -> None:
    """Take a source out of the command's choices."""
    if SOURCES.get(source.name) is source:
        del SOURCES[source.name]
