"""The processes of the load benchmark (bench/load.py): started, watched, restarted, measured.

A `Fleet` starts `papiers` commands as a deployment would, each on its own HTTP port, samples their
peak RSS, and restarts any that exits, as docker compose's restart policy or fly.io would.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.bot import peak_rss_mb
from tests.fakes.redis_server import free_port

ROOT = Path(__file__).resolve().parents[1]


async def postgres_database() -> str:
    """A fresh `papiers_load` database on the local PostgreSQL (bench.bot drops its own)."""
    import asyncpg

    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await admin.execute("DROP DATABASE IF EXISTS papiers_load WITH (FORCE)")
        await admin.execute("CREATE DATABASE papiers_load")
    finally:
        await admin.close()
    return "postgresql://postgres@127.0.0.1:5432/papiers_load"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    command: tuple[str, ...]
    http_port: int
    peak_mb: float = 0.0
    supervised: bool = True  # restarted when it exits, like compose's restart policy or fly's

    def sample(self) -> None:
        if self.popen.poll() is None:
            self.peak_mb = max(self.peak_mb, peak_rss_mb(self.popen.pid))


@dataclass
class Fleet:
    env: dict[str, str]
    log_dir: Path
    processes: list[Process] = field(default_factory=list)
    restarts: list[str] = field(default_factory=list)

    def start(self, name: str, command: str, *extra: str, port: int | None = None) -> Process:
        port = port or free_port()
        env = {**self.env, "HTTP_PORT": str(port)}
        log = (self.log_dir / f"{name}.log").open("ab")
        popen = subprocess.Popen(
            [sys.executable, "-m", "papiers", command, *extra],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process = Process(name, popen, (command, *extra), port)
        self.processes.append(process)
        return process

    def sample(self) -> None:
        for process in self.processes:
            process.sample()

    def supervise(self) -> None:
        """Start again any supervised process that exited (fly and compose do the same)."""
        for process in list(self.processes):
            code = process.popen.poll()
            if process.supervised and code is not None:
                process.supervised = False
                restarted = self.start(f"{process.name}-restarted", *process.command)
                self.restarts.append(f"{process.name} exited with code {code}")
                print(f"  [supervisor] {process.name} exited ({code}): restarted", flush=True)
                restarted.supervised = True

    def stop(self) -> None:
        self.sample()
        for process in self.processes:
            if process.popen.poll() is None:
                process.popen.terminate()
        for process in self.processes:
            try:
                process.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.popen.kill()


async def scrape(port: int) -> str:
    """The bot's view of the fleet: health, scans done in the database, queue depth."""
    from prometheus_client.parser import text_string_to_metric_families

    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/healthz") as response:
            health = f"{response.status} {(await response.json())['checks']}"
        async with session.get(f"{base}/metrics") as response:
            text = await response.text()
    values = {
        (sample.name, tuple(sample.labels.values())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    done = values.get(("papiers_scans_24h", ("done",)), 0)
    depth = values.get(("papiers_queue_depth", ()), float("nan"))
    return f"healthz {health}; papiers_scans_24h{{status=done}} {done:.0f}, queue depth {depth:.0f}"
