"""`newsdesk import wordpress|feed|html …`: bring articles in from elsewhere."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from newsdesk.imports.base import ImportRefused, Report, Term


class Command(BaseCommand):
    help = "Import articles: a WordPress export, an RSS/Atom feed or one HTML page."

    def add_arguments(self, parser) -> None:
        sources = parser.add_subparsers(dest="kind", required=True)
        wordpress = sources.add_parser(
            "wordpress", help="A WordPress export file (WXR 1.0, 1.1 or 1.2)."
        )
        wordpress.add_argument("path", help="the export file (EXPORT.xml)")
        wordpress.add_argument(
            "--pages-section",
            metavar="SLUG",
            help="import pages as articles in this section (default: skip pages)",
        )
        wordpress.add_argument(
            "--download-media",
            action="store_true",
            help="download featured images and attachments into the media library, "
            "where reachable",
        )
        wordpress.add_argument(
            "--default-section",
            metavar="SLUG",
            default="uncategorized",
            help="section of posts in no category (default: uncategorized)",
        )
        feed = sources.add_parser("feed", help="An RSS or Atom feed, by URL or file.")
        feed.add_argument("location", help="the feed's URL or a file")
        feed.add_argument(
            "--section", metavar="SLUG", default="news", help="(default: news)"
        )
        page = sources.add_parser("html", help="One article page, as a draft.")
        page.add_argument("location", help="the page's URL or a file")
        page.add_argument(
            "--section", metavar="SLUG", default="news", help="(default: news)"
        )
        for parser in (wordpress, feed, page):
            _common_arguments(parser)

    def handle(self, *args, kind: str, **options) -> None:
        from newsdesk.imports.fetching import any_address, public_only

        progress = _Progress(self.stderr) if options["verbosity"] > 0 else None
        common = {
            "progress": progress or (lambda report: None),
            "source": options["source"],
            "update_status": options["update_status"],
            "update_section": options["update_section"],
            "address_policy": (
                any_address if options["allow_private_addresses"] else public_only
            ),
        }
        if kind == "wordpress":
            from newsdesk.imports.wordpress import WordPressImporter

            importer = WordPressImporter(
                default_section=_term(options["default_section"]),
                pages_section=options["pages_section"],
                download_media=options["download_media"],
                **common,
            )
            location = options["path"]
        elif kind == "feed":
            from newsdesk.imports.feed import FeedImporter

            importer = FeedImporter(section=_term(options["section"]), **common)
            location = options["location"]
        else:
            from newsdesk.imports.html import PageImporter

            importer = PageImporter(section=_term(options["section"]), **common)
            location = options["location"]
        try:
            report = importer.run(location)
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        finally:
            if progress:
                progress.end()
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


def _term(slug: str) -> Term:
    return Term(slug, slug.replace("-", " ").title())


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
