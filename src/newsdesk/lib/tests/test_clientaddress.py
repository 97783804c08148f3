from __future__ import annotations

import logging

import pytest

from newsdesk.lib import clientaddress
from newsdesk.lib.clientaddress import (
    address_of,
    client_address,
    network_key,
    trusted_networks,
)

LOCAL = trusted_networks(["127.0.0.1"])


def test_a_direct_client_is_its_own_address_whatever_it_claims():
    assert client_address("203.0.113.9", "198.51.100.1", LOCAL) == "203.0.113.9"


def test_behind_the_proxy_the_address_it_added_counts():
    # nginx appends the address it saw to what the client sent.
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.9", LOCAL) == (
        "203.0.113.9"
    )


def test_a_chain_of_trusted_proxies_is_walked_back():
    trusted = trusted_networks(["127.0.0.1", "10.0.0.0/8"])
    assert client_address("127.0.0.1", "9.9.9.9, 203.0.113.9, 10.1.2.3", trusted) == (
        "203.0.113.9"
    )


def test_a_proxy_without_the_header_is_the_address():
    assert client_address("127.0.0.1", "", LOCAL) == "127.0.0.1"


@pytest.mark.parametrize("junk", ["not-an-address", "1.2.3.4.5", "<script>"])
def test_a_malformed_hop_ends_the_walk(junk):
    assert client_address("127.0.0.1", junk, LOCAL) == "127.0.0.1"


def test_a_star_trusts_every_hop():
    assert client_address("192.0.2.1", "203.0.113.9, 10.0.0.1", None) == ("203.0.113.9")


def test_ipv6_addresses_are_normalized():
    assert client_address("::1", "2001:DB8::0:1", trusted_networks(["::1"])) == (
        "2001:db8::1"
    )


def test_a_peer_that_is_no_address_gives_an_empty_one():
    assert client_address("unix:/run/newsdesk.sock", "203.0.113.9", LOCAL) == ""


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:0:1::7", "2001:db8:0:1::"),
        ("2001:db8:0:1:ffff:ffff:ffff:ffff", "2001:db8:0:1::"),
        ("2001:DB8:0:2::1", "2001:db8:0:2::"),
        ("", ""),
    ],
)
def test_an_ipv6_address_counts_with_its_64(address, key):
    assert network_key(address) == key


def test_a_request_is_read_from_its_environ():
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert address_of(meta, LOCAL) == "203.0.113.9"
    assert address_of({"REMOTE_ADDR": "203.0.113.9"}, LOCAL) == "203.0.113.9"
    assert address_of({}, LOCAL) == ""


def warnings_in(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "newsdesk.lib.clientaddress"
    ]


@pytest.fixture
def not_warned_yet(monkeypatch, caplog):
    monkeypatch.setattr(clientaddress, "_warned_untrusted_proxy", False)
    caplog.set_level(logging.WARNING, logger="newsdesk.lib.clientaddress")


def test_a_private_peer_forwarding_untrusted_is_warned_about_once(
    not_warned_yet, caplog
):
    forwarded = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(3):
        # Its header is still not believed.
        assert address_of(forwarded, LOCAL) == "10.0.0.5"
    [message] = warnings_in(caplog)
    assert "10.0.0.5 is not in NEWSDESK_PROXIES" in message
    assert "add it" in message


@pytest.mark.parametrize(
    "meta",
    [
        # A public client writing its own header: nothing wrong with the setup.
        {"REMOTE_ADDR": "8.8.8.8", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        # The trusted proxy.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        # A private client without the header.
        {"REMOTE_ADDR": "10.0.0.5"},
        {"REMOTE_ADDR": "unix:/run/gunicorn.sock", "HTTP_X_FORWARDED_FOR": "1.2.3.4"},
    ],
)
def test_other_requests_give_no_warning(not_warned_yet, caplog, meta):
    address_of(meta, LOCAL)
    assert warnings_in(caplog) == []
