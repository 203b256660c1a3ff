"""A worker in its own process, for tests that kill it: `python -m tests.jobs.worker_process`.

Settings come from the environment; the reader takes READ_DELAY_S seconds; leases are short so a
killed worker's scan is taken over within about a second.
"""

from __future__ import annotations

import asyncio
import logging
import os

from bot.runner import serve
from papiers.settings import Settings
from tests.fakes.readers import FixedReader


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    reader = FixedReader(delay_s=float(os.environ.get("READ_DELAY_S", "2")))
    asyncio.run(
        serve(
            settings,
            bot=False,
            worker=True,
            reader=reader,
            recovery_interval_s=0.3,
            recovery_grace_s=1.0,
            lease_ttl_s=1.0,
        )
    )


if __name__ == "__main__":
    main()
