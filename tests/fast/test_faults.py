"""Fast tier: the runtime tier's fault proxy does what each of its modes says."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from harness.faults import FaultProxy, fault_proxy

# How long a test listens before it calls a connection silent.
SILENCE = 0.3


class Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(4096):
            self.request.sendall(data)


class EchoServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    """A proxy in front of an echo server."""
    server = EchoServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with fault_proxy(server.server_address[1]) as proxy:
            yield proxy
    finally:
        server.shutdown()
        server.server_close()


def connect(proxy: FaultProxy) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=2)
    sock.settimeout(SILENCE)
    return sock


def echoes(sock: socket.socket, data: bytes = b"ping") -> bool:
    """Whether ``data`` comes back; False when the connection stays silent."""
    sock.sendall(data)
    try:
        return sock.recv(4096) == data
    except TimeoutError:
        return False


def serves(proxy: FaultProxy) -> bool:
    """Whether a new connection through the proxy echoes."""
    with connect(proxy) as sock:
        return echoes(sock)


@contextmanager
def open_then(proxy: FaultProxy, mode: str) -> Iterator[socket.socket]:
    """A connection that has echoed, with the proxy then switched to ``mode``."""
    with connect(proxy) as sock:
        assert echoes(sock)
        proxy.set(mode)
        yield sock


def is_closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(4096) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_forward_relays_both_ways(proxy: FaultProxy) -> None:
    with connect(proxy) as sock:
        assert echoes(sock)
        # More than one read's worth, in both directions.
        data = bytes(range(256)) * 1000
        sock.settimeout(2)
        sock.sendall(data)
        received = b""
        while len(received) < len(data):
            received += sock.recv(65536)
        assert received == data


def test_refuse_resets_open_connections_and_refuses_new_ones(
    proxy: FaultProxy,
) -> None:
    with open_then(proxy, "refuse") as sock:
        assert is_closed(sock)
    with pytest.raises(ConnectionRefusedError):
        connect(proxy)
    proxy.set("forward")
    assert serves(proxy)


def test_hang_accepts_and_never_answers(proxy: FaultProxy) -> None:
    with open_then(proxy, "hang") as old:
        assert not echoes(old)
        with connect(proxy) as new:
            assert not echoes(new)
            # A hung server that comes back has lost those sessions.
            proxy.set("forward")
            assert is_closed(old)
            assert is_closed(new)
    assert serves(proxy)


def test_drop_is_silent_and_delivers_what_waited_once_forwarding(
    proxy: FaultProxy,
) -> None:
    with open_then(proxy, "drop") as old:
        assert not echoes(old, b"during")
        with connect(proxy) as new:
            assert not echoes(new, b"new")
            proxy.set("forward")
            # The partition heals: nothing was lost, both connections carry on.
            old.settimeout(2)
            new.settimeout(2)
            assert old.recv(4096) == b"during"
            assert new.recv(4096) == b"new"
            assert echoes(old)
            assert echoes(new)


def test_unknown_modes_are_rejected(proxy: FaultProxy) -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        proxy.set("flaky")
