from django.core.management.base import BaseCommand

from newsdesk.search.indexing import rebuild, refresh_statistics


class Command(BaseCommand):
    help = "Rebuild the search index from every published article."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done:,}/{total:,} articles", ending="")

        count = rebuild(progress)
        refresh_statistics()
        self.stderr.write("")
        self.stdout.write(f"Indexed {count:,} articles.")
