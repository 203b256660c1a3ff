"""Bot and worker benchmark: acknowledgement latency, throughput with a slow reader, memory.

    python -m bench.bot [--scans 150] [--read-delay 2] [--workers 1 4] [--database sqlite|postgres]

Everything runs as in production: `papiers bot` and `papiers worker` processes talk to a fake
Bot API server on loopback (the test suite's), a private redis-server and one database. The
worker's reader is replaced by one of fixed latency (like an AI provider) that reports how many
reads it had in flight. Memory is the peak RSS (VmHWM) of each process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from extraction.models import DocumentType, ScanResult
from jobs.reader import Reader
from papiers.settings import Settings
from tests.fakes.readers import passport_result
from tests.fakes.redis_server import RedisServer, free_port
from tests.fakes.telegram import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parents[1]
FIRST_USER = 10_000
IN_FLIGHT_KEY = "bench:max-in-flight:"


def fixed_latency_reader(settings: Settings) -> Reader:
    """`--reader bench.bot:fixed_latency_reader`: BENCH_READ_DELAY_S per read, in-flight counted."""
    delay_s = float(os.environ.get("BENCH_READ_DELAY_S", "2"))
    redis = Redis.from_url(settings.redis_url)
    state = {"now": 0, "max": 0}

    async def read(
        files: Sequence[Any], *, document_type: DocumentType | None, language: str
    ) -> ScanResult:
        state["now"] += 1
        state["max"] = max(state["max"], state["now"])
        try:
            await asyncio.sleep(delay_s)
            return passport_result(pages=len(files))
        finally:
            state["now"] -= 1
            await redis.set(f"{IN_FLIGHT_KEY}{os.getpid()}", state["max"])

    return read


@dataclass
class Run:
    label: str
    scans: int
    seconds: float
    ack_ms: list[float]
    max_in_flight: list[int]
    rss_mb: dict[str, float]
    cpu_s: dict[str, float]

    def line(self) -> str:
        p50, p95 = percentile(self.ack_ms, 50), percentile(self.ack_ms, 95)
        rss = ", ".join(f"{name} {mb:.0f} MB" for name, mb in self.rss_mb.items())
        cpu = ", ".join(f"{name} {s:.1f}" for name, s in self.cpu_s.items())
        return (
            f"{self.label:<28} {self.scans:>5} scans in {self.seconds:6.1f} s = "
            f"{self.scans / self.seconds:5.1f} scans/s | ack p50 {p50:5.1f} ms p95 {p95:5.1f} ms | "
            f"max reads in flight per worker {self.max_in_flight} | peak RSS {rss} | CPU s {cpu}"
        )


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def service(
    name: str, env: dict[str, str], reader: str | None, log: Path
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "papiers", name]
    if reader:
        command += ["--reader", reader]
    port = free_port()
    own = {**env, "HTTP_PORT": str(port)}  # every process serves /healthz
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=own, stderr=output)
    process.http_port = port  # type: ignore[attr-defined]
    return process


async def ready(processes: dict[str, subprocess.Popen[bytes]], within: float = 120) -> None:
    """Wait until every process listens on its HTTP port (imports done, services started)."""
    deadline = time.monotonic() + within
    for process in processes.values():
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", process.http_port)  # type: ignore[attr-defined]
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError("a service did not start") from None
                await asyncio.sleep(0.1)
            else:
                writer.close()
                break


async def postgres_database() -> str:
    """A fresh `papiers_bench` database on the local PostgreSQL."""
    import asyncpg

    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await admin.execute("DROP DATABASE IF EXISTS papiers_bench WITH (FORCE)")
        await admin.execute("CREATE DATABASE papiers_bench")
    finally:
        await admin.close()
    return "postgresql://postgres@127.0.0.1:5432/papiers_bench"


async def run_once(
    label: str,
    *,
    scans: int,
    users: int,
    workers: int,
    read_delay_s: float,
    send_rate: float,
    database: str,
    reader: str | None = "bench.bot:fixed_latency_reader",
    photo: bytes = b"",
    combined: bool = False,
) -> Run:
    """Send `scans` photos at `send_rate`/s and wait for every JSON; return the measurements."""
    redis_server = RedisServer()
    redis_server.start()
    telegram = FakeTelegram()
    await telegram.start()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = await postgres_database() if database == "postgres" else f"{tmp}/bench.db"
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": telegram.base_url,
            "TELEGRAM_BASE_FILE_URL": telegram.base_file_url,
            "REDIS_URL": redis_server.url,
            "DATABASE_URL": database_url,
            "ALLOWED_USER_IDS": ",".join(str(FIRST_USER + n) for n in range(users)),
            "USER_RATE_LIMIT_PER_MINUTE": "100000",
            "BENCH_READ_DELAY_S": str(read_delay_s),
            "LOG_LEVEL": "WARNING",
        }
        log = Path(tmp) / "services.log"
        processes = {"run": service("run", env, reader, log)} if combined else {}
        if not combined:
            processes["bot"] = service("bot", env, None, log)
        try:
            await telegram.wait_calls("setMyCommands", 3, within=60)
            for n in range(0 if combined else workers):
                processes[f"worker{n + 1}"] = service("worker", env, reader, log)
            await ready(processes)
            await asyncio.sleep(0.5)  # the arq workers' first poll
            started = time.monotonic()
            updates = []
            for n in range(scans):
                user = FIRST_USER + n % users
                image = photo or f"photo {n}".encode()
                updates.append(telegram.send_photo(user, image))
                await asyncio.sleep(1 / send_rate)
            if workers:
                await telegram.wait_calls("sendDocument", scans, within=max(120, scans))
            else:  # the bot alone: acknowledgements only
                await telegram.wait_for(
                    lambda f: (
                        len([c for c in f.calls_to("sendMessage") if "📥" in c.params["text"]])
                        >= scans
                    ),
                    within=600,
                )
            seconds = time.monotonic() - started
            await asyncio.sleep(0.5 if workers else 0)  # a duplicate answer would show by now
            names = [c.filenames.get("document") for c in telegram.calls_to("sendDocument")]
            if len(names) != len(set(names)):
                raise AssertionError("a scan was answered twice")
            ack_ms = acknowledgement_latencies(telegram, updates)
            redis = Redis.from_url(redis_server.url)
            keys = [key async for key in redis.scan_iter(f"{IN_FLIGHT_KEY}*")]
            in_flight = sorted([int(await redis.get(key) or 0) for key in keys], reverse=True)
            await redis.aclose()
            rss = {name: peak_rss_mb(process.pid) for name, process in processes.items()}
            cpu = {name: cpu_seconds(process.pid) for name, process in processes.items()}
        except AssertionError:
            print(log.read_text()[-3000:], file=sys.stderr)
            counts: dict[str, int] = {}
            for call in telegram.calls:
                counts[call.method] = counts.get(call.method, 0) + 1
            print(counts, file=sys.stderr)
            raise
        finally:
            for process in processes.values():
                process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            await telegram.stop()
            redis_server.stop()
    return Run(label, scans, seconds, ack_ms, in_flight, rss, cpu)


def acknowledgement_latencies(telegram: FakeTelegram, updates: list[dict[str, Any]]) -> list[float]:
    """Update handed to the bot by getUpdates → its "📥 received" message arriving, in ms."""
    update_of_message = {u["message"]["message_id"]: u["update_id"] for u in updates}
    latencies = []
    for call in telegram.calls_to("sendMessage"):
        if not call.params["text"].startswith("📥"):
            continue
        reply = call.params.get("reply_parameters")
        if not reply:
            continue
        message_id = json.loads(reply)["message_id"]
        update_id = update_of_message.get(message_id)
        if update_id is not None and update_id in telegram.delivered_at:
            latencies.append((call.at - telegram.delivered_at[update_id]) * 1000)
    return latencies


async def main_async(arguments: argparse.Namespace) -> None:
    print(
        f"Bot benchmark: {arguments.scans} scans from {arguments.users} agents at "
        f"{arguments.rate}/s, reader {arguments.read_delay} s, database {arguments.database}"
    )
    for workers in arguments.workers:
        run = await run_once(
            f"{workers} worker process(es)",
            scans=arguments.scans,
            users=arguments.users,
            workers=workers,
            read_delay_s=arguments.read_delay,
            send_rate=arguments.rate,
            database=arguments.database,
        )
        print(run.line(), flush=True)
    if arguments.combined:
        run = await run_once(
            "papiers run (one process)",
            scans=arguments.scans,
            users=arguments.users,
            workers=1,
            read_delay_s=arguments.read_delay,
            send_rate=arguments.rate,
            database=arguments.database,
            combined=True,
        )
        print(run.line(), flush=True)
    if arguments.real_engine:
        from docgen import Difficulty, generate

        photo = generate("passport", Difficulty.CLEAN, 7).image
        run = await run_once(
            "1 worker, real local engine",
            scans=3,
            users=1,
            workers=1,
            read_delay_s=0,
            send_rate=1,
            database=arguments.database,
            reader=None,
            photo=photo,
        )
        print(run.line(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scans", type=int, default=150)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--rate", type=float, default=25.0, help="photos sent per second")
    parser.add_argument("--read-delay", type=float, default=2.0, help="seconds per read")
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 1, 4], help="0: bot alone")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--combined", action="store_true", help="also `papiers run` alone")
    parser.add_argument("--real-engine", action="store_true", help="also RSS of a real worker")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
