"""Newsroom login throttling: per account and address, per address, no lockouts."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from newsdesk.lib import clientaddress
from newsdesk.tests.support import parse, texts

LOGIN_URL = "/desk/login/"
PASSWORD = "correct horse battery"
HOME = "203.0.113.10"  # the editor's own address
ATTACKER = "198.51.100.66"


def log_in(username: str, password: str, address: str, **headers):
    """Post the newsroom's login form from an address; return the response."""
    client = Client()
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": "/desk/"},
        REMOTE_ADDR=address,
        **headers,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/desk/"


def error_text(response) -> str:
    return " ".join(texts(parse(response), ".errornote"))


@pytest.fixture
def limits(settings, editor, writer):
    # Each try hashes a password; a fast hasher keeps a hundred tries quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for user in (editor, writer):
        user.set_password(PASSWORD)
        user.save()
    settings.NEWSDESK_LOGIN_FAILURES = 5
    settings.AXES_FAILURE_LIMIT = 5
    settings.NEWSDESK_LOGIN_ADDRESS_FAILURES = 12
    return settings


def test_a_wrong_password_is_refused_as_usual(limits):
    response = log_in("eddie", "wrong", ATTACKER)
    assert response.status_code == 200
    assert "correct username and password" in error_text(response)


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_message(limits):
    for _ in range(5):
        assert not logged_in(log_in("eddie", "wrong", ATTACKER))
    response = log_in("eddie", PASSWORD, ATTACKER)
    assert response.status_code == 429
    tree = parse(response)
    # The login page itself, saying why, with its form to try again later.
    assert tree.css_first("form#login-form") is not None
    assert "Too many failed logins" in error_text(response)
    assert "15 minutes" in error_text(response)
    assert "_auth_user_id" not in response.client.session


def test_a_third_party_cannot_lock_the_editor_out_of_her_own_address(limits):
    for _ in range(20):
        log_in("eddie", "wrong", ATTACKER)
    assert log_in("eddie", PASSWORD, ATTACKER).status_code == 429
    assert logged_in(log_in("eddie", PASSWORD, HOME))


def test_many_accounts_tried_from_one_address_lock_that_address(limits):
    for number in range(12):
        log_in(f"guess{number}", "wrong", ATTACKER)
    # Even an account never tried from there, with its right password.
    response = log_in("wendy", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "Too many failed logins" in error_text(response)
    assert logged_in(log_in("wendy", PASSWORD, HOME))


def test_fewer_failures_than_the_limit_leave_the_account_open(limits):
    for _ in range(4):
        log_in("eddie", "wrong", HOME)
    assert logged_in(log_in("eddie", PASSWORD, HOME))


def test_a_success_forgets_the_earlier_failures(limits):
    for _ in range(4):
        log_in("eddie", "wrong", HOME)
    assert logged_in(log_in("eddie", PASSWORD, HOME))
    for _ in range(4):
        log_in("eddie", "wrong", HOME)
    assert logged_in(log_in("eddie", PASSWORD, HOME))


def test_a_success_does_not_forget_failures_at_other_accounts(limits):
    """Else a writer could guess the editor's password between own logins."""
    for _ in range(4):
        log_in("eddie", "wrong", ATTACKER)
    assert logged_in(log_in("wendy", PASSWORD, ATTACKER))
    log_in("eddie", "wrong", ATTACKER)
    assert log_in("eddie", PASSWORD, ATTACKER).status_code == 429


def test_the_lock_ends_after_the_cool_off(limits):
    for _ in range(5):
        log_in("eddie", "wrong", ATTACKER)
    assert log_in("eddie", PASSWORD, ATTACKER).status_code == 429
    # Sixteen minutes pass for the recorded failures.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    assert logged_in(log_in("eddie", PASSWORD, ATTACKER))


def test_trying_while_locked_does_not_extend_the_lock(limits):
    for _ in range(5):
        log_in("eddie", "wrong", ATTACKER)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=14)
        attempt.save()
    assert log_in("eddie", "wrong", ATTACKER).status_code == 429
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=2)
        attempt.save()
    assert logged_in(log_in("eddie", PASSWORD, ATTACKER))


def test_behind_the_proxy_the_forwarded_address_counts(limits):
    nginx = "127.0.0.1"  # NEWSDESK_PROXIES' default
    for _ in range(5):
        log_in("eddie", "wrong", nginx, HTTP_X_FORWARDED_FOR=ATTACKER)
    response = log_in("eddie", PASSWORD, nginx, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert response.status_code == 429
    # The editor behind the same proxy is another address.
    assert logged_in(log_in("eddie", PASSWORD, nginx, HTTP_X_FORWARDED_FOR=HOME))


def test_a_client_cannot_pick_its_address_with_a_forwarded_header(limits):
    # Straight to the app, each try claiming another address: all count as one.
    for number in range(5):
        log_in("eddie", "wrong", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert log_in("eddie", PASSWORD, ATTACKER).status_code == 429
    # Through the proxy, what the client wrote before nginx's entry is ignored.
    for number in range(5):
        log_in(
            "eddie",
            "wrong",
            "127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, {HOME}",
        )
    assert log_in("eddie", PASSWORD, HOME).status_code == 429


def test_an_ipv6_host_cannot_rotate_addresses_within_its_64_for_more_guesses(limits):
    limits.NEWSDESK_LOGIN_ADDRESS_FAILURES = 30  # the default
    for number in range(1, 32):
        log_in(f"guess{number}", "wrong", f"2001:db8:0:1::{number:x}")
    # Any address in that /64 is paused, even for a right password.
    response = log_in("wendy", PASSWORD, "2001:db8:0:1:ffff::1")
    assert response.status_code == 429
    assert "Too many failed logins" in error_text(response)
    # The neighbouring /64 is someone else.
    assert logged_in(log_in("wendy", PASSWORD, "2001:db8:0:2::1"))


def test_a_proxy_missing_from_newsdesk_proxies_is_warned_about_once(
    limits, caplog, monkeypatch
):
    monkeypatch.setattr(clientaddress, "_warned_untrusted_proxy", False)
    docker_proxy = "172.18.0.2"  # connects from a private network, not 127.0.0.1
    with caplog.at_level(logging.WARNING, logger="newsdesk.lib.clientaddress"):
        for _ in range(3):
            log_in("eddie", "wrong", docker_proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    [warning] = [r for r in caplog.records if r.name == "newsdesk.lib.clientaddress"]
    assert "172.18.0.2 is not in NEWSDESK_PROXIES" in warning.getMessage()


def test_garbage_in_the_forwarded_header_is_no_error(limits):
    response = log_in(
        "eddie", "wrong", "127.0.0.1", HTTP_X_FORWARDED_FOR="<script>, 300.1.1.1"
    )
    assert response.status_code == 200
    assert "correct username and password" in error_text(response)


def test_the_reset_command_unlocks(limits):
    for _ in range(5):
        log_in("eddie", "wrong", ATTACKER)
    assert log_in("eddie", PASSWORD, ATTACKER).status_code == 429
    call_command("axes_reset_username", "eddie", stdout=io.StringIO())
    assert logged_in(log_in("eddie", PASSWORD, ATTACKER))
