"""WSGI entry point for Newsdesk: the page cache's fast path around Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
django_application = get_wsgi_application()

# Both need Django set up first.
from newsdesk.delivery.pagecache import PageCacheApp  # noqa: E402
from newsdesk.web.health import HealthCheckApp  # noqa: E402

application = HealthCheckApp(PageCacheApp(django_application))
