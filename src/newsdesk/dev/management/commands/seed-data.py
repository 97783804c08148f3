import time

from django.core.management.base import BaseCommand, CommandError

from newsdesk.dev.seeding import Seeder


class Command(BaseCommand):
    help = "Make N realistic published articles (about 800 words each) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--sections", type=int, default=8)
        parser.add_argument("--tags", type=int, default=200)
        parser.add_argument("--authors", type=int, default=40)
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, articles, sections, tags, authors, batch, seed, **options):
        if not 1 <= articles <= 1_000_000:
            raise CommandError("--articles must be between 1 and 1,000,000")
        if not 1 <= sections <= 12:
            raise CommandError("--sections must be between 1 and 12")
        started = time.monotonic()

        def progress(done: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stderr.write(
                f"\r{done:,}/{articles:,} articles ({rate:,.0f}/s)", ending=""
            )

        made = Seeder(seed=seed).run(
            articles=articles,
            sections=sections,
            tags=tags,
            authors=authors,
            batch=batch,
            progress=progress,
        )
        self.stderr.write("")
        self.stdout.write(
            f"Made {made:,} articles in {time.monotonic() - started:.1f} s."
        )
