"""TLS against a real server: a loopback TLS proxy (certificate from a trustme test CA) in front of
the session's Prefect server, reached over https by both clients.

Cases: default verification refuses the unknown CA with an error naming the fix, once (retrying
cannot help); ``PREFECT_API_SSL_CERT_FILE`` and, when it is unset, ``SSL_CERT_FILE`` name the CA
bundle; ``PREFECT_API_SSL_CERT_FILE`` wins over ``SSL_CERT_FILE``;
``PREFECT_API_TLS_INSECURE_SKIP_VERIFY=true`` accepts any certificate.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import certifi
import pytest
import trustme

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import APIConnectionError
from prefect_sdk.sync import SyncPrefectClient
from tests._support import flavour_fixtures

pytestmark = pytest.mark.anyio

flavour, anyio_backend, kind = flavour_fixtures()


class TlsProxy:
    """A TLS-terminating TCP proxy on loopback: each connection's TLS handshake is made with
    ``server_context``, then its bytes are piped to and from ``upstream`` (host, port) in plain.

    It counts TCP connections accepted, handshakes completed and handshakes refused, so a test
    can tell how often a client tried.
    """

    def __init__(self, server_context: ssl.SSLContext, upstream: tuple[str, int]) -> None:
        self._context = server_context
        self._upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.connections = 0
        self.handshakes = 0
        self.refused = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, name="tls-proxy", daemon=True)

    def __enter__(self) -> TlsProxy:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._acceptor.join(5)
        self._listener.close()
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            _close(sock)
        for thread in list(self._threads):
            thread.join(5)

    def counts(self) -> tuple[int, int, int]:
        """``(connections, handshakes, refused)``, once every accepted connection has finished
        its handshake one way or the other (the handshake runs in the proxy's own thread)."""
        deadline = time.monotonic() + 5
        while True:
            with self._lock:
                counts = (self.connections, self.handshakes, self.refused)
            if counts[0] == counts[1] + counts[2] or time.monotonic() > deadline:
                return counts
            time.sleep(0.01)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            tls = self._context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            with self._lock:
                self.refused += 1
            conn.close()
            return
        with self._lock:
            self.handshakes += 1
        tls.settimeout(None)
        try:
            upstream = socket.create_connection(self._upstream, timeout=10)
        except OSError:
            tls.close()
            return
        upstream.settimeout(None)
        with self._lock:
            self._open.update((tls, upstream))
        back = threading.Thread(target=self._pump, args=(upstream, tls), daemon=True)
        back.start()
        self._pump(tls, upstream)
        back.join(10)
        with self._lock:
            self._open.difference_update((tls, upstream))

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            # Either side closing ends the connection (HTTP/1.1 needs no half-close here).
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError, ValueError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


@pytest.fixture(scope="module")
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(test_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test CA's certificate (PEM): the bundle a user would point the settings at."""
    path = tmp_path_factory.mktemp("tls") / "test-ca.pem"
    test_ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="module")
def tls_proxy(test_ca: trustme.CA, api_url: str) -> Iterator[TlsProxy]:
    upstream = urlsplit(api_url)
    assert upstream.hostname is not None and upstream.port is not None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    test_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with TlsProxy(context, (upstream.hostname, upstream.port)) as proxy:
        yield proxy


@pytest.fixture
def tls_url(tls_proxy: TlsProxy, api_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The session's server over https (through the proxy); no CA setting of the developer's
    machine (``SSL_CERT_FILE``) reaches the client unless a test sets one."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    return f"https://127.0.0.1:{tls_proxy.port}{urlsplit(api_url).path}"


async def call(kind: str, url: str, op: str, **kwargs: Any) -> Any:
    if kind == "sync":
        with SyncPrefectClient(api=url) as sync_client:
            return getattr(sync_client, op)(**kwargs)
    async with PrefectClient(api=url) as client:
        return await getattr(client, op)(**kwargs)


async def assert_works_over_tls(kind: str, url: str, proxy: TlsProxy) -> None:
    """Two real operations over https succeed, and they went through a TLS handshake."""
    before = proxy.counts()
    assert await call(kind, url, "api_healthcheck") is None
    flows = await call(kind, url, "read_flows", limit=1)
    assert isinstance(flows, list)
    after = proxy.counts()
    assert after[1] > before[1], "no TLS handshake was made"
    assert after[2] == before[2], "a handshake was refused"


async def test_an_unknown_ca_is_refused_with_an_error_naming_the_fix(
    kind: str, tls_url: str, tls_proxy: TlsProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    before = tls_proxy.counts()
    with pytest.raises(APIConnectionError) as info:
        await call(kind, tls_url, "read_flows")
    message = str(info.value)
    assert "CERTIFICATE_VERIFY_FAILED" in message or "certificate" in message.lower(), message
    # Said plainly: which settings trust the server's CA, or skip verification.
    assert "PREFECT_API_SSL_CERT_FILE" in message, message
    assert "PREFECT_API_TLS_INSECURE_SKIP_VERIFY" in message, message
    after = tls_proxy.counts()
    assert after[1] == before[1], "the client completed a handshake with an unknown CA"
    assert after[2] > before[2]


async def test_a_refused_certificate_is_not_retried(
    kind: str, tls_url: str, tls_proxy: TlsProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A certificate the client does not trust will not become trusted by trying again.
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "2")
    before = tls_proxy.counts()
    with pytest.raises(APIConnectionError):
        await call(kind, tls_url, "read_flows")
    after = tls_proxy.counts()
    assert after[0] - before[0] == 1, f"{after[0] - before[0]} connections for one refusal"


async def test_prefect_api_ssl_cert_file_trusts_the_ca(
    kind: str, tls_url: str, tls_proxy: TlsProxy, ca_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_SSL_CERT_FILE", ca_file)
    await assert_works_over_tls(kind, tls_url, tls_proxy)


async def test_ssl_cert_file_alone_trusts_the_ca(
    kind: str, tls_url: str, tls_proxy: TlsProxy, ca_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    await assert_works_over_tls(kind, tls_url, tls_proxy)


async def test_prefect_api_ssl_cert_file_wins_over_ssl_cert_file(
    kind: str, tls_url: str, tls_proxy: TlsProxy, ca_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    monkeypatch.setenv("PREFECT_API_SSL_CERT_FILE", certifi.where())  # lacks the test CA
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    with pytest.raises(APIConnectionError):
        await call(kind, tls_url, "read_flows")


async def test_a_profile_ssl_cert_file_wins_over_ssl_cert_file(
    kind: str,
    tls_url: str,
    tls_proxy: TlsProxy,
    ca_file: str,
    isolated_prefect_env: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (isolated_prefect_env / "profiles.toml").write_text(
        f'active = "tls"\n[profiles.tls]\nPREFECT_API_SSL_CERT_FILE = "{ca_file}"\n'
    )
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())  # lacks the test CA
    await assert_works_over_tls(kind, tls_url, tls_proxy)


async def test_skip_verify_accepts_the_unknown_ca(
    kind: str, tls_url: str, tls_proxy: TlsProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "true")
    await assert_works_over_tls(kind, tls_url, tls_proxy)
