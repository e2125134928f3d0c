"""A real, throwaway PostgreSQL server for the tests: initdb in a temp folder, listening on
127.0.0.1 at a free port (its unix socket in the same folder), stopped and removed afterwards.

initdb refuses to run as root, so under root the server runs as the ``nobody`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "nobody"


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bin_dir: Path

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def new_database(self) -> str:
        """A fresh, empty database on this server; its ``postgresql://`` URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        subprocess.run(command, check=check, capture_output=True, timeout=120)


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found is not None:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def start_postgres() -> PostgresServer:
    bin_dir = server_binaries()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="quotebot-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, user=SERVER_USER)
    server = PostgresServer(folder, _free_port(), bin_dir)
    data = str(folder / "data")
    try:
        server._run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-sync")
        options = f"-h 127.0.0.1 -p {server.port} -k {folder} -F -c max_connections=200"
        server._run("pg_ctl", "-D", data, "-o", options, "-l", str(folder / "log"), "-w",
                    "-t", "60", "start")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
