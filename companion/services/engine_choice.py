"""Which language-model engine an account chose in the panel, stored with the account.

``None`` means "automatic": the server's routing policy decides. A choice is used before the
global routing (see :meth:`companion.llm.orchestrator.Orchestrator.route`); ``local`` and
``offline`` keep that account's messages on this machine.
"""

from __future__ import annotations

from typing import Any

from companion.db import Database, User
from companion.llm.base import Provider
from companion.llm.orchestrator import ENGINE_CHOICES, OFFLINE, Orchestrator

__all__ = ["AUTO", "ENGINE_CHOICES", "engine_options", "get_engine_choice", "set_engine_choice"]

AUTO = "auto"


def _clean(value: str | None) -> str | None:
    """A stored value that is no longer a choice (written by a newer version) means automatic."""
    return value if value in ENGINE_CHOICES else None


def get_engine_choice(db: Database, user_id: int) -> str | None:
    with db.session() as session:
        user = session.get(User, user_id)
        return _clean(user.api_provider) if user is not None else None


def set_engine_choice(db: Database, user_id: int, engine: str | None) -> str | None:
    """Store ``engine`` (``None`` or ``"auto"``: automatic); ValueError for anything else."""
    if engine == AUTO:
        engine = None
    if engine is not None and engine not in ENGINE_CHOICES:
        raise ValueError(f"unknown engine {engine!r}")
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError("no such account")
        user.api_provider = engine
    return engine


def _name(provider: Provider) -> str:
    """What the panel calls it: "GLM-4.6", "MiniMax-M2", or the local model's own name."""
    return provider.model if provider.name == "local" else provider.label


def engine_options(llm: Orchestrator) -> list[dict[str, Any]]:
    """What the panel offers: automatic (named by the routing it follows), each provider (with
    what to configure when it is not set up here) and offline."""
    tasks = ("conversation", "structured")
    routing = [_name(p) for p in llm.route("conversation")]
    options: list[dict[str, Any]] = [
        {
            "id": AUTO,
            "name": " → ".join([*routing, OFFLINE]),
            "available": True,
            "setup": None,
            "on_machine": all(p.name == "local" for t in tasks for p in llm.route(t)),
        }
    ]
    for name in ("glm", "minimax", "local"):
        provider = llm.providers.get(name)
        if provider is None:
            continue
        env = getattr(getattr(provider, "endpoint", None), "env", {})
        options.append(
            {
                "id": name,
                "name": _name(provider),
                "available": provider.configured,
                "setup": None if provider.configured else env.get("setup") or env.get("key"),
                "on_machine": name == "local",
            }
        )
    options.append(
        {"id": OFFLINE, "name": OFFLINE, "available": True, "setup": None, "on_machine": True}
    )
    return options
