"""Tests for factdesk.fetch: safe fetching, no SSRF. No test touches the network."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpcore
import httpx
import pytest

from factdesk.errors import BlockedURLError, FetchError, TooLargeError
from factdesk.fetch import USER_AGENT, build_client, check_url, fetch_url

PUBLIC_IP = "93.184.216.34"
HOSTS = {
    "news.example.com": [PUBLIC_IP],
    "other.example.com": ["151.101.1.1"],
    "v6.example.com": ["2606:2800:220:1:248:1893:25c8:1946"],
    "intranet.example.com": ["10.0.0.5"],
    "mixed.example.com": [PUBLIC_IP, "127.0.0.1"],
    "cgnat.example.com": ["100.64.3.4"],
    "mapped.example.com": ["::ffff:10.0.0.1"],
}


def fake_resolver(host: str) -> list[str]:
    if host in HOSTS:
        return HOSTS[host]
    raise OSError("Name or service not known")


Handler = Callable[[httpx.Request], httpx.Response]


def mock_client(handler: Handler, **kwargs: object) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), **kwargs)  # type: ignore[arg-type]


def html_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "text/html; charset=utf-8"}, content=b"<html>ok</html>"
    )


def never_called(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request may be sent, got {request.url}")


# -- successful fetches ------------------------------------------------------------------


def test_fetch_url_returns_page() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return html_page(request)

    page = fetch_url(
        "https://news.example.com/a", client=mock_client(handler), resolver=fake_resolver
    )
    assert page.status == 200
    assert page.body == b"<html>ok</html>"
    assert page.content_type == "text/html; charset=utf-8"
    assert page.url == page.final_url == "https://news.example.com/a"
    assert seen[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("factdesk/")


def test_fetch_url_follows_public_redirects_and_reports_final_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": "/new"})
        if request.url.path == "/new":
            return httpx.Response(302, headers={"location": "https://other.example.com/final"})
        return html_page(request)

    page = fetch_url(
        "https://news.example.com/old", client=mock_client(handler), resolver=fake_resolver
    )
    assert page.url == "https://news.example.com/old"
    assert page.final_url == "https://other.example.com/final"


def test_check_url_accepts_public_hosts_and_literals() -> None:
    for url in (
        "https://news.example.com/x",
        "http://v6.example.com/",
        "http://8.8.8.8/",
        "http://[2606:4700:4700::1111]/",
    ):
        check_url(url, resolver=fake_resolver)


# -- HTTP failures -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_fetch_url_error_status_is_fetch_error(status: int) -> None:
    client = mock_client(lambda request: httpx.Response(status))
    with pytest.raises(FetchError) as info:
        fetch_url("https://news.example.com/gone", client=client, resolver=fake_resolver)
    assert info.value.code == "fetch-error"
    assert f"HTTP {status}" in str(info.value)
    assert "https://news.example.com/gone" in str(info.value)


def test_fetch_url_timeout_is_fetch_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    with pytest.raises(FetchError) as info:
        fetch_url(
            "https://news.example.com/slow",
            client=mock_client(handler),
            timeout=7,
            resolver=fake_resolver,
        )
    assert "timed out after 7 s" in str(info.value)


def test_fetch_url_connection_error_is_fetch_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(FetchError, match="could not fetch"):
        fetch_url("https://news.example.com/", client=mock_client(handler), resolver=fake_resolver)


def test_fetch_url_unresolvable_host_is_fetch_error() -> None:
    with pytest.raises(FetchError, match="does not resolve") as info:
        fetch_url(
            "https://nowhere.example/", client=mock_client(never_called), resolver=fake_resolver
        )
    assert not isinstance(info.value, BlockedURLError)


# -- redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "address"),
    [
        ("http://127.0.0.1/admin", "127.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://intranet.example.com/", "10.0.0.5"),
        ("http://[::1]:8080/", "::1"),
    ],
)
def test_fetch_url_refuses_redirect_to_private_address(target: str, address: str) -> None:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(302, headers={"location": target})

    # follow_redirects=True on the client must not matter: fetch_url follows hops itself.
    client = mock_client(handler, follow_redirects=True)
    with pytest.raises(BlockedURLError) as info:
        fetch_url("https://news.example.com/start", client=client, resolver=fake_resolver)
    assert requested == ["https://news.example.com/start"]
    message = str(info.value)
    assert info.value.code == "blocked-url"
    assert "https://news.example.com/start" in message and target in message
    assert address in message


def test_fetch_url_refuses_redirect_to_non_http_scheme() -> None:
    client = mock_client(lambda r: httpx.Response(301, headers={"location": "file:///etc/passwd"}))
    with pytest.raises(BlockedURLError, match="file is not http"):
        fetch_url("https://news.example.com/", client=client, resolver=fake_resolver)


def test_fetch_url_detects_redirect_loop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        other = "/b" if request.url.path == "/a" else "/a"
        return httpx.Response(302, headers={"location": other})

    with pytest.raises(FetchError, match="redirect loop"):
        fetch_url("https://news.example.com/a", client=mock_client(handler), resolver=fake_resolver)


def test_fetch_url_allows_a_cookie_redirect_back_to_the_same_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "consent=yes" not in request.headers.get("cookie", ""):
            return httpx.Response(
                302, headers={"location": str(request.url), "set-cookie": "consent=yes; Path=/"}
            )
        return html_page(request)

    page = fetch_url(
        "https://news.example.com/story", client=mock_client(handler), resolver=fake_resolver
    )
    assert page.status == 200


def test_fetch_url_stops_after_max_redirects() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(302, headers={"location": f"/hop{len(calls)}"})

    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch_url(
            "https://news.example.com/start",
            client=mock_client(handler),
            max_redirects=3,
            resolver=fake_resolver,
        )
    assert len(calls) == 4  # the first request and three redirects


# -- size limits -------------------------------------------------------------------------


def test_fetch_url_refuses_large_content_length_before_reading() -> None:
    client = mock_client(lambda request: httpx.Response(200, content=b"x" * 5000))
    with pytest.raises(TooLargeError, match="Content-Length") as info:
        fetch_url(
            "https://news.example.com/big", client=client, max_bytes=1000, resolver=fake_resolver
        )
    assert info.value.code == "too-large"


def test_fetch_url_stops_streaming_at_the_limit() -> None:
    produced: list[int] = []

    def chunks() -> Iterator[bytes]:
        for index in range(10_000):  # 1 MB in total if nothing stopped the read
            produced.append(index)
            yield b"y" * 100

    client = mock_client(lambda request: httpx.Response(200, content=chunks()))
    with pytest.raises(TooLargeError, match="stopped reading"):
        fetch_url(
            "https://news.example.com/stream", client=client, max_bytes=1000, resolver=fake_resolver
        )
    assert len(produced) < 20


# -- refused URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.5.4/",
        "http://127.0.0.1:8000/",
        "http://[::1]/",
        "http://0x7f000001/",
        "http://0x7f.1/",
        "http://2130706433/",
        "http://017700000001/",
        "http://127.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a00:5]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://224.0.0.1/",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://app.localhost/",
        "http://intranet.example.com/",
        "http://mixed.example.com/",
        "http://cgnat.example.com/",
        "http://mapped.example.com/",
        "file:///etc/passwd",
        "ftp://news.example.com/file",
        "gopher://news.example.com/",
        "javascript:alert(1)",
        "news.example.com/no-scheme",
        "http://user:secret@news.example.com/",
        "http://news.example.com@127.0.0.1/",
        "http://news.example.com\\@127.0.0.1/",
        "http://news.example.com/\r\nHost: 127.0.0.1",
        "http://0x08080808/",
    ],
)
def test_check_url_refuses(url: str) -> None:
    with pytest.raises(BlockedURLError) as info:
        check_url(url, resolver=fake_resolver)
    message = str(info.value)
    assert info.value.code == "blocked-url"
    assert message.startswith(url.replace("\r", "\\r").replace("\n", "\\n"))
    assert "\n" not in message and "public" in message


def test_check_url_message_names_the_resolved_address() -> None:
    with pytest.raises(BlockedURLError) as info:
        check_url("http://intranet.example.com/wiki", resolver=fake_resolver)
    assert "intranet.example.com resolves to 10.0.0.5, a private address" in str(info.value)


def test_check_url_decodes_numeric_hosts_in_the_message() -> None:
    with pytest.raises(BlockedURLError, match="0x7f000001 is 127.0.0.1, a loopback address"):
        check_url("http://0x7f000001/", resolver=fake_resolver)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://[::1]/", "http://0x7f000001/", "http://intranet.example.com/"],
)
def test_fetch_url_sends_no_request_to_a_refused_url(url: str) -> None:
    with pytest.raises(BlockedURLError):
        fetch_url(url, client=mock_client(never_called), resolver=fake_resolver)


# -- the built-in client: connect-time pinning (DNS rebinding) ----------------------------


def test_build_client_connects_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    connected: list[tuple[str, int]] = []

    def fake_connect(self: object, host: str, port: int, *args: object, **kwargs: object) -> None:
        connected.append((host, port))
        raise httpcore.ConnectError("no network in tests")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", fake_connect)
    with pytest.raises(FetchError, match="could not fetch"):
        fetch_url("https://news.example.com/a", resolver=fake_resolver)
    assert connected == [(PUBLIC_IP, 443)]


def test_build_client_refuses_a_host_that_rebinds_to_private(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])  # public for the check, loopback to connect

    def rebinding_resolver(host: str) -> list[str]:
        return next(answers)

    def fake_connect(self: object, *args: object, **kwargs: object) -> None:
        raise AssertionError("must not connect")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", fake_connect)
    with pytest.raises(BlockedURLError) as info:
        fetch_url("http://rebind.example.com/", resolver=rebinding_resolver)
    assert "127.0.0.1" in str(info.value)
    assert str(info.value).startswith("http://rebind.example.com/")


def test_build_client_ignores_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://10.0.0.1:3128")
    with build_client(resolver=fake_resolver) as client:
        assert client.trust_env is False
        assert not client._mounts  # no proxy transports mounted
