"""The deployment files agree with the code: Dockerfile, .dockerignore, docker-compose.yml, fly.

No Docker engine or compose plugin runs here, so the files are parsed and checked structurally, and
the image's entry point (`papiers`) is installed in a fresh virtualenv the way the Dockerfile
installs it, then started from outside the source tree.
"""

from __future__ import annotations

import fnmatch
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from papiers.cli import SERVICES, build_parser
from papiers.settings import Settings
from tests.fakes.fixtures import redis_server
from tests.fakes.redis_server import RedisServer

__all__ = ["redis_server"]

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_PACKAGES = ("papiers", "extraction", "bot", "jobs")
SETTINGS_FIELDS = {name.upper() for name in Settings.model_fields}


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile as stages of (INSTRUCTION, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, arguments = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), arguments.strip()))
    return stages


def instructions(stage: list[tuple[str, str]], name: str) -> list[str]:
    return [arguments for instruction, arguments in stage if instruction == name]


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str) -> bool:
    """Matched by a .dockerignore line (`**/x` matches x at any depth)."""
    return any(
        fnmatch.fnmatch(path, pattern.removeprefix("**/"))
        or fnmatch.fnmatch(path, pattern.replace("**/", "*/"))
        for pattern in dockerignore()
    )


def service_command(arguments: str | list[str]) -> list[str]:
    return shlex.split(arguments) if isinstance(arguments, str) else list(arguments)


def assert_papiers_command(arguments: list[str]) -> None:
    """The arguments parse as a `papiers` service command (the image's entry point)."""
    parsed = build_parser().parse_args(arguments)
    assert parsed.command in SERVICES


def test_the_image_is_multi_stage_slim_and_runs_papiers_as_a_user() -> None:
    build, final = dockerfile_stages()
    assert "AS build" in build[0][1] and "slim" in build[0][1] and "slim" in final[0][1]
    assert instructions(final, "COPY")[0].startswith("--from=build ")
    user = instructions(final, "USER")
    assert user and user[-1] not in ("root", "0")
    assert instructions(final, "ENTRYPOINT") == ['["papiers"]']
    assert_papiers_command(yaml.safe_load(instructions(final, "CMD")[0]))
    assert any("/healthz" in check for check in instructions(final, "HEALTHCHECK"))


def test_the_image_installs_only_the_reading_engines_system_packages() -> None:
    _, final = dockerfile_stages()
    installs = [run for run in instructions(final, "RUN") if "apt-get install" in run]
    assert len(installs) == 1 and "--no-install-recommends" in installs[0]
    words = installs[0].split("apt-get install", 1)[1].split("&&")[0].split()
    packages = {word for word in words if not word.startswith("-")}
    assert packages == {"tesseract-ocr", "tesseract-ocr-ara"}
    assert "rm -rf /var/lib/apt/lists/*" in installs[0]


def test_the_image_ships_the_runtime_packages_and_locales_but_not_the_dev_tools() -> None:
    build, final = dockerfile_stages()
    copied = {args.split()[0] for args in instructions(build, "COPY")}
    assert set(RUNTIME_PACKAGES) <= copied and "docgen" not in copied and "tests" not in copied
    for source in copied | {args.split()[0] for args in instructions(final, "COPY")[1:]}:
        assert (ROOT / source).exists() and not ignored(source), source
    env = " ".join(instructions(final, "ENV"))
    workdir = instructions(final, "WORKDIR")[-1]
    assert f"PAPIERS_LOCALES_DIR={workdir}/locales" in env
    assert instructions(final, "COPY")[-1] == "locales ./locales"
    assert "HTTP_PORT=8080" in env and instructions(final, "EXPOSE") == ["8080"]


def test_the_build_context_leaves_out_secrets_history_and_caches() -> None:
    for path in (".git", ".env", ".venv", "tests", "docgen", "papiers.sqlite3", "x/__pycache__"):
        assert ignored(path), path
    for path in ("pyproject.toml", "README.md", "locales", *RUNTIME_PACKAGES):
        assert not ignored(path), path


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_runs_bot_workers_redis_and_postgres() -> None:
    services = compose()["services"]
    assert set(services) == {"bot", "worker", "redis", "postgres"}
    for name in ("bot", "worker"):
        service = services[name]
        assert service["build"] == "." and service_command(service["command"]) == [name]
        assert_papiers_command(service_command(service["command"]))
        for dependency in ("redis", "postgres"):
            assert service["depends_on"][dependency]["condition"] == "service_healthy"
            assert "healthcheck" in services[dependency]
        assert set(service["environment"]) <= SETTINGS_FIELDS
    assert services["bot"]["ports"] == ["8080:8080"]


def test_compose_urls_point_at_its_own_redis_and_postgres() -> None:
    services = compose()["services"]
    environment = services["worker"]["environment"]
    postgres = services["postgres"]["environment"]
    assert environment["DATABASE_URL"] == (
        f"postgresql://{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}"
        f"@postgres:5432/{postgres['POSTGRES_DB']}"
    )
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert compose()["volumes"].keys() == {"redis-data", "postgres-data"}


def fly(name: str) -> dict[str, Any]:
    with (ROOT / name).open("rb") as file:
        return tomllib.load(file)


def test_fly_split_runs_bot_and_worker_groups_without_a_volume() -> None:
    config = fly("fly.toml")
    assert config["processes"] == {"bot": "bot", "worker": "worker"}
    for command in config["processes"].values():
        assert_papiers_command(shlex.split(command))
    assert "mounts" not in config  # a volume attaches to one Machine: the split uses PostgreSQL
    assert "DATABASE_URL" not in config["env"]  # set by `fly postgres attach`
    http = config["http_service"]
    assert http["processes"] == ["bot"] and http["internal_port"] == int(config["env"]["HTTP_PORT"])
    assert http["checks"][0]["path"] == "/healthz?ignore=worker"  # acks go on without workers
    assert config["checks"]["worker_health"]["processes"] == ["worker"]
    assert config["checks"]["worker_health"]["path"] == "/healthz"
    assert {vm["processes"][0] for vm in config["vm"]} == {"bot", "worker"}


def test_fly_single_machine_runs_papiers_run_with_sqlite_on_its_volume() -> None:
    config = fly("fly.single.toml")
    assert config["processes"] == {"app": "run"}
    assert_papiers_command(["run"])
    database = Path(config["env"]["DATABASE_URL"])
    assert database.parent == Path(config["mounts"]["destination"])
    assert config["http_service"]["checks"][0]["path"] == "/healthz"


@pytest.mark.parametrize("name", ["fly.toml", "fly.single.toml"])
def test_fly_settings_exist_and_metrics_are_scraped(name: str) -> None:
    config = fly(name)
    assert set(config["env"]) <= SETTINGS_FIELDS
    assert config["env"]["TELEGRAM_WEBHOOK_URL"] == f"https://{config['app']}.fly.dev"
    assert config["metrics"] == {"port": int(config["env"]["HTTP_PORT"]), "path": "/metrics"}
    assert config["kill_signal"] == "SIGTERM"
    secrets = (ROOT / name).read_text()
    assert "TELEGRAM_BOT_TOKEN=" in secrets and "REDIS_URL=" in secrets  # the walkthrough


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with Papiers installed from a copy of the image's build context.

    Dependencies come from the test interpreter's site-packages (a .pth line), so nothing is
    downloaded; Papiers itself is a real, non-editable install of what the Dockerfile copies.
    """
    root = tmp_path_factory.mktemp("image")
    context = root / "context"
    context.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, context / name)
    for package in RUNTIME_PACKAGES:
        shutil.copytree(ROOT / package, context / package, ignore=shutil.ignore_patterns("__py*"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(
        subprocess.check_output(
            [
                venv / "bin" / "python",
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ],
            text=True,
        ).strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", "--no-deps", "--no-build-isolation", "--no-index", str(context)],
        check=True,
        cwd=root,
    )  # fmt: skip
    return venv


def run_papiers(
    venv: Path, *arguments: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "PAPIERS_LOCALES_DIR": str(ROOT / "locales")}
    return subprocess.run(
        [str(venv / "bin" / "papiers"), *arguments],
        cwd=venv,  # away from the source tree (and from any .env in it)
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_entry_point_starts_from_a_plain_virtualenv(installed: Path) -> None:
    result = run_papiers(installed, "--help")
    assert result.returncode == 0, result.stderr
    for command in ("scan", "bot", "worker", "run"):
        assert command in result.stdout
    where = subprocess.check_output(
        [installed / "bin" / "python", "-c", "import papiers, bot; print(papiers.__file__)"],
        cwd=installed,
        text=True,
    )
    assert str(installed) in where  # the installed copy, not the source tree


def test_the_bot_without_a_token_exits_with_a_clear_message(installed: Path) -> None:
    result = run_papiers(installed, "bot", env={"TELEGRAM_BOT_TOKEN": ""})
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_worker_check_fails_cleanly_without_a_worker(
    installed: Path, redis_server: RedisServer
) -> None:
    result = run_papiers(installed, "worker", "--check", env={"REDIS_URL": redis_server.url})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_the_installed_package_carries_its_migrations(installed: Path, tmp_path: Path) -> None:
    code = (
        "import asyncio; from papiers.store import open_store\n"
        "async def main():\n"
        f"    store = await open_store({str(tmp_path / 'db.sqlite3')!r})\n"
        "    print(await store.schema_version()); await store.close()\n"
        "asyncio.run(main())"
    )
    result = subprocess.run(
        [installed / "bin" / "python", "-c", code],
        cwd=installed,
        env={"PATH": "/usr/bin:/bin", **{k: v for k, v in os.environ.items() if k == "HOME"}},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 1
