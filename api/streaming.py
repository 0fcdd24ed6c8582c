"""Stream what a writer function writes (Oxigraph's dump, a serialiser) as an HTTP body, in chunks.

Oxigraph writes into a file-like object in one blocking call. It runs in a thread of its own writing
into a bounded queue (so memory stays a few chunks however big the store), and the response reads
the queue from the event loop. If the client goes away, the writer's next `write` fails and the dump
stops.
"""

from __future__ import annotations

import io
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable
from typing import IO

from fastapi.concurrency import run_in_threadpool

log = logging.getLogger(__name__)

CHUNK = 256 * 1024
_DONE = object()


class _QueueWriter(io.RawIOBase):
    """A writable raw stream that hands each chunk to a bounded queue (blocking when it is full)."""

    def __init__(self, chunks: queue.Queue, cancelled: threading.Event) -> None:
        self._chunks = chunks
        self._cancelled = cancelled

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        chunk = bytes(data)
        while True:
            if self._cancelled.is_set():
                raise BrokenPipeError("the client stopped reading")
            try:
                self._chunks.put(chunk, timeout=0.5)
                return len(chunk)
            except queue.Full:
                continue


def _produce(write: Callable[[IO[bytes]], None], chunks: queue.Queue, cancelled: threading.Event) -> None:
    out = io.BufferedWriter(_QueueWriter(chunks, cancelled), CHUNK)
    try:
        write(out)
        out.flush()
        chunks.put(_DONE)
    except BrokenPipeError:
        log.info("stream abandoned by the client")
    except Exception as err:  # noqa: BLE001 - a thread boundary: the error goes to the response
        chunks.put(err)


async def stream(write: Callable[[IO[bytes]], None]) -> AsyncIterator[bytes]:
    """The chunks `write(out)` writes into `out`, as they come."""
    chunks: queue.Queue = queue.Queue(maxsize=8)
    cancelled = threading.Event()
    threading.Thread(target=_produce, args=(write, chunks, cancelled), daemon=True).start()
    try:
        while (item := await run_in_threadpool(chunks.get)) is not _DONE:
            if isinstance(item, Exception):
                log.error("stream failed midway: %s", item)
                raise item
            yield item
    finally:
        cancelled.set()
