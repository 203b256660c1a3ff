"""Load and soak benchmark in webhook mode: many agents, two workers, nothing lost or doubled.

    python -m bench.load [--scans 1000] [--agents 50] [--trouble both|kill|redis] [--steady-only]

As in production: a `papiers bot` process in webhook mode (the fake Bot API server posts each
update to its secret path with the secret header, like Telegram) and two `papiers worker`
processes, one private redis-server, one PostgreSQL database. The workers' reader answers after a
realistic latency (log-normal, median 2.5 s, like an AI provider or the local engine on a busy
machine). Each agent sends its photos one after the other with a random pause between them.
A process that exits is started again, as compose's restart policy or fly.io would.

Printed: throughput, p50/p95 time to result (photo posted → JSON document received), peak RSS of
each process, scans lost (no result, with the last status the agent saw) and scans answered
twice. The second run kills a worker (SIGKILL) at 30 % of the photos and starts it again 5 s
later, and restarts Redis (every key lost) at 60 %.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import re
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.bot import percentile
from bench.load_fleet import Fleet, Process, postgres_database, scrape
from bot.webhook import SECRET_HEADER
from extraction.models import DocumentType, ScanResult
from jobs.reader import Reader
from papiers.settings import Settings
from tests.fakes.readers import passport_result
from tests.fakes.redis_server import RedisServer, free_port
from tests.fakes.telegram import TOKEN, FakeTelegram

FIRST_AGENT = 20_000
_SCAN_NUMBER = re.compile(r"Scan #(\d+)")
_RESULT_FILE = re.compile(r"scan-(\d+)-")


def realistic_reader(settings: Settings) -> Reader:
    """`--reader bench.load:realistic_reader`: log-normal latency, median 2.5 s, capped at 15 s."""
    rng = random.Random(os.getpid())

    async def read(
        files: Sequence[Any], *, document_type: DocumentType | None, language: str
    ) -> ScanResult:
        await asyncio.sleep(min(15.0, rng.lognormvariate(0.92, 0.45)))  # e^0.92 ≈ 2.5 s
        return passport_result(pages=len(files))

    return read


@dataclass
class Outcome:
    label: str
    photos: int
    seconds: float
    waits_s: list[float]
    lost: int
    answered_twice: int
    lost_at: dict[str, int]
    failed: int
    refused_posts: int
    rss_mb: dict[str, float]
    scraped: str = ""
    restarts: list[str] = field(default_factory=list)
    calls_per_scan: dict[str, float] = field(default_factory=dict)

    def report(self) -> str:
        rss = ", ".join(f"{name} {mb:.0f} MB" for name, mb in self.rss_mb.items())
        calls = ", ".join(f"{method} {n:.1f}" for method, n in self.calls_per_scan.items())
        return (
            f"{self.label}\n"
            f"  {self.photos} photos, all results in {self.seconds:.1f} s = "
            f"{self.photos / self.seconds:.1f} scans/s\n"
            f"  time to result p50 {percentile(self.waits_s, 50):.2f} s, "
            f"p95 {percentile(self.waits_s, 95):.2f} s, max {max(self.waits_s, default=0):.2f} s\n"
            f"  lost {self.lost} (last status seen: {self.lost_at or '-'}), "
            f"answered twice {self.answered_twice}, failure answers {self.failed}, "
            f"webhook posts refused {self.refused_posts}\n"
            f"  peak RSS: {rss}\n"
            f"  Bot API calls per scan: {calls}\n"
            f"  unplanned restarts: {'; '.join(self.restarts) or 'none'}\n"
            f"  bot's /healthz and /metrics at the end: {self.scraped}"
        )


async def run(arguments: argparse.Namespace, *, chaos: bool) -> Outcome:
    """Start the fleet, let the agents send their photos, wait for every answer, count."""
    redis_server = RedisServer()
    redis_server.start()
    telegram = FakeTelegram()
    await telegram.start()
    fleet: Fleet | None = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            database_url = (
                await postgres_database() if arguments.database == "postgres" else f"{tmp}/load.db"
            )
            agents = [FIRST_AGENT + n for n in range(arguments.agents)]
            bot_port = free_port()
            fleet = Fleet(
                {
                    **os.environ,
                    "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_BASE_URL": telegram.base_url,
                    "TELEGRAM_BASE_FILE_URL": telegram.base_file_url,
                    "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{bot_port}",
                    "HTTP_HOST": "127.0.0.1",
                    "REDIS_URL": redis_server.url,
                    "DATABASE_URL": database_url,
                    "ALLOWED_USER_IDS": ",".join(map(str, agents)),
                    "USER_RATE_LIMIT_PER_MINUTE": "100000",
                    "LOG_LEVEL": "WARNING",
                },
                Path(arguments.logs) if arguments.logs else Path(tmp),
            )
            fleet.start("bot", "bot", port=bot_port)
            await telegram.wait_calls("setWebhook", 1, within=90)
            hook = telegram.calls_to("setWebhook")[0].params
            reader = ("--reader", "bench.load:realistic_reader")
            workers = [fleet.start(f"worker{n + 1}", "worker", *reader) for n in range(2)]
            await asyncio.sleep(4)  # the workers connected and polling
            return await _drive(arguments, telegram, fleet, redis_server, hook, workers, chaos)
    finally:
        if fleet is not None:
            fleet.stop()
        await telegram.stop()
        redis_server.stop()


async def _drive(
    arguments: argparse.Namespace,
    telegram: FakeTelegram,
    fleet: Fleet,
    redis_server: RedisServer,
    hook: dict[str, Any],
    workers: list[Process],
    chaos: bool,
) -> Outcome:
    rng = random.Random(1)
    agents = [FIRST_AGENT + n for n in range(arguments.agents)]
    per_agent = [arguments.scans // len(agents)] * len(agents)
    for n in range(arguments.scans % len(agents)):
        per_agent[n] += 1
    posted_at: dict[int, float] = {}  # the photo's message id → when it was posted
    refused = 0
    sent = 0
    milestones = {0.3: asyncio.Event(), 0.6: asyncio.Event()}  # share of photos sent

    async def agent(user_id: int, photos: int, session: aiohttp.ClientSession) -> None:
        nonlocal refused, sent
        for _ in range(photos):
            await asyncio.sleep(rng.expovariate(1 / arguments.pause))
            update = telegram.send_photo(user_id, os.urandom(64))
            posted_at[update["message"]["message_id"]] = time.monotonic()
            headers = {SECRET_HEADER: hook["secret_token"]}
            async with session.post(hook["url"], json=update, headers=headers) as response:
                if response.status != 200:
                    refused += 1
            sent += 1
            for share, reached in milestones.items():
                if sent >= arguments.scans * share:
                    reached.set()

    async def troublemaker() -> None:
        if not chaos:
            return
        if arguments.trouble in ("both", "kill"):
            await milestones[0.3].wait()
            fleet.sample()
            workers[0].supervised = False  # restarted by hand below, after a realistic delay
            workers[0].popen.send_signal(signal.SIGKILL)
            print(f"  [chaos] worker1 killed after {sent} photos", flush=True)
            await asyncio.sleep(5)
            fleet.start("worker1-restarted", "worker", "--reader", "bench.load:realistic_reader")
        if arguments.trouble == "kill":
            return
        await milestones[0.6].wait()
        redis_server.restart()
        print(f"  [chaos] Redis restarted (all keys lost) after {sent} photos", flush=True)

    async def sampler() -> None:
        while True:
            fleet.sample()
            fleet.supervise()
            await asyncio.sleep(1)

    started = time.monotonic()
    sampling = asyncio.create_task(sampler())
    try:
        connector = aiohttp.TCPConnector(limit=40)  # Telegram's default max_connections
        async with aiohttp.ClientSession(connector=connector) as session:
            await asyncio.gather(
                *(
                    agent(user, count, session)
                    for user, count in zip(agents, per_agent, strict=True)
                ),
                troublemaker(),
            )
        await telegram.wait_for(lambda f: _answered(f) >= arguments.scans, within=arguments.wait)
    except AssertionError:
        print(f"  gave up waiting after {arguments.wait} s", flush=True)
    finally:
        sampling.cancel()
    await asyncio.sleep(3)  # late duplicates, if any, would arrive now
    outcome = _count(arguments, telegram, fleet, posted_at, refused, started, chaos)
    outcome.scraped = await scrape(fleet.processes[0].http_port)
    # Each process's flood limiter (30 requests/s) counts every call, downloads' getFile included.
    methods = Counter(call.method for call in telegram.calls if call.method != "download")
    per_scan = {m: n / max(1, len(posted_at)) for m, n in methods.most_common() if n >= 10}
    outcome.calls_per_scan = per_scan
    outcome.restarts = fleet.restarts
    return outcome


def _answered(telegram: FakeTelegram) -> int:
    """Scans with a final answer so far: a JSON document, or a failure message."""
    return len(_results(telegram)) + len(_failures(telegram))


def _results(telegram: FakeTelegram) -> Counter[int]:
    """Scan number → JSON documents sent for it."""
    found = (_RESULT_FILE.match(c.filenames.get("document", "")) for c in telegram.calls)
    return Counter(int(m.group(1)) for m in found if m)


def _failures(telegram: FakeTelegram) -> Counter[int]:
    """Scan number → failure answers (a final message that is neither the ack nor a result)."""
    numbers: Counter[int] = Counter()
    for call in telegram.calls_to("editMessageText"):
        text = call.params.get("text", "")
        match = _SCAN_NUMBER.search(text)
        if match and text.startswith("❌"):
            numbers[int(match.group(1))] += 1
    return numbers


def _count(
    arguments: argparse.Namespace,
    telegram: FakeTelegram,
    fleet: Fleet,
    posted_at: dict[int, float],
    refused: int,
    started: float,
    chaos: bool,
) -> Outcome:
    scan_of_photo: dict[int, int] = {}
    for call in telegram.calls_to("sendMessage"):
        match = _SCAN_NUMBER.search(call.params.get("text", ""))
        reply = call.params.get("reply_parameters")
        if match and reply and call.params["text"].startswith("📥"):
            scan_of_photo[json.loads(reply)["message_id"]] = int(match.group(1))
    results, failures = _results(telegram), _failures(telegram)
    first_result: dict[int, float] = {}
    for call in telegram.calls:
        found = _RESULT_FILE.match(call.filenames.get("document", ""))
        if found:
            first_result.setdefault(int(found.group(1)), call.at)
    last_status: dict[int, str] = {}
    for call in telegram.calls_to("editMessageText"):
        match = _SCAN_NUMBER.search(call.params.get("text", ""))
        if match:
            last_status[int(match.group(1))] = call.params["text"][:1]
    waits, lost = [], 0
    lost_at: Counter[str] = Counter()
    for message_id, at in posted_at.items():
        scan = scan_of_photo.get(message_id)
        if scan is None or (scan not in results and scan not in failures):
            lost += 1
            lost_at["no ack" if scan is None else last_status.get(scan, "📥")] += 1
        elif scan in first_result:
            waits.append(first_result[scan] - at)
    doubled = sum(1 for scan in set(results) | set(failures) if results[scan] + failures[scan] > 1)
    doubled += len(scan_of_photo) - len(set(scan_of_photo.values()))  # two scans for one photo
    last = max(first_result.values(), default=time.monotonic())
    troubles = {
        "both": "with a worker killed and Redis restarted",
        "kill": "with a worker killed",
        "redis": "with Redis restarted",
    }
    label = troubles[arguments.trouble] if chaos else "steady"
    return Outcome(
        f"{label}: {arguments.scans} scans from {arguments.agents} agents, 2 worker processes, "
        f"{arguments.database}",
        len(posted_at),
        last - started,
        waits,
        lost,
        doubled,
        dict(lost_at),
        sum(failures.values()),
        refused,
        {process.name: process.peak_mb for process in fleet.processes},
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scans", type=int, default=1000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--pause", type=float, default=4.0, help="mean seconds between photos")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for answers")
    parser.add_argument("--logs", default=None, help="keep the processes' logs in this folder")
    parser.add_argument("--steady-only", action="store_true")
    parser.add_argument("--chaos-only", action="store_true")
    parser.add_argument(
        "--trouble", choices=("both", "kill", "redis"), default="both", help="in the chaos run"
    )
    arguments = parser.parse_args()
    # A killed worker's requests to the fake Bot API end mid-body: expected, not worth a traceback.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    if not arguments.chaos_only:
        print(asyncio.run(run(arguments, chaos=False)).report(), flush=True)
    if not arguments.steady_only:
        print(asyncio.run(run(arguments, chaos=True)).report(), flush=True)


if __name__ == "__main__":
    main()
