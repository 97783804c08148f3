from __future__ import annotations

import pytest

from newsdesk.lib.clientaddress import client_address, trusted_networks

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
