"""Fetch web pages without server-side request forgery (SSRF).

Anyone can hand the desk a URL, a feed or a feed entry's link, so every fetch must refuse to
reach the machine it runs on or the private network around it. :func:`fetch_url`:

- accepts only ``http``/``https`` URLs with no user name or password (``http://a@b/`` is how
  many SSRF filters are fooled) and no backslashes or control characters;
- refuses ``localhost`` and ``*.localhost`` by name, IP literals in any spelling
  (``127.1``, ``2130706433``, ``0x7f.1``, ``017700000001``, ``[::ffff:127.0.0.1]``), and any host
  for which *any* resolved address is not globally routable (loopback, private, link-local,
  multicast, reserved, unspecified, shared/CGNAT ``100.64.0.0/10``, IPv4-mapped IPv6, and
  NAT64/6to4 addresses that embed a non-public IPv4 address);
- follows redirects itself, re-checking every hop, at most ``max_redirects`` times, and reports
  a redirect loop as such;
- streams the body and stops at ``max_bytes`` (a ``Content-Length`` over the limit is refused
  before any of the body is read), and gives the whole fetch, redirects included, one deadline.

**DNS rebinding.** Checking a name and then letting the HTTP client resolve it again leaves a
window in which a hostile DNS server can answer with a public address for the check and
``127.0.0.1`` for the connection. The client made by :func:`build_client` closes that window:
its transport resolves the host itself, checks every address, and opens the TCP connection to
a checked address. The URL, the ``Host`` header and the TLS server name (SNI, and so
certificate verification) are left untouched because only the socket address changes. It
also ignores proxy environment variables (``HTTP_PROXY`` …): a proxy resolves names again
and would undo the check.

Residual risks, documented rather than hidden:

- A client passed in by the caller (``client=``) gets the checks before each hop but not
  the connect-time pinning, unless it came from :func:`build_client`.
- :func:`build_client` replaces the connection pool of :class:`httpx.HTTPTransport` (the
  private ``_pool`` attribute) with one that uses the checking network backend. httpx
  0.27-0.28 have this attribute. Construction fails loudly if it is missing, and
  ``tests/test_fetch.py`` checks that connections really go to the checked address.
- Name resolution (``socket.getaddrinfo``) has no timeout of its own. The deadline is
  checked again once it returns.
- A compressed body is counted after decompression. One network chunk can expand in
  memory (at most about 1000x for gzip) before the limit stops the read.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import httpcore
import httpx

from factdesk.errors import BlockedURLError, FetchError, TooLargeError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "USER_AGENT",
    "FetchedPage",
    "Resolver",
    "build_client",
    "check_url",
    "fetch_url",
]

Resolver = Callable[[str], list[str]]
"""Maps a host name to the IP addresses (as strings) it resolves to."""

#: The default body limit: 10 MiB.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def _package_version() -> str:
    try:
        return version("factdesk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


#: Sent with every request, so site owners can tell who is fetching and why.
USER_AGENT = f"factdesk/{_package_version()} (offline news-verification desk; python-httpx)"

_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5"
)
_SCHEMES = ("http", "https")
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# inet_aton() accepts 1-4 dot-separated parts, each decimal, octal (leading 0) or hex (0x).
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?", re.I)
_SHARED_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchedPage:
    """A successful (2xx) response body, read in full and under the size limit."""

    url: str
    """The URL asked for."""
    final_url: str
    """The URL the body came from, after redirects."""
    status: int
    content_type: str
    """The ``Content-Type`` header as sent, parameters included; ``""`` when missing."""
    body: bytes


def _system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    # Drop IPv6 zone ids ("fe80::1%eth0"); the address alone decides whether it is public.
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))


def _refusal(address: IPAddress) -> str | None:
    """Say why ``address`` is not a public destination, or None when it is one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"an IPv4-mapped IPv6 address (for {address.ipv4_mapped})"
        embedded = address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and _refusal(embedded) is not None:
            return f"a NAT64/6to4 address embedding {embedded}"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED_CGNAT:
        return "a shared (carrier-grade NAT) address"
    if address.is_private:
        return "a private address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "a non-global address"
    return None


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Decode the IPv4 spellings ``inet_aton`` accepts (``127.1``, ``0x7f000001``, ``0177.0.0.1``).

    Returns None when ``host`` is not numeric. Raises ValueError for a numeric host that is no
    valid address (``999.1.1.1``), which a resolver might otherwise send to DNS.
    """
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    parts = host.rstrip(".").split(".")
    numbers = []
    for part in parts:
        if part[:2].lower() == "0x":
            numbers.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part.startswith("0"):
            numbers.append(int(part, 8))  # ValueError on "08": not an address
        else:
            numbers.append(int(part))
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (4 - len(leading)):
        raise ValueError(host)
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _shown(url: str) -> str:
    """The URL for a one-line message: control characters escaped (``\\r\\n`` stays visible)."""
    return _CONTROL_CHARS.sub(lambda match: repr(match[0])[1:-1], url)


def _blocked(prefix: str, detail: str) -> BlockedURLError:
    return BlockedURLError(
        f"{prefix} refused: {detail}; factdesk fetches only public http(s) URLs (SSRF "
        "protection). Use a public URL, or save the page and add the file"
    )


def _public_addresses(host: str, resolver: Resolver, prefix: str) -> list[str]:
    """Return the addresses to connect to for ``host``, all of them checked to be public.

    ``host`` is the URL's host as httpx normalised it (IDNA-encoded, no brackets).
    ``prefix`` starts every error message (it names the URL and, for redirects, the hop).
    """
    bare = host.strip("[]")
    if bare.rstrip(".").lower() == "localhost" or bare.rstrip(".").lower().endswith(".localhost"):
        raise _blocked(prefix, f"{host} is the local machine")
    literal: IPAddress | None
    try:
        literal = ipaddress.ip_address(bare)
    except ValueError:
        try:
            literal = _numeric_ipv4(bare)
        except ValueError:
            raise _blocked(prefix, f"{host} is not a valid IP address") from None
        if literal is not None:
            why = _refusal(literal)
            if why is not None:
                raise _blocked(prefix, f"{host} is {literal}, {why}") from None
            raise _blocked(
                prefix, f"{host} is a non-standard spelling of {literal}; write it as {literal}"
            ) from None
    if literal is not None:
        why = _refusal(literal)
        if why is not None:
            raise _blocked(prefix, f"{literal} is {why}")
        return [str(literal)]
    try:
        resolved = resolver(host)
    except (OSError, UnicodeError) as exc:
        raise FetchError(
            f"{prefix} {host} does not resolve ({exc}); check the host name and your network "
            "connection"
        ) from exc
    if not resolved:
        raise FetchError(f"{prefix} {host} has no addresses; check the host name")
    checked = []
    for text in resolved:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            raise _blocked(prefix, f"{host} resolved to {text!r}, not an IP address") from None
        why = _refusal(address)
        if why is not None:
            raise _blocked(prefix, f"{host} resolves to {address}, {why}")
        checked.append(str(address))
    return checked


def _parse(url: str, prefix: str) -> httpx.URL:
    if _UNSAFE_CHARS.search(url.strip()):
        raise _blocked(prefix, "the URL contains spaces, control characters or backslashes")
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise _blocked(prefix, f"not a valid URL ({exc})") from exc
    if parsed.scheme not in _SCHEMES:
        scheme = parsed.scheme or "no scheme"
        raise _blocked(prefix, f"{scheme} is not http or https")
    if parsed.userinfo:
        raise _blocked(prefix, "URLs with a user name or password (user@host) are not fetched")
    if not parsed.raw_host:
        raise _blocked(prefix, "the URL has no host")
    return parsed


def _check(url: str, resolver: Resolver, prefix: str) -> tuple[httpx.URL, list[str]]:
    parsed = _parse(url, prefix)
    return parsed, _public_addresses(parsed.raw_host.decode("ascii"), resolver, prefix)


def check_url(url: str, *, resolver: Resolver | None = None) -> None:
    """Refuse a URL that is not http(s) or that leads to a non-public address.

    Args:
        url: The URL to check. Its host is resolved with ``resolver``.
        resolver: Host name to IP address strings; ``socket.getaddrinfo`` by default.

    Raises:
        BlockedURLError: The URL may not be fetched. The message names the URL, the address and why.
        FetchError: The host name does not resolve.
    """
    _check(url, resolver or _system_resolver, f"{_shown(url)}:")


class _CheckingBackend(httpcore.NetworkBackend):
    """Resolves and checks the host itself, then connects to a checked address (no rebinding)."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _public_addresses(host, self._resolver, f"connection to {host}:")
        error: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None  # addresses is never empty
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise _blocked(f"unix socket {path}:", "only TCP connections to public hosts are made")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _CheckingTransport(httpx.HTTPTransport):
    def __init__(self, resolver: Resolver) -> None:
        super().__init__(trust_env=False)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            # Fail loudly rather than fetch without the connect-time check.
            raise RuntimeError(
                "httpx.HTTPTransport has no _pool connection pool in this httpx version; "
                "factdesk.fetch cannot pin connections to checked addresses"
            )
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            network_backend=_CheckingBackend(resolver),
        )


def build_client(*, resolver: Resolver | None = None, timeout: float = 10.0) -> httpx.Client:
    """Make the HTTP client :func:`fetch_url` uses when it is given none.

    Its connections go only to addresses that were checked when the connection was made (see
    the module docstring on DNS rebinding). It does not follow redirects by itself and ignores
    proxy settings from the environment. Close it when done (or use it in a ``with`` block).
    """
    return httpx.Client(
        transport=_CheckingTransport(resolver or _system_resolver),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
    )


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n / (1024 * 1024):.1f} MiB"


def _timed_out(url: str, timeout: float) -> FetchError:
    return FetchError(
        f"{url}: timed out after {timeout:g} s; the server is slow or unreachable. Try again "
        "later or allow a longer timeout"
    )


def _read_body(
    response: httpx.Response, *, url: str, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(
            f"{url}: the response is {_size(int(declared))} (Content-Length), over the "
            f"{_size(max_bytes)} limit; raise max_bytes if the page really is that large"
        )
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise TooLargeError(
                f"{url}: the response is over the {_size(max_bytes)} limit (stopped reading); "
                "raise max_bytes if the page really is that large"
            )
        if time.monotonic() > deadline:
            raise _timed_out(url, timeout)
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_url(
    url: str,
    *,
    client: httpx.Client | None = None,
    timeout: float = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = 5,
    resolver: Resolver | None = None,
) -> FetchedPage:
    """Fetch one URL safely: public hosts only, redirects re-checked, body size-limited.

    Args:
        url: An ``http``/``https`` URL.
        client: The client to send requests with; by default one from :func:`build_client`,
            closed afterwards. A caller's client is used with ``follow_redirects=False`` and
            gets the checks before each hop (connect-time pinning only if it came from
            :func:`build_client`).
        timeout: Seconds for the whole fetch, redirects and body included.
        max_bytes: Largest body accepted (after content decoding).
        max_redirects: Redirects followed before giving up.
        resolver: Host name to IP address strings; ``socket.getaddrinfo`` by default.

    Raises:
        BlockedURLError: The URL or a redirect target is not http(s) or not public.
        FetchError: Timeout, connection failure, HTTP status 4xx/5xx, too many redirects or a
            redirect loop.
        TooLargeError: The body is over ``max_bytes``.
    """
    resolve = resolver or _system_resolver
    http = client if client is not None else build_client(resolver=resolve, timeout=timeout)
    try:
        return _fetch(
            http,
            url,
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            resolver=resolve,
        )
    finally:
        if client is None:
            http.close()


def _fetch(
    http: httpx.Client,
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    resolver: Resolver,
) -> FetchedPage:
    deadline = time.monotonic() + timeout
    asked = current = url.strip()
    shown = _shown(url)
    # Visits per URL. A second visit is allowed: some sites set a cookie and redirect back
    # to the same URL, and the client's cookie jar then gets the page. A third is a loop.
    visits: Counter[str] = Counter()
    for hop in range(max_redirects + 1):
        prefix = f"{shown}:" if hop == 0 else f"{shown}: redirect to {_shown(current)}:"
        parsed, _addresses = _check(current, resolver, prefix)
        visits[str(parsed)] += 1
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(shown, timeout)
        try:
            with http.stream(
                "GET",
                parsed,
                headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
                timeout=httpx.Timeout(remaining),
                follow_redirects=False,
            ) as response:
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_STATUSES and location:
                    target = str(response.url.join(location.strip()))
                    hops = f"{_shown(current)} -> {_shown(target)}"
                    if visits[target] >= 2:
                        raise FetchError(
                            f"{shown}: redirect loop ({hops}); the site is misconfigured, try "
                            "the final article URL directly"
                        )
                    if hop == max_redirects:
                        raise FetchError(
                            f"{shown}: more than {max_redirects} redirects (last {hops}); use "
                            "the final article URL or allow more redirects"
                        )
                    current = target
                    continue
                if response.status_code >= 400:
                    where = "" if current == asked else f" (from {_shown(current)})"
                    raise FetchError(
                        f"{shown}: HTTP {response.status_code} {response.reason_phrase}{where}; "
                        "check the URL, or save the page from a browser and add the file"
                    )
                if not 200 <= response.status_code < 300:
                    raise FetchError(
                        f"{shown}: unexpected HTTP status {response.status_code}; "
                        "save the page from a browser and add the file"
                    )
                body = _read_body(
                    response, url=shown, max_bytes=max_bytes, deadline=deadline, timeout=timeout
                )
                return FetchedPage(
                    url=asked,
                    final_url=str(response.url),
                    status=response.status_code,
                    content_type=response.headers.get("content-type", ""),
                    body=body,
                )
        except BlockedURLError as exc:
            # Only the checking transport raises this inside the request: the host resolved to
            # a non-public address at connect time although it passed the check above.
            raise BlockedURLError(f"{shown}: {exc}") from exc
        except httpx.TimeoutException as exc:
            raise _timed_out(shown, timeout) from exc
        except httpx.HTTPError as exc:
            detail = " ".join(str(exc).split()) or type(exc).__name__
            raise FetchError(
                f"{shown}: could not fetch ({detail}); check the URL and your network connection"
            ) from exc
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover
