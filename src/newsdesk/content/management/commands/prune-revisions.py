from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from newsdesk.content.revisions import prune


class Command(BaseCommand):
    help = (
        "Delete revisions of unpublished states older than N days. Kept: every "
        "version readers saw, each article's newest revision, and the audit trail "
        "(publish, schedule, unpublish, restore, import)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True)

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        deleted = prune(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted:,} revision(s) older than {days} days.")
