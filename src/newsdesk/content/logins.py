"""Newsroom login throttling (django-axes), shaped so no one locks out the desk.

An account is locked from one address after NEWSDESK_LOGIN_FAILURES failures
there, and an address for every account after NEWSDESK_LOGIN_ADDRESS_FAILURES;
so someone guessing the editor's password from elsewhere never keeps her out of
her own address. Locks last NEWSDESK_LOGIN_LOCKOUT_MINUTES.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse

from newsdesk.lib.clientaddress import network_key
from newsdesk.proxies import request_address

LOCKED_STATUS = 429


def client_ip(request: HttpRequest) -> str:
    """Return the address failures count against: an IPv6 client's is its /64.

    Else a host rotating through its /64 would get new guesses with each address.
    """
    return network_key(request_address(request))


def lockout_message() -> str:
    minutes = settings.NEWSDESK_LOGIN_LOCKOUT_MINUTES
    return (
        "Too many failed logins from your address. Logging in is paused for "
        f"{minutes} minute{'s' if minutes != 1 else ''}; try again then, or ask an "
        "administrator to unlock it."
    )


class LoginThrottle(AxesDatabaseHandler):
    """Count failures per (account, address) and per address, each with its limit.

    Axes compares one number with AXES_FAILURE_LIMIT; an address past its own,
    larger limit counts as that limit reached.
    """

    def get_failures(self, request, credentials=None) -> int:
        # In the order of AXES_LOCKOUT_PARAMETERS: (username, address), address.
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.NEWSDESK_LOGIN_ADDRESS_FAILURES:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On success, forget this account's failures from this address only.

        Axes would also forget the address's failures for other accounts, which
        would let anyone with an account reset the count between guesses.
        """
        pair = self.filter_user_attempts(request, credentials)[0]
        return pair.delete()[0]


class NewsroomLoginForm(AdminAuthenticationForm):
    """The newsroom's login form, saying plainly when logging in is paused."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(lockout_message(), code="locked_out") from None
            raise


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """Answer a locked-out login with the login page itself, saying why, as 429."""
    if original_response is None:
        return HttpResponse(lockout_message(), status=LOCKED_STATUS)
    original_response.status_code = LOCKED_STATUS
    return original_response
