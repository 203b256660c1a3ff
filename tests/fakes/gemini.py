"""A fake Gemini API (https://ai.google.dev/api/generate-content): POST
`/{v1,v1beta}/models/{model}:generateContent`.

It checks what the real `google-genai` SDK sends (`x-goog-api-key`, the image as inline base64
JPEG data, a JSON response MIME type and schema) and answers like the API: candidates with text
parts, `usageMetadata`, `promptFeedback.blockReason` for a safety block, Google error bodies."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.ai_http import FakeAIServer, Reply, check_jpeg_base64, check_no_maps

API_KEY = "gemini-test-key"

__all__ = ["API_KEY", "FakeGemini", "Reply", "blocked", "rate_limited", "server_error"]


def rate_limited(retry_delay: str = "0s") -> Reply:
    """A 429 RESOURCE_EXHAUSTED with a google.rpc.RetryInfo detail."""
    body = {
        "error": {
            "code": 429,
            "message": "Resource has been exhausted (e.g. check quota).",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay}
            ],
        }
    }
    return Reply(status=429, body=body)


def server_error(status: int = 503) -> Reply:
    body = {
        "error": {"code": status, "message": "The model is overloaded.", "status": "UNAVAILABLE"}
    }
    return Reply(status=status, body=body)


def blocked(reason: str = "SAFETY") -> Reply:
    """A prompt blocked by the safety filters: no candidates, only promptFeedback."""
    body = {
        "promptFeedback": {"blockReason": reason},
        "usageMetadata": {"promptTokenCount": 1290, "totalTokenCount": 1290},
        "modelVersion": "gemini-2.5-flash",
    }
    return Reply(body=body)


class FakeGemini(FakeAIServer):
    def __init__(self, api_key: str = API_KEY) -> None:
        super().__init__(api_key)
        self.paths: list[str] = []

    def routes(self) -> list[web.RouteDef]:
        return [web.post("/{version}/models/{action}", self._generate)]

    async def _generate(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append({"path": request.path, "body": body})
        version, action = request.match_info["version"], request.match_info["action"]
        model, _, method = action.partition(":")
        problems = []
        if version not in ("v1", "v1beta") or method != "generateContent" or not model:
            problems.append(f"unexpected path {request.path}")
        if request.headers.get("x-goog-api-key") != self.api_key:
            problems.append("x-goog-api-key: expected the API key")
        problems.extend(_content_problems(body))

        def normal(content: str | None) -> dict[str, Any]:
            return {
                "candidates": [
                    {
                        "content": {
                            "parts": [
                                {"text": content if content is not None else self.default_content}
                            ],
                            "role": "model",
                        },
                        "finishReason": "STOP",
                        "index": 0,
                    }
                ],
                "usageMetadata": {
                    "promptTokenCount": 1290,
                    "candidatesTokenCount": 180,
                    "thoughtsTokenCount": 20,
                    "totalTokenCount": 1490,
                },
                "modelVersion": model,
                "responseId": "fake-response",
            }

        return await self.respond(request, normal, problems)


def _content_problems(body: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    parts = [p for c in body.get("contents") or [] for p in c.get("parts") or []]
    texts = [p for p in parts if isinstance(p.get("text"), str)]
    inline = [p.get("inlineData") or p.get("inline_data") for p in parts]
    images = [i for i in inline if i]
    if not texts or not images:
        problems.append("contents need a text part and at least one inline image part")
    for index, image in enumerate(images):
        mime = image.get("mimeType") or image.get("mime_type")
        if mime != "image/jpeg":
            problems.append(f"image {index}: mime type must be image/jpeg")
        problems.extend(check_jpeg_base64(image.get("data"), f"image {index}", url_safe=True))
    if any("fileData" in p or "file_data" in p for p in parts):
        problems.append("images must travel inline, never as a file URL")
    config = body.get("generationConfig") or {}
    if config.get("responseMimeType") != "application/json":
        problems.append("generationConfig.responseMimeType must be application/json")
    schema = config.get("responseJsonSchema") or config.get("responseSchema")
    if not isinstance(schema, dict) or schema.get("type") not in ("object", "OBJECT"):
        problems.append("generationConfig needs an object response schema")
    else:
        problems.extend(check_no_maps(schema))
    return problems


def schema_of(request: dict[str, Any]) -> dict[str, Any]:
    """The response schema of a recorded request."""
    config = request["body"]["generationConfig"]
    schema: dict[str, Any] = config.get("responseJsonSchema") or config["responseSchema"]
    return schema
