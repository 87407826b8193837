"""The terminal's side of the playground: typed lines read on a thread of their own."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TextIO

__all__ = ["StdinLines"]


class StdinLines:
    """Lines of a stream, read on a daemon thread so that `stop()` (called from a signal
    handler: Ctrl-C, a closed terminal, SIGTERM) ends the wait at once, without raising
    into whatever the main thread is doing. EOF or a read error (EIO: the terminal is
    gone) ends the lines too."""

    def __init__(self, stream: TextIO) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._stopped = threading.Event()
        threading.Thread(
            target=self._read, args=(stream,), daemon=True, name="playground-stdin"
        ).start()

    def _read(self, stream: TextIO) -> None:
        try:
            for line in stream:
                self._queue.put(line)
        except (OSError, ValueError):
            pass
        self._queue.put(None)

    def stop(self, *_: object) -> None:
        self._stopped.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def __iter__(self) -> Iterator[str]:
        while not self._stopped.is_set():
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                return
            yield line
