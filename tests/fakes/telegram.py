"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, records every call, checks parameters.

The real python-telegram-bot talks to it through `base_url`/`base_file_url`. Tests inject updates
(`send_photo`, `send_document`, `send_text`, `press_button`…), then wait on recorded calls.
It answers like the real API (https://core.telegram.org/bots/api): `{"ok": true, "result": …}`,
400 for bad parameters or HTML that Telegram could not parse, 429 with `retry_after` on demand.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
BOT_ID = 123456789
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
             "tg-spoiler", "span", "blockquote", "tg-emoji"}  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)([^<>]*)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class BadRequest(Exception):
    """An API error answered as `{"ok": false, "error_code": 400, "description": …}`."""


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    filenames: dict[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    result: Any = None  # what the server answered, when it answered ok


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    path: str


def html_text_length(text: str) -> int:
    """Check HTML like Telegram's parser does; return the length of the text it would show."""
    stack: list[str] = []
    plain = []
    position = 0
    for match in _TAG.finditer(text):
        plain.append(text[position : match.start()])
        position = match.end()
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in HTML_TAGS:
            raise BadRequest(f"Bad Request: can't parse entities: unsupported start tag {name!r}")
        if closing:
            if not stack or stack.pop() != name:
                raise BadRequest(f"Bad Request: can't parse entities: unexpected end tag {name!r}")
        else:
            stack.append(name)
    plain.append(text[position:])
    if stack:
        raise BadRequest("Bad Request: can't parse entities: unclosed start tag")
    visible = "".join(plain)
    if "<" in visible or ">" in visible:
        raise BadRequest("Bad Request: can't parse entities: unescaped '<' or '>'")
    for amp in re.finditer("&", visible):
        if not _ENTITY.match(visible, amp.start()):
            raise BadRequest("Bad Request: can't parse entities: bad character reference")
    return len(_ENTITY.sub("x", visible))


class FakeTelegram:
    """One bot's Bot API on a free local port; `base_url`/`base_file_url` go to PTB."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self._updates: list[dict[str, Any]] = []
        self.delivered_at: dict[int, float] = {}  # update_id → when getUpdates first returned it
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._changed = asyncio.Event()
        self._retry_after: dict[str, list[int]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- server life ---------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- what tests inject ---------------------------------------------------------------------
    def add_file(self, data: bytes, extension: str = "jpg") -> StoredFile:
        number = next(self._file_ids)
        stored = StoredFile(
            file_id=f"FILE{number:06d}xyz",
            file_unique_id=f"U{number:06d}",
            data=data,
            path=f"photos/file_{number}.{extension}",
        )
        self.files[stored.file_id] = stored
        return stored

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (a copy of one already pushed is a duplicate)."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._new_update.set()
        return update

    def message(
        self, user_id: int, *, language: str | None = "fr", **content: Any
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"Agent{user_id}"}
        if language:
            user["language_code"] = language
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]},
            "from": user,
            **content,
        }

    def send_text(self, user_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push_update({"message": self.message(user_id, **content, **kwargs)})

    def send_photo(
        self,
        user_id: int,
        data: bytes,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
        size: int | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        stored = self.add_file(data)
        photo = [
            {"file_id": f"{stored.file_id}_thumb", "file_unique_id": f"{stored.file_unique_id}t",
             "width": 90, "height": 60, "file_size": 1000},
            {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
             "width": 1600, "height": 1200, "file_size": size or len(data)},
        ]  # fmt: skip
        content: dict[str, Any] = {"photo": photo}
        if caption:
            content["caption"] = caption
        if media_group_id:
            content["media_group_id"] = media_group_id
        return self.push_update({"message": self.message(user_id, **content, **kwargs)})

    def send_document(
        self,
        user_id: int,
        data: bytes,
        *,
        filename: str,
        mime_type: str,
        caption: str | None = None,
        size: int | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        stored = self.add_file(data, filename.rsplit(".", 1)[-1])
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": size or len(data),
        }
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return self.push_update({"message": self.message(user_id, **content, **kwargs)})

    def press_button(self, user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": f"Agent{user_id}",
                "language_code": "fr"}  # fmt: skip
        query = {"id": str(next(self._update_ids)), "from": user, "chat_instance": "1",
                 "message": message, "data": data}  # fmt: skip
        return self.push_update({"callback_query": query})

    def fail_next(self, method: str, *, retry_after: int, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 Too Many Requests."""
        self._retry_after.setdefault(method, []).extend([retry_after] * times)

    # --- what tests read -----------------------------------------------------------------------
    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]

    async def wait_for(
        self, predicate: Callable[[FakeTelegram], bool], *, within: float = 20.0
    ) -> None:
        """Wait until `predicate(self)` holds (re-checked on every recorded call)."""
        deadline = time.monotonic() + within
        while not predicate(self):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                methods = [(c.method, c.params.get("text", "")[:60]) for c in self.calls[-15:]]
                raise AssertionError(f"timed out; last calls: {methods}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.5))

    async def wait_calls(
        self, method: str, count: int, *, chat_id: int | None = None, within: float = 20.0
    ) -> list[Call]:
        await self.wait_for(lambda f: len(f.calls_to(method, chat_id)) >= count, within=within)
        return self.calls_to(method, chat_id)

    async def wait_for_call(
        self,
        method: str,
        chat_id: int | None,
        matches: Callable[[Call], bool],
        *,
        within: float = 20.0,
    ) -> list[Call]:
        """Wait for a `method` call to `chat_id` that `matches`; return every such call."""

        def found(fake: FakeTelegram) -> list[Call]:
            return [c for c in fake.calls_to(method, chat_id) if matches(c)]

        await self.wait_for(lambda f: bool(found(f)), within=within)
        return found(self)

    # --- the API -------------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files, filenames = await _read_params(request)
        call = Call(method, params, files, filenames)
        self.calls.append(call)
        self._changed.set()
        pending = self._retry_after.get(method)
        if pending:
            retry_after = pending.pop(0)
            return web.json_response(
                {"ok": False, "error_code": 429,
                 "description": f"Too Many Requests: retry after {retry_after}",
                 "parameters": {"retry_after": retry_after}},
                status=429,
            )  # fmt: skip
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(params, files, filenames)
        except BadRequest as error:
            return _error(400, str(error))
        call.result = result
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        for stored in self.files.values():
            if stored.path == request.match_info["path"]:
                self.calls.append(Call("download", {"path": stored.path}))
                self._changed.set()
                return web.Response(body=stored.data)
        return _error(404, "Not Found")

    def _bot_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Papiers",
                "username": "papiers_bot",
            },
            **content,
        }
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def _m_getme(self, *_: Any) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Papiers", "username": "papiers_bot",
                "can_join_groups": False, "can_read_all_group_messages": False,
                "supports_inline_queries": False}  # fmt: skip

    async def _m_getupdates(self, params: dict[str, Any], *_: Any) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout=timeout)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        limit = int(params.get("limit", 100) or 100)
        batch = self._updates[:limit]
        now = time.monotonic()
        for update in batch:
            self.delivered_at.setdefault(update["update_id"], now)
        return batch

    async def _m_deletewebhook(self, *_: Any) -> bool:
        return True

    async def _m_setwebhook(self, params: dict[str, Any], *_: Any) -> bool:
        _require(params, "url")
        return True

    async def _m_setmycommands(self, params: dict[str, Any], *_: Any) -> bool:
        commands = json.loads(_require(params, "commands"))
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise BadRequest("Bad Request: command description is invalid")
        return True

    async def _m_sendchataction(self, params: dict[str, Any], *_: Any) -> bool:
        _chat_id(params)
        if _require(params, "action") not in {"typing", "upload_document", "upload_photo"}:
            raise BadRequest("Bad Request: wrong parameter action in request")
        return True

    async def _m_sendmessage(self, params: dict[str, Any], *_: Any) -> dict[str, Any]:
        chat_id, text = _chat_id(params), _require(params, "text")
        _check_text(text, params.get("parse_mode"), MAX_TEXT)
        _check_markup(params.get("reply_markup"))
        return self._bot_message(chat_id, text=text)

    async def _m_editmessagetext(self, params: dict[str, Any], *_: Any) -> dict[str, Any]:
        chat_id, text = _chat_id(params), _require(params, "text")
        message = self.messages.get((chat_id, int(_require(params, "message_id"))))
        if message is None:
            raise BadRequest("Bad Request: message to edit not found")
        _check_text(text, params.get("parse_mode"), MAX_TEXT)
        _check_markup(params.get("reply_markup"))
        markup = params.get("reply_markup")
        if message.get("text") == text and message.get("_markup") == markup:
            raise BadRequest(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        message["text"], message["_markup"] = text, markup
        message["edit_date"] = int(time.time())
        return {k: v for k, v in message.items() if not k.startswith("_")}

    async def _m_senddocument(
        self, params: dict[str, Any], files: dict[str, bytes], filenames: dict[str, str]
    ) -> dict[str, Any]:
        chat_id = _chat_id(params)
        data, filename = self._input_file("document", params, files, filenames)
        if "caption" in params:
            _check_text(params["caption"], params.get("parse_mode"), MAX_CAPTION)
        stored = self.add_file(data, filename.rsplit(".", 1)[-1])
        doc = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
               "file_name": filename, "file_size": len(data)}  # fmt: skip
        return self._bot_message(chat_id, document=doc, caption=params.get("caption"))

    def _input_file(
        self, name: str, params: dict[str, Any], files: dict[str, bytes], filenames: dict[str, str]
    ) -> tuple[bytes, str]:
        """An InputFile parameter: a multipart upload, `attach://<part>`, or a known file_id."""
        if name in files:
            return files[name], filenames.get(name, "file")
        reference = _require(params, name)
        part = reference.removeprefix("attach://")
        if reference.startswith("attach://") and part in files:
            return files[part], filenames.get(part, "file")
        if reference in self.files:
            return self.files[reference].data, "file"
        raise BadRequest("Bad Request: wrong file identifier/HTTP URL specified")

    async def _m_getfile(self, params: dict[str, Any], *_: Any) -> dict[str, Any]:
        stored = self.files.get(_require(params, "file_id"))
        if stored is None:
            raise BadRequest("Bad Request: invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD:
            raise BadRequest("Bad Request: file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data), "file_path": stored.path}  # fmt: skip

    async def _m_answercallbackquery(self, params: dict[str, Any], *_: Any) -> bool:
        _require(params, "callback_query_id")
        return True

    async def _m_editmessagereplymarkup(self, params: dict[str, Any], *_: Any) -> dict[str, Any]:
        chat_id = _chat_id(params)
        message = self.messages.get((chat_id, int(_require(params, "message_id"))))
        if message is None:
            raise BadRequest("Bad Request: message to edit not found")
        _check_markup(params.get("reply_markup"))
        message["_markup"] = params.get("reply_markup")
        return {k: v for k, v in message.items() if not k.startswith("_")}


async def _read_params(
    request: web.Request,
) -> tuple[dict[str, Any], dict[str, bytes], dict[str, str]]:
    params: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    filenames: dict[str, str] = {}
    if request.content_type == "application/json":
        body = await request.json()
        params.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})
    elif request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename:
                files[part.name] = await part.read()
                filenames[part.name] = part.filename
            else:
                params[part.name] = await part.text()
    elif request.can_read_body:
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params, files, filenames


def _require(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if value in (None, ""):
        raise BadRequest(f"Bad Request: {name} is empty")
    return str(value)


def _chat_id(params: dict[str, Any]) -> int:
    raw = _require(params, "chat_id")
    if not re.fullmatch(r"-?\d+", raw):
        raise BadRequest("Bad Request: chat not found")
    return int(raw)


def _check_text(text: str, parse_mode: str | None, limit: int) -> None:
    length = html_text_length(text) if parse_mode == "HTML" else len(text)
    if length == 0:
        raise BadRequest("Bad Request: message text is empty")
    if length > limit:
        raise BadRequest("Bad Request: message is too long")


def _check_markup(raw: str | None) -> None:
    if not raw:
        return
    markup = json.loads(raw)
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise BadRequest("Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")


def _error(status: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": status, "description": description}, status=status
    )
