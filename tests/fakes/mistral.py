"""A fake Mistral API (https://docs.mistral.ai/api/): POST /v1/chat/completions and /v1/ocr.

It checks what the real `mistralai` SDK sends (bearer key, model, the image as a base64 JPEG data
URI, a strict JSON-schema response format) and answers like the API, `usage` included."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from aiohttp import web

from tests.fakes.ai_http import FakeAIServer, Reply, check_jpeg_base64, check_no_maps

API_KEY = "mistral-test-key"
DATA_URI = "data:image/jpeg;base64,"
_ids = itertools.count(1)

__all__ = ["API_KEY", "FakeMistral", "Reply", "rate_limited"]


def rate_limited(retry_after: str = "0") -> Reply:
    """A 429 as Mistral sends it."""
    body = {"object": "error", "message": "Requests rate limit exceeded", "type": "rate_limited"}
    return Reply(status=429, body=body, headers={"Retry-After": retry_after})


class FakeMistral(FakeAIServer):
    def __init__(self, api_key: str = API_KEY, model: str = "mistral-medium-2508") -> None:
        super().__init__(api_key)
        self.model_version = model

    def routes(self) -> list[web.RouteDef]:
        return [web.post("/v1/chat/completions", self._chat), web.post("/v1/ocr", self._ocr)]

    def _auth_problems(self, request: web.Request) -> list[str]:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return ["Authorization: expected the bearer API key"]
        return []

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append({"path": request.path, "body": body})
        problems = self._auth_problems(request) + _chat_problems(body)

        def normal(content: str | None) -> dict[str, Any]:
            return {
                "id": f"cmpl-{next(_ids)}",
                "object": "chat.completion",
                "model": self.model_version,
                "created": int(time.time()),
                "choices": [
                    {
                        "index": 0,
                        "message": {
                            "role": "assistant",
                            "content": content if content is not None else self.default_content,
                            "tool_calls": None,
                            "prefix": False,
                        },
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1830, "completion_tokens": 212, "total_tokens": 2042},
            }

        return await self.respond(request, normal, problems)

    async def _ocr(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append({"path": request.path, "body": body})
        problems = self._auth_problems(request) + _ocr_problems(body)

        def normal(content: str | None) -> dict[str, Any]:
            return {
                "pages": [
                    {
                        "index": 0,
                        "markdown": "# document",
                        "images": [],
                        "dimensions": {"dpi": 200, "height": 1000, "width": 1500},
                    }
                ],
                "model": "mistral-ocr-2505",
                "document_annotation": content if content is not None else self.default_content,
                "usage_info": {"pages_processed": 1, "doc_size_bytes": 123456},
            }

        return await self.respond(request, normal, problems)


def _image_problems(url: object, where: str) -> list[str]:
    if isinstance(url, dict):
        url = url.get("url")
    if not isinstance(url, str) or not url.startswith(DATA_URI):
        return [f"{where}: the image must be a data:image/jpeg;base64 URI, never a URL"]
    return check_jpeg_base64(url.removeprefix(DATA_URI), where)


def _format_problems(response_format: object, where: str) -> list[str]:
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        return [f"{where}.type must be json_schema"]
    spec = response_format.get("json_schema")
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        return [f"{where}.json_schema needs a name"]
    schema = spec.get("schema")
    problems = [] if spec.get("strict") is True else [f"{where}.json_schema.strict must be true"]
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return [*problems, f"{where}.json_schema.schema must be an object schema"]
    if schema.get("additionalProperties") is not False:
        problems.append(f"{where}: strict schemas need additionalProperties false")
    missing = set(schema.get("properties", {})) - set(schema.get("required", []))
    if missing:
        problems.append(f"{where}: strict schemas need every property required: {missing}")
    return problems + check_no_maps(schema)


def _chat_problems(body: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if not isinstance(body.get("model"), str) or not body["model"]:
        problems.append("model missing")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return [*problems, "messages missing"]
    parts = [p for m in messages if m.get("role") == "user" for p in m.get("content") or []]
    texts = [p for p in parts if isinstance(p, dict) and p.get("type") == "text"]
    images = [p for p in parts if isinstance(p, dict) and p.get("type") == "image_url"]
    if not texts or not images:
        problems.append("a user message needs a text part and at least one image_url part")
    for index, part in enumerate(images):
        problems.extend(_image_problems(part.get("image_url"), f"image {index}"))
    problems.extend(_format_problems(body.get("response_format"), "response_format"))
    return problems


def _ocr_problems(body: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if not isinstance(body.get("model"), str):
        problems.append("model missing")
    document = body.get("document")
    if not isinstance(document, dict) or document.get("type") != "image_url":
        problems.append("document.type must be image_url")
    else:
        problems.extend(_image_problems(document.get("image_url"), "document"))
    fmt = body.get("document_annotation_format")
    return problems + _format_problems(fmt, "document_annotation_format")


def content_of(request: dict[str, Any]) -> str:
    """The prompt text of a recorded chat request."""
    parts = request["body"]["messages"][0]["content"]
    return "".join(p.get("text", "") for p in parts if p.get("type") == "text")


def schema_of(request: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of a recorded chat or OCR request."""
    body = request["body"]
    fmt = body.get("response_format") or body["document_annotation_format"]
    schema: dict[str, Any] = json.loads(json.dumps(fmt["json_schema"]["schema"]))
    return schema
