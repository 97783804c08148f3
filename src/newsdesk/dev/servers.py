"""Throwaway PostgreSQL and Redis servers, for the test suite and CI.

Each server lives in its own temporary directory, listens on 127.0.0.1 on a free
port, keeps nothing on disk worth keeping, and is stopped and deleted after use.

    python -m newsdesk.dev.servers up DIR     # start both; write DIR/env
    python -m newsdesk.dev.servers down DIR   # stop both
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class ServerMissing(RuntimeError):
    """The server's program is not installed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"Nothing listens on port {port} after {timeout} s")


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, trusting local connections."""

    user = "newsdesk"
    database = "newsdesk"

    def __init__(self, data: Path | None = None, port: int | None = None) -> None:
        # Its own directory straight under /tmp: when running as root, the
        # server runs as the postgres user, who can't enter a private tmp_path.
        self.data = Path(data or tempfile.mkdtemp(prefix="newsdesk-pg-")) / "pg"
        self.port = port or free_port()
        self.bin = self._find_bin()

    @staticmethod
    def _find_bin() -> Path:
        found = sorted(
            glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
            key=lambda path: int(Path(path).parts[-3]),
        )
        if found:
            return Path(found[-1]).parent
        if shutil.which("pg_ctl"):
            return Path(shutil.which("pg_ctl")).parent
        raise ServerMissing(
            "PostgreSQL is not installed (apt-get install postgresql); "
            "scripts/install --test installs it."
        )

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root.
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{args[0]} failed: {result.stderr or result.stdout}")

    @property
    def url(self) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def start(self) -> PostgresServer:
        if not self.data.exists():
            self.data.mkdir(parents=True)
            if os.geteuid() == 0:
                os.chmod(self.data.parent, 0o755)
                shutil.chown(self.data, "postgres", "postgres")
            self._run(
                "initdb", "-D", str(self.data), "-U", self.user, "-A", "trust",
                "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8",
            )  # fmt: skip
            fresh = True
        else:
            fresh = False
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip
        if fresh:
            self._run(
                "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user,
                self.database,
            )  # fmt: skip
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the server and delete its data."""
        self.stop()
        shutil.rmtree(self.data.parent, ignore_errors=True)


class RedisServer:
    """A Redis server that keeps everything in memory."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = Path(directory)
        self.port = port or free_port()
        self.program = shutil.which("redis-server")
        if self.program is None:
            raise ServerMissing(
                "Redis is not installed (apt-get install redis-server); "
                "scripts/install --test installs it."
            )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pidfile(self) -> Path:
        return self.directory / "redis.pid"

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                self.program, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "yes",
                "--dir", str(self.directory), "--pidfile", str(self.pidfile),
                "--logfile", str(self.directory / "redis.log"),
            ],
            check=True,
        )  # fmt: skip
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if not self.pidfile.exists():
            return
        pid = int(self.pidfile.read_text().strip() or 0)
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("up", "down"):
        print(__doc__, file=sys.stderr)
        return 2
    directory = Path(argv[2]).resolve()
    state = directory / "ports"
    if argv[1] == "up":
        postgres = PostgresServer().start()
        try:
            redis = RedisServer(directory / "redis").start()
        except Exception:
            postgres.remove()
            raise
        state.write_text(f"{postgres.port} {redis.port} {postgres.data.parent}\n")
        (directory / "env").write_text(
            f"export DATABASE_URL={postgres.url}\nexport REDIS_URL={redis.url}\n"
        )
        print(f"PostgreSQL at {postgres.url}\nRedis at {redis.url}")
    else:
        if not state.exists():
            return 0
        pg_port, redis_port, pg_data = state.read_text().split()
        RedisServer(directory / "redis", int(redis_port)).stop()
        PostgresServer(Path(pg_data), int(pg_port)).remove()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
