"""`newsdesk import SOURCE …`: bring articles in from elsewhere.

The sources, their help and their options come from the registry
(`newsdesk.imports.sources.SOURCES`); this command is the same for each: import
in one transaction, then, when asked, download the images after the commit.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from newsdesk.imports.downloads import download
from newsdesk.imports.fetching import any_address, public_only
from newsdesk.imports.importer import Importer
from newsdesk.imports.sources import SOURCES
from newsdesk.imports.types import ImportRefused, Report


class Command(BaseCommand):
    help = "Import articles from a source: " + ", ".join(SOURCES) + "."

    def add_arguments(self, parser) -> None:
        choices = parser.add_subparsers(dest="kind", required=True)
        for name, source in SOURCES.items():
            parser = choices.add_parser(name, help=source.help)
            source.add_arguments(parser)
            if source.has_media:
                parser.add_argument(
                    "--download-media",
                    action="store_true",
                    help="download featured images and attachments into the media "
                    "library, where reachable",
                )
            _common_arguments(parser)

    def handle(self, *args, kind: str, location: str, **options) -> None:
        progress = _Progress(self.stderr) if options["verbosity"] > 0 else None
        policy = any_address if options["allow_private_addresses"] else public_only
        downloads = options.get("download_media", False)
        importer = Importer(
            SOURCES[kind].from_options(options),
            progress=progress or (lambda report: None),
            name=options["source"],
            update_status=options["update_status"],
            update_section=options["update_section"],
            policy=policy,
            keep_bodies=downloads,
        )
        try:
            report = importer.run(location)
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        finally:
            if progress:
                progress.end()
        if downloads:
            download(report, policy=policy)
        self.stdout.write("\n".join(report.lines()))


def _common_arguments(parser) -> None:
    parser.add_argument(
        "--source",
        metavar="NAME",
        help="the source's name, matched with earlier imports of the same name "
        "(default: the URL as given, or the file's absolute path)",
    )
    parser.add_argument(
        "--update-status",
        action="store_true",
        help="let the source change the status and publish time of articles it "
        "imported before (default: kept as they are)",
    )
    parser.add_argument(
        "--update-section",
        action="store_true",
        help="let the source move articles it imported before to another section "
        "(default: kept where they are)",
    )
    parser.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="let redirects and media addresses lead to this machine or a private "
        "network (default: public addresses only)",
    )


class _Progress:
    """Counts on one line of the terminal, rewritten as the import goes."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, report: Report) -> None:
        count = report.imported + report.updated + report.unchanged
        skipped = sum(report.skipped.values())
        bar = ""
        if report.done is not None:
            filled = round(report.done * 30)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {report.done:4.0%} "
        self.stream.write(
            f"\r{bar}{count} articles ({report.imported} new, "
            f"{report.updated} updated), {skipped} skipped",
            ending="",
        )
        self.stream.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            self.stream.write("", ending="\n")
            sys.stderr.flush()
