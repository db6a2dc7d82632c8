"""LLM settings: provider keys, endpoints, routing, timeouts, retries and the circuit breaker.

The provider variables keep the names producers already use (``GLM46_API_KEY``,
``MINIMAX_API_KEY``, …, no prefix); MusiaIA's own knobs are ``MUSIAIA_LLM_*``, including the
local OpenAI-compatible server (``MUSIAIA_LLM_LOCAL_*``: Ollama, LM Studio, llama.cpp, vLLM).
Keys are :class:`~pydantic.SecretStr`, so they never show in reprs, dumps or logs.

Two budgets bound what a producer can wait, whatever the retries and the number of providers:
``understand_budget`` (then the offline parser) and ``answer_budget`` (silence before the
offline answer); ``slow_notice`` is when the producer is told a model is slow.
"""

from __future__ import annotations

import json
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "DEFAULT_ROUTING",
    "PROVIDERS",
    "TASKS",
    "LLMSettings",
    "RoutingPolicy",
    "parse_routing",
]

PROVIDERS: tuple[str, ...] = ("local", "glm", "minimax")
TASKS: tuple[str, ...] = ("structured", "conversation")

# A local server is only used once someone set it up (no default URL), and then it is what they
# want: it keeps requests on the machine. Structured extraction then wants GLM's JSON mode;
# conversation prefers MiniMax's long, cheap answers.
DEFAULT_ROUTING = "structured=local,glm,minimax;conversation=local,minimax,glm"

_TASK_ALIASES = {
    "structured": "structured",
    "understanding": "structured",
    "understand": "structured",
    "extraction": "structured",
    "conversation": "conversation",
    "chat": "conversation",
    "answer": "conversation",
}
_PROVIDER_ALIASES = {
    "glm": "glm",
    "glm46": "glm",
    "glm-4.6": "glm",
    "zai": "glm",
    "z.ai": "glm",
    "zhipu": "glm",
    "minimax": "minimax",
    "minimax-m2": "minimax",
    "local": "local",
    "ollama": "local",
    "lmstudio": "local",
    "lm-studio": "local",
    "llama.cpp": "local",
    "llamacpp": "local",
    "vllm": "local",
    "openai-compatible": "local",
}
_OFFLINE_WORDS = {"", "offline", "none", "off"}

_BASE_URLS = {
    ("glm", "international"): "https://api.z.ai/api/paas/v4",
    ("glm", "mainland"): "https://open.bigmodel.cn/api/paas/v4",
    ("minimax", "international"): "https://api.minimax.io/v1",
    ("minimax", "mainland"): "https://api.minimaxi.com/v1",
}

RoutingPolicy = dict[str, tuple[str, ...]]


def _providers(value: object, task: str) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError(f"routing for {task!r} must be a list of providers")
    chosen: list[str] = []
    for item in items:
        name = str(item).strip().lower()
        if name in _OFFLINE_WORDS:
            continue
        if name not in _PROVIDER_ALIASES:
            raise ValueError(
                f"unknown provider {item!r} in MUSIAIA_LLM_ROUTING "
                "(use local, glm, minimax or offline)"
            )
        if _PROVIDER_ALIASES[name] not in chosen:
            chosen.append(_PROVIDER_ALIASES[name])
    return tuple(chosen)


def parse_routing(text: str) -> RoutingPolicy:
    """Read ``MUSIAIA_LLM_ROUTING``: which providers to try, in order, for each task.

    Two spellings are accepted; tasks left out keep the default order:

    - ``structured=local,glm,minimax;conversation=minimax,glm`` (``understanding``/``chat`` are
      aliases; ``ollama``, ``lmstudio``, ``llama.cpp``, ``vllm`` are aliases of ``local``)
    - JSON: ``{"structured": ["glm"], "conversation": ["minimax", "glm"]}``

    ``offline`` (or an empty list) means "no LLM for this task": the offline engine answers.
    """
    policy: RoutingPolicy = {
        "structured": ("local", "glm", "minimax"),
        "conversation": ("local", "minimax", "glm"),
    }
    text = (text or "").strip()
    if not text:
        return policy
    if text.startswith("{"):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"MUSIAIA_LLM_ROUTING is not valid JSON: {exc.msg}") from exc
        if not isinstance(raw, dict):
            raise ValueError("MUSIAIA_LLM_ROUTING JSON must be an object")
        pairs = list(raw.items())
    else:
        pairs = []
        for clause in filter(None, (c.strip() for c in text.split(";"))):
            task, sep, providers = clause.partition("=")
            if not sep:
                raise ValueError(
                    f"MUSIAIA_LLM_ROUTING clause {clause!r} must look like task=provider,provider"
                )
            pairs.append((task, providers))
    for task, providers in pairs:
        name = _TASK_ALIASES.get(str(task).strip().lower())
        if name is None:
            raise ValueError(
                f"unknown task {task!r} in MUSIAIA_LLM_ROUTING (use structured or conversation)"
            )
        policy[name] = _providers(providers, name)
    return policy


def _env(name: str, field: str) -> AliasChoices:
    return AliasChoices(name, field)


class LLMSettings(BaseSettings):
    """Everything the LLM layer reads from the environment (no prefix: the names are explicit)."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    glm_api_key: SecretStr | None = Field(
        None, validation_alias=_env("GLM46_API_KEY", "glm_api_key")
    )
    minimax_api_key: SecretStr | None = Field(
        None, validation_alias=_env("MINIMAX_API_KEY", "minimax_api_key")
    )
    glm_base_url: str | None = Field(None, validation_alias=_env("GLM46_BASE_URL", "glm_base_url"))
    minimax_base_url: str | None = Field(
        None, validation_alias=_env("MINIMAX_BASE_URL", "minimax_base_url")
    )
    glm_model: str = Field("glm-4.6", validation_alias=_env("GLM46_MODEL", "glm_model"))
    minimax_model: str = Field(
        "MiniMax-M2", validation_alias=_env("MINIMAX_MODEL", "minimax_model")
    )
    region: Literal["international", "mainland"] = Field(
        "international", validation_alias=_env("MUSIAIA_LLM_REGION", "region")
    )
    routing: str = Field(DEFAULT_ROUTING, validation_alias=_env("MUSIAIA_LLM_ROUTING", "routing"))

    # Any OpenAI-compatible local server. Configured once both the URL and the model are set.
    local_base_url: str | None = Field(
        None, validation_alias=_env("MUSIAIA_LLM_LOCAL_BASE_URL", "local_base_url")
    )
    local_model: str | None = Field(
        None, validation_alias=_env("MUSIAIA_LLM_LOCAL_MODEL", "local_model")
    )
    local_api_key: SecretStr | None = Field(
        None, validation_alias=_env("MUSIAIA_LLM_LOCAL_API_KEY", "local_api_key")
    )  # Ollama and LM Studio need none; llama.cpp/vLLM started with --api-key do
    local_json: Literal["object", "off"] = Field(
        "object", validation_alias=_env("MUSIAIA_LLM_LOCAL_JSON", "local_json")
    )  # "object": response_format json_object for extraction (dropped if the server refuses it)
    local_reasoning: Literal["", "none", "low", "medium", "high"] = Field(
        "", validation_alias=_env("MUSIAIA_LLM_LOCAL_REASONING", "local_reasoning")
    )  # chat only, sent as reasoning_effort; "" leaves the model's default. Extraction asks "none"

    # What a producer may wait, whatever the retries and the number of providers.
    understand_budget: float = Field(
        10.0, gt=0, validation_alias=_env("MUSIAIA_LLM_UNDERSTAND_BUDGET", "understand_budget")
    )  # from the message to the understanding; then the offline parser decides
    answer_budget: float = Field(
        15.0, gt=0, validation_alias=_env("MUSIAIA_LLM_ANSWER_BUDGET", "answer_budget")
    )  # longest silence (no token, no reasoning) before the offline answer streams
    slow_notice: float = Field(
        4.0, ge=0, validation_alias=_env("MUSIAIA_LLM_SLOW_NOTICE", "slow_notice")
    )  # when the producer is told the model is slow (once per step)

    connect_timeout: float = Field(
        10.0, gt=0, validation_alias=_env("MUSIAIA_LLM_CONNECT_TIMEOUT", "connect_timeout")
    )
    first_token_timeout: float = Field(
        60.0, gt=0, validation_alias=_env("MUSIAIA_LLM_FIRST_TOKEN_TIMEOUT", "first_token_timeout")
    )
    idle_timeout: float = Field(
        30.0, gt=0, validation_alias=_env("MUSIAIA_LLM_IDLE_TIMEOUT", "idle_timeout")
    )
    # Bound on one provider attempt (retries included), so a slow trickle cannot hold a chat.
    total_timeout: float = Field(
        180.0, gt=0, validation_alias=_env("MUSIAIA_LLM_TOTAL_TIMEOUT", "total_timeout")
    )

    max_retries: int = Field(
        2, ge=0, le=5, validation_alias=_env("MUSIAIA_LLM_MAX_RETRIES", "max_retries")
    )
    retry_backoff: float = Field(
        0.5, ge=0, validation_alias=_env("MUSIAIA_LLM_RETRY_BACKOFF", "retry_backoff")
    )
    retry_backoff_max: float = Field(
        8.0, ge=0, validation_alias=_env("MUSIAIA_LLM_RETRY_BACKOFF_MAX", "retry_backoff_max")
    )

    breaker_failures: int = Field(
        3, ge=1, validation_alias=_env("MUSIAIA_LLM_BREAKER_FAILURES", "breaker_failures")
    )
    breaker_cooldown: float = Field(
        60.0, ge=0, validation_alias=_env("MUSIAIA_LLM_BREAKER_COOLDOWN", "breaker_cooldown")
    )

    glm_thinking: bool = Field(
        False, validation_alias=_env("MUSIAIA_LLM_GLM_THINKING", "glm_thinking")
    )  # chat only: extraction always sends thinking disabled
    max_tokens: int = Field(
        4096, ge=16, validation_alias=_env("MUSIAIA_LLM_MAX_TOKENS", "max_tokens")
    )
    context_tokens: int = Field(
        6000, ge=500, validation_alias=_env("MUSIAIA_LLM_CONTEXT_TOKENS", "context_tokens")
    )
    chat_temperature: float | None = Field(
        None, ge=0, le=1, validation_alias=_env("MUSIAIA_LLM_TEMPERATURE", "chat_temperature")
    )

    @field_validator("glm_api_key", "minimax_api_key", "local_api_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, SecretStr) and not value.get_secret_value().strip():
            return None
        return value

    @field_validator("local_model", mode="before")
    @classmethod
    def _blank_model_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if len(value) > 200 or any(ord(c) < 32 for c in value):
                raise ValueError("MUSIAIA_LLM_LOCAL_MODEL is not a model name")
        return value

    @field_validator("local_reasoning", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("glm_base_url", "minimax_base_url", "local_base_url", mode="before")
    @classmethod
    def _clean_url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().rstrip("/")
            if not value:
                return None
            if not value.startswith(("http://", "https://")):
                raise ValueError("a base URL must start with http:// or https://")
        return value

    @field_validator("routing")
    @classmethod
    def _valid_routing(cls, value: str) -> str:
        parse_routing(value)  # fail at start-up, not on the first message
        return value

    @property
    def policy(self) -> RoutingPolicy:
        return parse_routing(self.routing)

    @property
    def glm_url(self) -> str:
        return self.glm_base_url or _BASE_URLS[("glm", self.region)]

    @property
    def minimax_url(self) -> str:
        return self.minimax_base_url or _BASE_URLS[("minimax", self.region)]

    @property
    def local_url(self) -> str | None:
        """The local server's OpenAI-compatible base; a bare ``http://host:port`` gets ``/v1``,
        where Ollama, LM Studio, llama.cpp and vLLM all serve ``/chat/completions``."""
        url = self.local_base_url
        if url is None:
            return None
        if urlsplit(url).path in ("", "/"):
            return url.rstrip("/") + "/v1"
        return url
