from django.core.management.base import BaseCommand

from newsdesk.media.images import ImageRefused, remake
from newsdesk.media.models import Image


class Command(BaseCommand):
    help = (
        "Make renditions for library images that have none (lead images from "
        "before the media library), removing their EXIF data on the way."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Remake every image's renditions."
        )

    def handle(self, *args, all: bool = False, **options) -> None:
        done = failed = 0
        for image in Image.objects.order_by("pk").iterator():
            if image.renditions and not all:
                continue
            try:
                remake(image)
                done += 1
            except (ImageRefused, OSError) as problem:
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {problem}")
        self.stdout.write(f"Made renditions for {done} image(s); {failed} failed.")
