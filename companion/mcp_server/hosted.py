"""The tools' backend inside the running companion (see :mod:`companion.mcp_server.endpoint`).

Songs are composed in the companion's worker processes, as chat requests are; progress comes
back from the worker to the agent; a new version also reaches the user's web panel. Live
belongs to the local account, as in the rest of the API.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from companion.accounts import AccountError
from companion.db import User
from companion.mcp_server.backend import Backend, Progress
from companion.server.deps import user_from_token
from companion.server.workers import generate_job, render_job, revise_job

if TYPE_CHECKING:
    from companion.live.bridge import LiveBridge
    from companion.requirements import Requirements, Understanding

log = logging.getLogger("musiaia.mcp")


class Tokens:
    """The SDK's TokenVerifier over MusiaIA's own access tokens."""

    def __init__(self, svc) -> None:
        self.svc = svc

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            user = await self.svc.run(user_from_token, self.svc, token)
        except AccountError:
            return None
        return AccessToken(token=token, client_id=str(user.id), scopes=[], subject=user.username)


def _relay(progress: Progress):
    """A worker-pool listener that passes the job's progress events on."""

    def listener(event: dict[str, Any]) -> None:
        if event.get("type") == "progress":
            progress(event["data"]["percent"], event["data"]["label"])

    return listener


class CompanionBackend(Backend):
    def __init__(self, svc) -> None:
        self.svc = svc
        self.settings = svc.settings

    @property
    def projects(self):
        return self.svc.projects

    @property
    def db(self):
        return self.svc.db

    async def caller(self, ctx: Context) -> User:
        token = get_access_token()
        if token is None:  # the bearer middleware admits nobody without one
            raise ToolError("not signed in")

        def load() -> User | None:
            with self.svc.db.session() as session:
                user = session.get(User, int(token.client_id))
                if user is not None:
                    session.expunge(user)
                return user

        user = await self.svc.run(load)
        if user is None:
            raise ToolError("this account no longer exists")
        return user

    async def run(self, func, *args: Any, **kwargs: Any) -> Any:
        return await self.svc.run(func, *args, **kwargs)

    async def compose(
        self, user: User, requirements: Requirements, seed: int | None, progress: Progress
    ) -> str:
        made = await self.svc.compute(
            generate_job, user.id, requirements.model_dump_json(), seed, listener=_relay(progress)
        )
        return made["project_id"]

    async def revise(
        self, user: User, project_id: str, understanding: Understanding, progress: Progress
    ) -> int:
        made = await self.svc.compute(
            revise_job,
            user.id,
            project_id,
            understanding.model_dump_json(),
            "offline",
            listener=_relay(progress),
        )
        return made["version"]

    async def render(self, user: User, project_id: str, version: int | None) -> dict[str, Any]:
        """In a worker, once per version at a time, shared with the panel's own requests."""
        key = (user.id, project_id, version)
        task = self.svc.renders.get(key)
        if task is None:
            task = asyncio.ensure_future(self.svc.compute(render_job, user.id, project_id, version))
            self.svc.renders[key] = task
            task.add_done_callback(lambda _: self.svc.renders.pop(key, None))
        return await asyncio.shield(task)

    async def live_bridge(self, user: User) -> LiveBridge:
        live = self.svc.live
        if live is None:
            raise ToolError("the Live link is switched off (MUSIAIA_LIVE_ENABLED=false)")
        if live.error:
            raise ToolError(live.error)
        if user.id != live.owner_id:
            raise ToolError("Live on this machine belongs to the local account")
        return live.bridge

    async def announce(self, user: User, project_id: str) -> None:
        try:
            details = await self.svc.run(self.svc.projects.details, user, project_id)
            card = self.svc.projects.card(details)
        except Exception:  # the song is made; only the panel's card is missing
            log.warning("could not tell the panel", extra={"project": project_id}, exc_info=True)
            return
        self.svc.hub.publish(user.id, {"type": "project", "project": card, "source": "mcp"})
