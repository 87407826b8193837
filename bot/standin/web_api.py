"""The stand-in's answers to the Web API methods the app calls: messages (post, update,
delete, ephemeral, permalink), threads and history, DMs, users, App Home views, file
uploads and the Messages tab's status line; `WEB_API_ANSWERS` maps each method to its
answer."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from bot.standin.oauth import BOT_USER_ID

__all__ = ["BOT_ID", "TEAM_ID", "WEB_API_ANSWERS", "WebApiSide"]

TEAM_ID = "T0PLAYGND"
BOT_ID = "B0RAGFTBOT"


class WebApiSide:
    """Mixed into `SlackStandIn`; every method runs under the stand-in's lock."""

    messages: list[dict[str, Any]]
    ephemerals: list[dict[str, Any]]
    views: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]]
    users: dict[str, dict[str, Any]]
    teams: dict[str, str | None]
    _ids: itertools.count[int]
    _team: str | None

    @property
    def url(self) -> str:
        raise NotImplementedError

    def next_ts(self) -> str:
        raise NotImplementedError

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "channel": args.get("channel"),
            "text": args.get("text", ""),
            "ts": self.next_ts(),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team": TEAM_ID,
        }
        for key in ("thread_ts", "blocks", "metadata", "attachments"):
            if args.get(key) not in (None, ""):
                message[key] = args[key]
        self.messages.append(message)
        return message

    def _auth_test(self, a: dict[str, Any]) -> dict[str, Any]:
        team = self._team  # the calling token's workspace (OAuth), set under the lock
        return {
            "ok": True,
            "url": "https://playground.slack.example/",
            "team": "Playground" if team is None else f"Team {team}",
            "user": "ragft",
            "team_id": team or TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "enterprise_id": self.teams.get(team) if team else None,
            "is_enterprise_install": False,
        }

    def _auth_revoke(self, a: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "revoked": True}

    def _team_info(self, a: dict[str, Any]) -> dict[str, Any]:
        wanted = str(a.get("team") or self._team or TEAM_ID)
        team = {"id": wanted, "name": f"Team {wanted}", "enterprise_id": self.teams.get(wanted)}
        return {"ok": True, "team": team}

    def _post_message(self, a: dict[str, Any]) -> dict[str, Any]:
        if not a.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not (a.get("text") or a.get("blocks")):
            return {"ok": False, "error": "no_text"}
        message = self._post(a)
        return {"ok": True, "channel": message["channel"], "ts": message["ts"], "message": message}

    def _update(self, a: dict[str, Any]) -> dict[str, Any]:
        for message in self.messages:
            if message["ts"] == a.get("ts") and message["channel"] == a.get("channel"):
                for key in ("text", "blocks", "metadata", "attachments"):
                    if key in a:
                        message[key] = a[key]
                message["edited"] = True
                return {
                    "ok": True,
                    "channel": message["channel"],
                    "ts": message["ts"],
                    "text": message.get("text", ""),
                    "message": message,
                }
        return {"ok": False, "error": "message_not_found"}

    def _post_ephemeral(self, a: dict[str, Any]) -> dict[str, Any]:
        ephemeral = {**a, "message_ts": self.next_ts()}
        self.ephemerals.append(ephemeral)
        return {"ok": True, "message_ts": ephemeral["message_ts"]}

    def _permalink(self, a: dict[str, Any]) -> dict[str, Any]:
        ts = str(a.get("message_ts", "")).replace(".", "")
        return {
            "ok": True,
            "channel": a.get("channel"),
            "permalink": f"https://playground.slack.example/archives/{a.get('channel')}/p{ts}",
        }

    def _delete(self, a: dict[str, Any]) -> dict[str, Any]:
        kept = [
            m
            for m in self.messages
            if not (m["ts"] == a.get("ts") and m["channel"] == a.get("channel"))
        ]
        if len(kept) == len(self.messages):
            return {"ok": False, "error": "message_not_found"}
        self.messages[:] = kept
        return {"ok": True, "channel": a.get("channel"), "ts": a.get("ts")}

    def _set_status(self, a: dict[str, Any]) -> dict[str, Any]:
        """The Messages tab's "is working" line."""
        if a.get("channel_id") and a.get("thread_ts"):
            return {"ok": True}
        return {"ok": False, "error": "invalid_arguments"}

    def _replies(self, a: dict[str, Any]) -> dict[str, Any]:
        """A thread, oldest first."""
        channel, ts = a.get("channel"), a.get("ts")
        found = [
            m
            for m in self.messages
            if m["channel"] == channel and ts in (m["ts"], m.get("thread_ts"))
        ]
        return _conversation(found, a)

    def _history(self, a: dict[str, Any]) -> dict[str, Any]:
        """A channel's top-level messages, newest first."""
        channel = a.get("channel")
        found = [
            m
            for m in reversed(self.messages)
            if m["channel"] == channel and m.get("thread_ts") in (None, m["ts"])
        ]
        return _conversation(found, a)

    def _open(self, a: dict[str, Any]) -> dict[str, Any]:
        users = str(a.get("users", "")).split(",")[0]
        if self.users.get(users, {}).get("deleted"):
            return {"ok": False, "error": "user_disabled"}
        return {"ok": True, "channel": {"id": "D" + users.lstrip("UW"), "is_im": True}}

    def _user_info(self, a: dict[str, Any]) -> dict[str, Any]:
        user = a.get("user", "")
        profile = self.users.get(user, {"tz": "UTC", "tz_offset": 0})
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": TEAM_ID,
                "name": user.lower(),
                "real_name": f"User {user}",
                **profile,
            },
        }

    def _publish(self, a: dict[str, Any]) -> dict[str, Any]:
        self.views[str(a.get("user_id"))] = a.get("view") or {}
        return {"ok": True, "view": {"id": f"V{next(self._ids):08d}", **(a.get("view") or {})}}

    def _upload_url(self, a: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):08d}"
        self.files[file_id] = {
            "id": file_id,
            "filename": a.get("filename"),
            "length": a.get("length"),
            "content": None,
        }
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}upload/{file_id}"}

    def _complete_upload(self, a: dict[str, Any]) -> dict[str, Any]:
        files = a.get("files") or []
        for f in files:
            record = self.files.setdefault(f["id"], {"id": f["id"], "content": None})
            record.update(
                title=f.get("title"),
                channel=a.get("channel_id"),
                thread_ts=a.get("thread_ts"),
                comment=a.get("initial_comment"),
            )
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}


# The Web API methods answered here (a token it accepts, no fault injected); any other
# is `unknown_method`. OAuth's token exchange, Socket Mode's `apps.connections.open` and the
# `functions.complete*` calls (each with a token of its own) are answered before the token check.
WEB_API_ANSWERS: dict[str, Callable[[WebApiSide, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": WebApiSide._auth_test,
    "auth.revoke": WebApiSide._auth_revoke,
    "team.info": WebApiSide._team_info,
    "chat.postMessage": WebApiSide._post_message,
    "chat.update": WebApiSide._update,
    "chat.postEphemeral": WebApiSide._post_ephemeral,
    "chat.getPermalink": WebApiSide._permalink,
    "chat.delete": WebApiSide._delete,
    "assistant.threads.setStatus": WebApiSide._set_status,
    "conversations.replies": WebApiSide._replies,
    "conversations.history": WebApiSide._history,
    "conversations.open": WebApiSide._open,
    "users.info": WebApiSide._user_info,
    "views.publish": WebApiSide._publish,
    "files.getUploadURLExternal": WebApiSide._upload_url,
    "files.completeUploadExternal": WebApiSide._complete_upload,
}


def _conversation(found: list[dict[str, Any]], a: dict[str, Any]) -> dict[str, Any]:
    """`conversations.replies`/`.history`'s answer: metadata only with `include_all_metadata`."""
    with_metadata = str(a.get("include_all_metadata", "")).lower() in ("1", "true")
    shown = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in found]
    return {"ok": True, "messages": shown, "has_more": False, "response_metadata": {}}
