"""A TCP proxy on the loopback interface that a test switches between faults.

The runtime tier points DATABASE_URL or REDIS_URL at a FaultProxy in front of
the local PostgreSQL or Redis, and changes its mode while the app serves:

- ``forward``: every byte goes through, both ways.
- ``refuse``: the listener is closed (new connections are refused) and every
  open connection is reset: a server that crashed, or a closed port.
- ``hang``: connections stay open and nothing is answered, new ones are
  accepted and never answered: a hung server. Back in ``forward``, the
  connections that saw the hang are closed, as if the server was restarted.
- ``drop``: a black hole, as when a firewall or a partition drops packets: no
  byte moves on open connections, and new ones are accepted and ignored.
  Back in ``forward``, open connections carry on with the bytes that waited,
  and the connections made during the outage reach the server.

A user-space proxy cannot lose packets: the peer's kernel still sees its data
acknowledged, so TCP keepalives and ``tcp_user_timeout`` never fire through
it. What it shows is how the application bounds its own waits.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

MODES = ("forward", "refuse", "hang", "drop")
CHUNK = 65536


@dataclass(eq=False)
class Link:
    """One client connection and, once it is forwarded, its upstream one."""

    client: asyncio.StreamWriter
    # Closed when the proxy next forwards: the connection saw a hung server.
    doomed: bool
    upstream: asyncio.StreamWriter | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def reset(self) -> None:
        """Close both sides at once, with a reset rather than an orderly close."""
        for writer in (self.client, self.upstream):
            if writer is None:
                continue
            sock = writer.get_extra_info("socket")
            with suppress(OSError):
                sock.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            writer.transport.abort()


class FaultProxy:
    """Listens on 127.0.0.1 (a free port, ``port``) and relays to ``upstream``."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode = "forward"
        self.port = 0
        self._links: set[Link] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._flowing: asyncio.Event | None = None

    # The test's side: these block until the proxy has done what they ask.

    def start(self) -> None:
        self._thread.start()
        self._call(self._start())

    def set(self, mode: str) -> None:
        """Switch to ``mode``; on return, it applies to every connection."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: one of {MODES}")
        self._call(self._set(mode))

    def stop(self) -> None:
        self._call(self._set("refuse"))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def _call(self, coroutine: Coroutine[None, None, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    # The event loop's side.

    async def _start(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        await self._listen()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _set(self, mode: str) -> None:
        assert self._flowing is not None
        previous, self.mode = self.mode, mode
        if mode == "forward":
            for link in list(self._links):
                if link.doomed:
                    self._end(link)
            if previous == "refuse":
                await self._listen()
            self._flowing.set()
            return
        self._flowing.clear()
        if mode == "hang":
            for link in self._links:
                link.doomed = True
        if mode == "refuse":
            if self._server is not None:
                self._server.close()
                self._server = None
            for link in list(self._links):
                self._end(link)

    def _end(self, link: Link) -> None:
        link.reset()
        if link.task is not None:
            link.task.cancel()
        self._links.discard(link)

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        assert self._flowing is not None
        link = Link(writer, doomed=self.mode == "hang")
        link.task = asyncio.current_task()
        self._links.add(link)
        try:
            await self._flowing.wait()
            if link.doomed:
                return
            up_reader, link.upstream = await asyncio.open_connection(*self.upstream)
            pumps = [
                asyncio.ensure_future(self._pump(reader, link.upstream, link)),
                asyncio.ensure_future(self._pump(up_reader, writer, link)),
            ]
            try:
                await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for pump in pumps:
                    pump.cancel()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            self._links.discard(link)
            for side in (writer, link.upstream):
                if side is not None:
                    side.close()

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: Link
    ) -> None:
        """Relay one direction; outside ``forward``, hold the bytes read."""
        assert self._flowing is not None
        while True:
            await self._flowing.wait()
            if link.doomed:
                return
            data = await reader.read(CHUNK)
            if not data:
                return
            await self._flowing.wait()
            if link.doomed:
                return
            writer.write(data)
            await writer.drain()


@contextmanager
def fault_proxy(upstream_port: int) -> Iterator[FaultProxy]:
    """A started FaultProxy in ``forward`` mode, stopped on exit."""
    proxy = FaultProxy(upstream_port)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
