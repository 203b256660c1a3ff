"""All settings, from the environment or `.env`, validated once at start-up: `from papiers.settings
import get_settings`."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]
    if isinstance(value, int):
        return [value]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_file_encoding="utf-8")

    # Telegram
    telegram_bot_token: SecretStr = SecretStr("")
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    allowed_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_language: str = "fr"
    user_rate_limit_per_minute: int = 10

    # Queue and storage
    redis_url: str = "redis://127.0.0.1:6379/0"
    database_url: str = "papiers.sqlite3"
    worker_max_jobs: int = 60
    job_timeout_s: int = 300
    max_tries: int = 5
    keep_images: bool = False
    images_dir: str = "kept-images"  # where photos go when keep_images is true
    retention_days: int = 30

    # Reading
    extraction_providers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    provider_timeout_s: float = 30.0
    provider_max_retries: int = 3
    cross_check_providers: bool = False
    # Price overrides, EUR: "gemini-2.5-flash=0.3/2.5, mistral-ocr-latest=page:0.003".
    provider_prices: str = ""
    mistral_api_key: SecretStr | None = None
    mistral_server_url: str | None = None
    mistral_model: str = "mistral-medium-latest"
    mistral_use_ocr: bool = False
    mistral_ocr_model: str = "mistral-ocr-latest"
    gemini_api_key: SecretStr | None = None
    gemini_base_url: str | None = None
    gemini_model: str = "gemini-2.5-flash"
    max_image_bytes: int = 25 * 1024 * 1024
    max_image_pixels: int = 60_000_000

    # Operations
    http_host: str = "0.0.0.0"
    http_port: int = 8080
    log_json: bool = False
    log_level: str = "INFO"

    @field_validator("allowed_user_ids", "admin_ids", "extraction_providers", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_list(value)

    @property
    def providers(self) -> list[str]:
        """The providers to try, in order: the configured list, or those with a key, then local."""
        if self.extraction_providers:
            return [name.lower() for name in self.extraction_providers]
        chosen = []
        if self.gemini_api_key:
            chosen.append("gemini")
        if self.mistral_api_key:
            chosen.append("mistral")
        return [*chosen, "local"]


@cache
def get_settings() -> Settings:
    return Settings()
