"""The stand-in's side of Socket Mode: `apps.connections.open` hands out a WebSocket URL on
loopback; the socket sends envelopes (slash commands, events, interactivity) and checks that
each one is acknowledged, as Slack does.

The WebSocket itself is the small server half of RFC 6455 on the standard library (the
handshake, unmasking the client's frames, ping/pong, close): the client on the other end is
slack_sdk's own Socket Mode client, so the app runs exactly as it would against Slack.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socketserver
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA
# Slack counts an envelope as failed when its ack has not come in this many seconds.
ACK_DEADLINE = 3.0


@dataclass
class Envelope:
    """One envelope sent down a socket, and its ack once the app sent it."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    sent_at: float
    ack: dict[str, Any] | None = None
    acked_at: float | None = None

    @property
    def ack_seconds(self) -> float | None:
        return None if self.acked_at is None else self.acked_at - self.sent_at


@dataclass
class _Connection:
    request: Any
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    open: bool = True

    def send(self, opcode: int, data: bytes) -> None:
        """One unmasked frame, as a server sends."""
        length = len(data)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, length)
        elif length < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
        with self.send_lock:
            self.request.sendall(header + data)


class SocketModeSide:
    """WebSocket connections for Socket Mode, on loopback, started on the first
    `apps.connections.open`."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._host = host
        self._cond = threading.Condition()
        self._server: socketserver.ThreadingTCPServer | None = None
        self._tickets: set[str] = set()
        self._connections: list[_Connection] = []
        self._opened = itertools.count(1)
        self.envelopes: list[Envelope] = []
        self.refused_handshakes = 0

    # --- apps.connections.open ------------------------------------------------------
    def open(self, headers: dict[str, str]) -> dict[str, Any]:
        """The answer to `apps.connections.open`: only an app-level token (`xapp-`) may."""
        if not headers.get("authorization", "").startswith("Bearer xapp-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        with self._cond:
            if self._server is None:
                self._server = _Server((self._host, 0), _handler_for(self))
                threading.Thread(target=self._server.serve_forever, daemon=True).start()
            ticket = uuid.uuid4().hex
            self._tickets.add(ticket)
            port = self._server.server_address[1]
        return {
            "ok": True,
            "url": f"ws://{self._host}:{port}/link/?ticket={ticket}&app_id=A0RAGFT",
        }

    def stop(self) -> None:
        with self._cond:
            server, self._server = self._server, None
            for conn in self._connections:
                conn.open = False
                with contextlib.suppress(OSError):
                    conn.request.close()
        if server is not None:
            server.shutdown()
            server.server_close()

    # --- sending --------------------------------------------------------------------
    def connected(self) -> int:
        """How many sockets are open now."""
        with self._cond:
            return sum(1 for c in self._connections if c.open)

    def wait_connected(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not any(c.open for c in self._connections):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no Socket Mode connection in {timeout}s")
                self._cond.wait(min(remaining, 0.2))

    def send(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        timeout: float = ACK_DEADLINE,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> Envelope:
        """Send one envelope (`slash_commands`, `events_api` or `interactive`) down the newest
        open socket and wait up to `timeout` for its ack; the envelope says whether it came."""
        self.wait_connected(timeout=max(timeout, 10.0))
        envelope = Envelope(uuid.uuid4().hex, kind, payload, time.monotonic())
        body: dict[str, Any] = {
            "envelope_id": envelope.envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            body.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        with self._cond:
            conn = next(c for c in reversed(self._connections) if c.open)
            self.envelopes.append(envelope)
        conn.send(TEXT, json.dumps(body).encode())
        deadline = envelope.sent_at + timeout
        with self._cond:
            while envelope.acked_at is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.2))
        return envelope

    def unacked(self) -> list[Envelope]:
        """Envelopes whose ack never came, or came after Slack's deadline."""
        with self._cond:
            return [
                e for e in self.envelopes if e.ack_seconds is None or e.ack_seconds > ACK_DEADLINE
            ]

    def disconnect_all(self) -> None:
        """Close every socket, as Slack does when it refreshes connections."""
        with self._cond:
            for conn in self._connections:
                if conn.open:
                    conn.open = False
                    with contextlib.suppress(OSError):
                        conn.send(CLOSE, struct.pack("!H", 1001))

    # --- the socket's side ------------------------------------------------------------
    def _accept(self, ticket: str, request: Any) -> _Connection | None:
        with self._cond:
            if ticket not in self._tickets:
                self.refused_handshakes += 1
                return None
            self._tickets.discard(ticket)  # a ticket opens one socket
            conn = _Connection(request)
            self._connections.append(conn)
            self._cond.notify_all()
            return conn

    def _closed(self, conn: _Connection) -> None:
        with self._cond:
            conn.open = False
            self._cond.notify_all()

    def _acked(self, text: str) -> None:
        try:
            ack = json.loads(text)
        except ValueError:
            return
        with self._cond:
            for envelope in self.envelopes:
                if envelope.envelope_id == ack.get("envelope_id") and envelope.acked_at is None:
                    envelope.ack, envelope.acked_at = ack, time.monotonic()
                    self._cond.notify_all()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _read_exact(sock: Any, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("socket closed")
        data += chunk
    return data


def _read_frame(sock: Any) -> tuple[int, bytes]:
    first, second = _read_exact(sock, 2)
    opcode, length = first & 0x0F, second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exact(sock, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exact(sock, 8))
    mask = _read_exact(sock, 4) if second & 0x80 else b""
    data = _read_exact(sock, length)
    if mask:
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return opcode, data


def _handler_for(side: SocketModeSide) -> type[socketserver.BaseRequestHandler]:
    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = self.request.recv(1024)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")
            target = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else ""
            headers = {
                k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
            }
            ticket = target.partition("ticket=")[2].partition("&")[0]
            key = headers.get("sec-websocket-key", "")
            conn = side._accept(ticket, self.request) if key else None
            if conn is None:
                self.request.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
                return
            accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
            self.request.sendall(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n".encode()
            )
            hello = {"type": "hello", "num_connections": side.connected(), "debug_info": {}}
            conn.send(TEXT, json.dumps(hello).encode())
            try:
                while conn.open:
                    opcode, data = _read_frame(self.request)
                    if opcode == PING:
                        conn.send(PONG, data)
                    elif opcode == TEXT:
                        side._acked(data.decode("utf-8", "replace"))
                    elif opcode == CLOSE:
                        conn.send(CLOSE, data[:2])
                        break
            except (ConnectionError, OSError, ValueError):
                pass
            finally:
                side._closed(conn)

    return Handler
