"""What the fake Mistral and Gemini servers share: a real aiohttp server on 127.0.0.1, scripted
replies (status, body, headers, delay, dropped connection) and the list of problems found in the
requests the real SDKs sent."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web


@dataclass
class Reply:
    """One scripted answer. `body=None` means: the server's normal answer for the request."""

    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    drop: bool = False  # close the connection without answering
    content: str | None = None  # the model's text for a normal answer


class FakeAIServer:
    """Base for the fakes: subclasses route requests and check their shape."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.problems: list[str] = []
        self.default_content = "{}"
        self.default_delay_s = 0.0
        self.active = 0
        self.peak_active = 0  # most requests being answered at once
        self._runner: web.AppRunner | None = None
        self.url = ""

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order, then normally."""
        self.replies.extend(replies)

    def answer_fields(self, fields: dict[str, Any]) -> None:
        """Make the normal answer a JSON object with these fields."""
        self.default_content = json.dumps(fields, ensure_ascii=False)

    def routes(self) -> list[web.RouteDef]:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.add_routes(self.routes())
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def respond(
        self, request: web.Request, normal: Any, problems: list[str]
    ) -> web.StreamResponse:
        """Apply the next scripted reply (or the normal answer); 4xx when the request is wrong."""
        self.problems.extend(problems)
        reply = self.replies.popleft() if self.replies else Reply(delay_s=self.default_delay_s)
        if reply.delay_s:
            self.active += 1
            self.peak_active = max(self.peak_active, self.active)
            try:
                await asyncio.sleep(reply.delay_s)
            finally:
                self.active -= 1
        if reply.drop:
            assert request.transport is not None
            request.transport.close()
            raise ConnectionResetError("dropped by the fake")
        if problems:
            return web.json_response({"message": "; ".join(problems)}, status=422)
        body = reply.body if reply.body is not None else normal(reply.content)
        if isinstance(body, str):
            return web.Response(
                text=body, status=reply.status, headers=reply.headers, content_type="text/html"
            )
        return web.json_response(body, status=reply.status, headers=reply.headers)


def check_jpeg_base64(data: object, where: str, *, url_safe: bool = False) -> list[str]:
    """Problems with a base64 JPEG payload (the document must travel inline, as JPEG).
    Google's proto3 JSON accepts the URL-safe alphabet too (google-genai sends it)."""
    if not isinstance(data, str):
        return [f"{where}: not a base64 string"]
    try:
        altchars = b"-_" if url_safe and ("-" in data or "_" in data) else None
        raw = base64.b64decode(data, altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        return [f"{where}: invalid base64"]
    return [] if raw[:3] == b"\xff\xd8\xff" else [f"{where}: not a JPEG"]


def check_no_maps(schema: object, where: str = "schema") -> list[str]:
    """Problems in a JSON schema: free-form maps (`additionalProperties` schemas) or `$ref`."""
    problems: list[str] = []
    if isinstance(schema, dict):
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) or extra is True:
            problems.append(f"{where}: a map (additionalProperties) is not allowed")
        if "$ref" in schema:
            problems.append(f"{where}: $ref left in schema")
        for key, value in schema.items():
            problems.extend(check_no_maps(value, f"{where}.{key}"))
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            problems.extend(check_no_maps(item, f"{where}[{index}]"))
    return problems
