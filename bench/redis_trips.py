"""A counting proxy in front of Redis: how many round trips the app makes, by command.

A round trip is what a client sends before it waits for the answer: one command, one
pipeline or one MULTI/EXEC block. The proxy forwards bytes unchanged between the app and
the real server and counts, per connection, each time the client starts sending again
after the server has answered. Each trip is named by its commands, in order and each once (a
transaction as `MULTI ...`; a script by its file, e.g. `EVALSHA commit`).

    with RedisTripCounter(backend_unix_socket) as proxy:
        ... point the app at proxy.url ...
        proxy.counts()   # Counter of trip names
"""

from __future__ import annotations

import collections
import hashlib
import selectors
import socket
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SWEEPER_LOOK = "ZRANGEBYSCORE"  # the sweeper's look for deliveries owed (time-driven)


def script_names() -> dict[str, str]:
    """sha1 of every Lua script shipped beside the storage modules -> its file name."""
    names: dict[str, str] = {}
    for path in (ROOT / "conversations").rglob("*.lua"):
        names[hashlib.sha1(path.read_bytes()).hexdigest()] = path.stem
    from conversations.storage import interviews, owed, triggers  # their inline scripts

    inline = {
        "claim owed": interviews.CLAIM_OWED_LUA,
        "claim once": triggers.CLAIM_ONCE_LUA,
        "owed take": owed.TAKE_LUA,
        "claim start": owed.CLAIM_START_LUA,
    }
    for name, script in inline.items():
        names[hashlib.sha1(script.encode()).hexdigest()] = name
    return names


def _commands(data: bytes, limit: int = 8) -> list[list[str]]:
    """The first few commands in `data` (RESP arrays of bulk strings), each as its first
    three words, as far as `data` holds them."""
    commands: list[list[str]] = []
    lines = data.split(b"\r\n")
    i = 0
    while i < len(lines) and len(commands) < limit:
        if not lines[i].startswith(b"*"):
            break
        words: list[str] = []
        i += 1
        while i + 1 < len(lines) and lines[i].startswith(b"$"):
            if len(words) < 3:
                words.append(lines[i + 1].decode("latin-1"))
            i += 2
        commands.append(words)
    return commands


class RedisTripCounter:
    """A TCP proxy on loopback to a Redis server on a unix socket, counting round trips."""

    def __init__(self, backend_socket: str) -> None:
        self.backend = backend_socket
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(512)
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._counts: collections.Counter[str] = collections.Counter()
        self._scripts = script_names()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> RedisTripCounter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.listener.close()

    def counts(self) -> collections.Counter[str]:
        with self._lock:
            return collections.Counter(self._counts)

    def reset(self) -> collections.Counter[str]:
        """The counts so far, and start again from zero."""
        with self._lock:
            counts, self._counts = self._counts, collections.Counter()
        return counts

    def _name(self, data: bytes) -> str:
        """A trip's name: its commands in order (a script by its file), repeats once; a single
        command also names its key's kind."""
        commands = [w for w in _commands(data) if w and w[0].upper() not in {"MULTI", "EXEC"}]
        names: list[str] = []
        for words in commands:
            name = words[0].upper()
            if name == "EVALSHA" and len(words) > 1:
                name = f"EVALSHA {self._scripts.get(words[1], words[1][:8])}"
            if name not in names:
                names.append(name)
        transaction = data.startswith(b"*1\r\n$5\r\nMULTI")
        name = ("MULTI " if transaction else "") + ("+".join(names) or "?")
        first = commands[0] if commands else []
        if len(names) == 1 and len(first) > 1 and first[1].startswith("ragft:"):
            # one command on one key: say which kind of key (`SET trigger`, `SET alive`)
            name += " " + first[1].partition("}:")[2].split(":")[0]
        return name

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ, None)
        peers: dict[socket.socket, tuple[socket.socket, bool]] = {}
        # per client socket: True while the client is sending (a trip is open)
        sending: dict[socket.socket, bool] = {}
        opened: dict[socket.socket, str] = {}  # per client socket: the open trip's name
        while not self._stop.is_set():
            try:
                events = selector.select(timeout=0.2)
            except OSError:
                return
            for key, _ in events:
                sock = key.fileobj
                if sock is self.listener:
                    try:
                        client, _addr = self.listener.accept()
                    except OSError:
                        return
                    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    server.connect(self.backend)
                    peers[client] = (server, True)
                    peers[server] = (client, False)
                    sending[client] = False
                    selector.register(client, selectors.EVENT_READ, None)
                    selector.register(server, selectors.EVENT_READ, None)
                    continue
                assert isinstance(sock, socket.socket)
                other, from_client = peers[sock]
                try:
                    data = sock.recv(1 << 16)
                except OSError:
                    data = b""
                if not data:
                    for s in (sock, other):
                        selector.unregister(s)
                        s.close()
                        peers.pop(s, None)
                        sending.pop(s, None)
                        opened.pop(s, None)
                    continue
                if from_client:
                    if not sending[sock]:
                        sending[sock] = True
                        name = self._name(data)
                        opened[sock] = name
                        with self._lock:
                            self._counts[name] += 1
                else:
                    sending[other] = False
                other.sendall(data)
