from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsdesk.dev.demo import ensure_editor, load_demo


class Command(BaseCommand):
    help = (
        "Migrate, load the demo content, create the `editor` account and serve the "
        "demo site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up, then exit."
        )

    def handle(self, *args, port: int, host: str, no_serve: bool, **options):
        if not settings.NEWSDESK_SITE_URL_IS_SET:
            # Canonical links point where the demo is actually served.
            settings.NEWSDESK_SITE_URL = f"http://{host}:{port}"
        call_command("migrate", interactive=False, verbosity=0)
        created = load_demo()
        self.stdout.write(f"Demo content: {created} new article(s) loaded.")
        password = settings.NEWSDESK_DEMO_PASSWORD
        generated = ensure_editor(password=password)
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Newsroom login: editor / {generated}  (shown once; set "
                    "NEWSDESK_DEMO_PASSWORD to choose it)"
                )
            )
        elif password:
            self.stdout.write("Newsroom login: editor / $NEWSDESK_DEMO_PASSWORD")
        else:
            self.stdout.write("Newsroom login: editor (password unchanged)")
        call_command("collectstatic", interactive=False, verbosity=0)
        if no_serve:
            return
        self.stdout.write(
            f"Serving http://{host}:{port}/  (newsroom: http://{host}:{port}/desk/)"
        )
        call_command("runserver", f"{host}:{port}", use_reloader=False)
