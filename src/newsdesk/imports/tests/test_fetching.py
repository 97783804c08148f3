"""Fetching for imports: no way into this machine or its network, no endless waits.

The web servers here are pytest-httpserver on 127.0.0.1. Where a test needs a
"public" server, its policy counts that one server's port as public and checks
every other address for real; addresses on other networks are refused before
any connection, so no traffic leaves the machine.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import time

import pytest
from django.core.management import CommandError, call_command
from pytest_httpserver import HTTPServer
from werkzeug import Response

from newsdesk.content.models import Article
from newsdesk.imports import fetching
from newsdesk.imports.fetching import any_address, fetch, public_only
from newsdesk.imports.tests.test_wordpress import _item, _wxr, run
from newsdesk.imports.types import ImportRefused

REFUSED = "an address on this machine or a private network"


def _as_public(httpserver):
    """Return a policy under which only the test server counts as public."""

    def policy(address, port: int) -> bool:
        if address == ipaddress.ip_address("127.0.0.1") and port == httpserver.port:
            return True
        return public_only(address, port)

    return policy


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.1.2.3", "::1", "10.0.0.1", "172.16.5.4", "192.168.1.1",
        "169.254.169.254", "100.100.100.200", "fd00:ec2::254", "100.64.0.1",
        "0.0.0.0", "::", "224.0.0.1", "ff02::1", "240.0.0.1", "255.255.255.255",
        "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
        "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1", "2001::1",
    ],
)  # fmt: skip
def test_addresses_of_this_machine_and_private_networks_are_not_public(address):
    assert not public_only(ipaddress.ip_address(address), 80)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111"])
def test_addresses_on_the_internet_are_public(address):
    assert public_only(ipaddress.ip_address(address), 443)


# --- Media found in an export -------------------------------------------------


def _export_with_featured_image(tmp_path, url: str):
    items = _item(
        9, "a", post_type="attachment", status="inherit", attachment_url=url,
        extra="<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        "<wp:meta_value>A lake</wp:meta_value></wp:postmeta>",
    ) + _item(
        1, "Post 1",
        extra="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        "<wp:meta_value>9</wp:meta_value></wp:postmeta>",
    )  # fmt: skip
    path = tmp_path / "images.xml"
    path.write_text(_wxr(items))
    return path


@pytest.mark.django_db
def test_a_media_address_on_this_machine_is_not_fetched(tmp_path, httpserver):
    httpserver.expect_request("/lake.png").respond_with_data(b"x")
    path = _export_with_featured_image(tmp_path, httpserver.url_for("/lake.png"))
    out = io.StringIO()
    call_command(
        "import", "wordpress", str(path), "--download-media", stdout=out, verbosity=0
    )
    assert REFUSED in out.getvalue()
    assert "--allow-private-addresses" in out.getvalue()
    assert httpserver.log == []
    assert Article.objects.get().lead_image is None


@pytest.fixture
def internal():
    """A second server here, standing for a service on this machine."""
    server = HTTPServer()
    server.expect_request("/secret").respond_with_data("the keys")
    server.start()
    yield server
    server.stop()


@pytest.mark.django_db
def test_a_media_redirect_to_this_machine_is_not_followed(
    tmp_path, httpserver, internal
):
    httpserver.expect_request("/lake.png").respond_with_data(
        "",
        status=302,
        headers={"Location": f"http://localhost:{internal.port}/secret"},
    )
    path = _export_with_featured_image(tmp_path, httpserver.url_for("/lake.png"))
    report = run(path, download_media=True, policy=_as_public(httpserver))
    assert any(
        "its redirect to localhost" in w and REFUSED in w for w in report.warnings
    )
    assert [request.path for request, _ in httpserver.log] == ["/lake.png"]
    assert internal.log == []


# --- Redirects ---------------------------------------------------------------


@pytest.mark.parametrize(
    "target, message",
    [
        ("http://127.0.0.1:5432/", REFUSED),
        ("http://169.254.169.254/latest/meta-data/", REFUSED),
        ("http://[::ffff:169.254.169.254]/latest/meta-data/", REFUSED),
        ("http://10.1.2.3/admin", REFUSED),
        ("ftp://files.example/secret", "is not an http(s) address"),
        ("file:///etc/passwd", "is not an http(s) address"),
    ],
)
def test_a_redirect_off_the_public_internet_is_refused(httpserver, target, message):
    httpserver.expect_request("/start").respond_with_data(
        "", status=301, headers={"Location": target}
    )
    with pytest.raises(ImportRefused, match="its redirect to") as error:
        fetch(httpserver.url_for("/start"), policy=_as_public(httpserver))
    assert message in str(error.value)


def test_redirects_are_followed_a_few_times_only(httpserver):
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": "/loop"}
    )
    with pytest.raises(ImportRefused, match="more than 5 redirects"):
        fetch(httpserver.url_for("/loop"), policy=any_address)


def test_a_redirect_within_allowed_addresses_is_followed(httpserver):
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data("here")
    assert fetch(httpserver.url_for("/old"), policy=_as_public(httpserver)) == b"here"


@pytest.mark.django_db
def test_a_feed_redirecting_to_another_port_here_is_refused(httpserver):
    """The operator's own address may be on this machine; where it leads may not."""
    httpserver.expect_request("/feed.xml").respond_with_data(
        "", status=302, headers={"Location": "http://localhost:8000/desk/"}
    )
    with pytest.raises(CommandError, match=REFUSED):
        call_command("import", "feed", httpserver.url_for("/feed.xml"), verbosity=0)
    assert not Article.objects.exists()


# --- Deadlines, sizes and messages ---------------------------------------------


def _drip(request):
    def body():
        for _ in range(30):
            time.sleep(1)
            yield b"x"

    return Response(body(), headers={"Content-Length": "30"})


def test_a_server_dripping_bytes_is_cut_at_the_deadline(httpserver):
    httpserver.expect_request("/slow").respond_with_handler(_drip)
    with pytest.raises(ImportRefused, match="no complete answer within 2 seconds"):
        fetch(httpserver.url_for("/slow"), policy=any_address, deadline=2)


def _silent(request):
    time.sleep(2)
    return Response("late")


def test_a_closed_port_and_a_silent_server_give_the_same_message(httpserver):
    httpserver.expect_request("/silent").respond_with_handler(_silent)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/x"
    messages = []
    for url in (closed, httpserver.url_for("/silent")):
        with pytest.raises(ImportRefused) as error:
            fetch(url, policy=any_address, deadline=0.5)
        messages.append(str(error.value).removeprefix(url))
    assert (
        messages[0]
        == messages[1]
        == (": can't fetch it: no complete answer within 0.5 seconds")
    )


def test_an_answer_past_the_size_cap_is_refused(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(ImportRefused, match="larger than"):
        fetch(httpserver.url_for("/big"), policy=any_address, max_bytes=1000)


def test_a_streamed_answer_past_the_size_cap_is_refused(httpserver):
    httpserver.expect_request("/stream").respond_with_handler(
        lambda request: Response(iter([b"x" * 600] * 5))
    )
    with pytest.raises(ImportRefused, match="larger than"):
        fetch(httpserver.url_for("/stream"), policy=any_address, max_bytes=1000)


def test_the_deadline_is_for_the_whole_download(httpserver, monkeypatch):
    monkeypatch.setattr(fetching, "DEADLINE", 1)
    httpserver.expect_request("/slow").respond_with_handler(_drip)
    with pytest.raises(ImportRefused, match="within 1 seconds"):
        fetch(httpserver.url_for("/slow"), policy=any_address)


def test_the_address_checked_is_the_one_connected_to_with_the_name_as_host(
    httpserver,
):
    asked = []

    def policy(address, port: int) -> bool:
        asked.append(address)
        return address.is_loopback

    httpserver.expect_request(
        "/named", headers={"Host": f"localhost:{httpserver.port}"}
    ).respond_with_data("by name")
    url = f"http://localhost:{httpserver.port}/named"
    assert fetch(url, policy=policy) == b"by name"
    assert asked and all(address.is_loopback for address in asked)
