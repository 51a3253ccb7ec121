"""A real, throwaway PostgreSQL cluster for the test run: initdb + pg_ctl on 127.0.0.1 and a
free port. As root the server runs as the `postgres` user, as PostgreSQL requires."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def find_pg_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise PostgresUnavailable(
            f"{name} not found: `make test` installs the Debian package 'postgresql'"
        )
    return candidates[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresCluster:
    base_dir: Path
    port: int
    run_as: str | None

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            log = self.base_dir / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise PostgresUnavailable(
                f"{' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}\n{tail}"
            )

    @classmethod
    def start(cls) -> PostgresCluster:
        run_as = "postgres" if os.geteuid() == 0 else None
        base = Path(tempfile.mkdtemp(prefix="bwv-review-pg-"))
        if run_as:
            try:
                account = pwd.getpwnam(run_as)
            except KeyError as exc:
                raise PostgresUnavailable("no 'postgres' user to run the server as") from exc
            base.chmod(0o755)
            os.chown(base, account.pw_uid, account.pw_gid)
        cluster = cls(base, free_port(), run_as)
        cluster._run(
            find_pg_binary("initdb"),
            "-D", str(cluster.data_dir),
            "-A", "trust",
            "-U", "postgres",
            "-E", "UTF8",
            "--locale=C",
            "--no-sync",
        )  # fmt: skip
        cluster.resume()
        return cluster

    def resume(self) -> None:
        """Start the server on its data directory (again, after `pause`)."""
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.base_dir} -c fsync=off -c max_connections=60"
        )
        self._run(
            find_pg_binary("pg_ctl"),
            "-D", str(self.data_dir),
            "-l", str(self.base_dir / "server.log"),
            "-w", "-t", "60",
            "-o", options,
            "start",
        )  # fmt: skip

    def pause(self) -> None:
        """Stop the server as an outage would (clients cut off), keeping its data."""
        self._run(find_pg_binary("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "stop")

    def stop(self) -> None:
        try:
            self.pause()
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)
