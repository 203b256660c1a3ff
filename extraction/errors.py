"""Errors that end a scan. Plain and picklable (they cross the arq queue): a stable code, params,
and a localized message rendered from `extraction.messages`."""

from __future__ import annotations

from extraction.messages import advice_text, message_text


class ExtractionError(Exception):
    """A scan that cannot produce a result; `code` is stable, `message(lang)` is for the user."""

    def __init__(self, code: str, params: dict[str, str | int] | None = None) -> None:
        super().__init__(code, params or {})
        self.code = code
        self.params: dict[str, str | int] = params or {}

    def __str__(self) -> str:
        return self.code

    def message(self, language: str) -> str:
        return message_text(self.code, language, self.params)

    def advice(self, language: str) -> str | None:
        return advice_text(self.code, language)


class IntakeError(ExtractionError):
    """The file is not a readable image or PDF (empty, corrupt, too large, a bomb, too small…)."""


class ProviderError(ExtractionError):
    """Every configured reading provider failed (outage, quota, refusal)."""

    def __init__(
        self, code: str, params: dict[str, str | int] | None = None, *, transient: bool = False
    ) -> None:
        super().__init__(code, params)
        self.transient = transient
