"""What can go wrong talking to a provider, as typed errors the orchestrator can act on.

Providers signal failure three ways: an HTTP status, a business code (GLM: ``{"error": {"code":
"1113"}}``, a string; MiniMax: ``base_resp.status_code`` inside an HTTP 200, or a number only
inside the message text, "… (2013)"), and odd finish reasons. Everything is mapped here to one
class per *what the producer should do*, with ``retryable`` deciding retries and
``counts_as_failure`` deciding whether the circuit breaker should hold it against the provider.
Messages exist in English and Spanish and name the setting to fix. Provider text is scrubbed of
anything key-like before it is stored, so an exception can be logged or shown safely.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal

__all__ = [
    "AuthError",
    "BadResponseError",
    "ContentFilterError",
    "ContextTooLongError",
    "ExtractionError",
    "HungError",
    "InsufficientBalanceError",
    "InvalidRequestError",
    "LLMError",
    "LLMTimeoutError",
    "LocalUnreachableError",
    "ModelNotFoundError",
    "NotConfiguredError",
    "QuotaExceededError",
    "RateLimitError",
    "ServerError",
    "UnreachableError",
    "glm_error",
    "local_error",
    "minimax_error",
    "redact",
]

Lang = Literal["es", "en"]

_KEYLIKE = re.compile(
    r"(?i)(bearer\s+)\S+|\b(sk|sk-api|sk-cp)-[A-Za-z0-9_\-]{6,}|\b[0-9a-f]{32}\.[A-Za-z0-9]{8,}\b"
)
MAX_DETAIL = 300


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` without the given secrets or anything shaped like an API key or bearer token."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return _KEYLIKE.sub(lambda m: (m.group(1) or "") + "***", text)


class LLMError(Exception):
    """Base class: ``provider`` is the display label ("GLM-4.6"), ``env`` names its settings."""

    retryable: ClassVar[bool] = False
    counts_as_failure: ClassVar[bool] = True  # does this say the provider is unhealthy?
    trips: ClassVar[bool] = False  # opens the circuit at once, without waiting for a streak
    kind: ClassVar[str] = "error"
    _en: ClassVar[str] = "{label} failed"
    _es: ClassVar[str] = "{label} falló"

    def __init__(
        self,
        provider: str,
        detail: str = "",
        *,
        status: int | None = None,
        code: str | None = None,
        env: Mapping[str, str] | None = None,
        secrets: Iterable[str | None] = (),
    ) -> None:
        self.provider = provider
        self.detail = redact(str(detail), secrets)[:MAX_DETAIL]
        self.status = status
        self.code = code
        self.env = dict(env or {})
        super().__init__(self._describe())

    def _fields(self) -> dict[str, str]:
        return {
            "label": self.provider,
            "key_env": self.env.get("key", "the API key setting"),
            "setup_env": self.env.get("setup") or self.env.get("key", "the API key setting"),
            "url_env": self.env.get("url", "the base URL setting"),
            "model_env": self.env.get("model", "the model setting"),
            "url": self.env.get("url_value", "its endpoint"),
        }

    @property
    def message_en(self) -> str:
        return self._en.format(**self._fields())

    @property
    def message_es(self) -> str:
        return self._es.format(**self._fields())

    def user_message(self, language: str = "en") -> str:
        """What to tell the producer, in their language; never contains provider internals."""
        return self.message_es if language == "es" else self.message_en

    def _describe(self) -> str:
        facts = [f"HTTP {self.status}"] if self.status else []
        facts += [f"code {self.code}"] if self.code else []
        text = self.message_en
        if facts:
            text += f" [{', '.join(facts)}]"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._describe()!r})"


class NotConfiguredError(LLMError):
    counts_as_failure = False
    kind = "not_configured"
    _en = "{label} is not configured: set {setup_env} to use it"
    _es = "{label} no está configurado: define {setup_env} para usarlo"


class AuthError(LLMError):
    kind = "auth"
    _en = (
        "{label} rejected the API key: check {key_env} (keys only work in their own region, "
        "see MUSIAIA_LLM_REGION)"
    )
    _es = (
        "{label} rechazó la clave de API: revisa {key_env} (cada clave solo vale en su región, "
        "mira MUSIAIA_LLM_REGION)"
    )


class InsufficientBalanceError(LLMError):
    kind = "insufficient_balance"
    _en = (
        "{label} says the account has no balance left: top it up in the provider's console "
        "(a coding-plan key on the pay-as-you-go endpoint gives this error too; check {key_env})"
    )
    _es = (
        "{label} dice que la cuenta no tiene saldo: recárgala en la consola del proveedor "
        "(una clave de plan de programación en el endpoint de pago por uso también da este error; "
        "revisa {key_env})"
    )


class QuotaExceededError(LLMError):
    kind = "quota"
    _en = "{label} usage limit is used up for now: wait until it resets or raise it in the console"
    _es = (
        "Se agotó el límite de uso de {label} por ahora: espera a que se renueve o amplíalo en la "
        "consola"
    )


class RateLimitError(LLMError):
    retryable = True
    kind = "rate_limit"
    _en = "{label} is busy (rate or concurrency limit): try again in a moment"
    _es = "{label} está saturado (límite de peticiones o de concurrencia): inténtalo en un momento"


class ContentFilterError(LLMError):
    counts_as_failure = False  # about this message, not about the provider
    kind = "content_filter"
    _en = "{label} refused the message with its content filter: try rephrasing it"
    _es = "{label} rechazó el mensaje por su filtro de contenido: prueba a reformularlo"


class InvalidRequestError(LLMError):
    counts_as_failure = False
    kind = "invalid_request"
    _en = "{label} rejected the request as invalid: check {model_env} and {url_env}"
    _es = "{label} rechazó la petición por no válida: revisa {model_env} y {url_env}"


class ModelNotFoundError(InvalidRequestError):
    """A local server without that model (Ollama: "model … not found, try pulling it first")."""

    counts_as_failure = True  # every request will fail the same way until someone fixes it
    kind = "model_not_found"
    _en = (
        "{label}: the server at {url} does not have this model: download or load it first "
        "(Ollama: ollama pull <model>), or check {model_env}"
    )
    _es = (
        "{label}: el servidor en {url} no tiene este modelo: descárgalo o cárgalo antes "
        "(Ollama: ollama pull <modelo>), o revisa {model_env}"
    )


class ContextTooLongError(LLMError):
    counts_as_failure = False
    kind = "context_too_long"
    _en = "The conversation is too long for {label}: start a new chat or shorten the message"
    _es = (
        "La conversación es demasiado larga para {label}: empieza un chat nuevo o acorta el mensaje"
    )


class ServerError(LLMError):
    retryable = True
    kind = "server"
    _en = "{label} had a server error: try again in a moment"
    _es = "{label} tuvo un error en su servidor: inténtalo de nuevo en un momento"


class UnreachableError(ServerError):
    kind = "unreachable"
    _en = "Cannot reach {label} at {url}: check the internet connection or {url_env}"
    _es = "No se puede conectar con {label} en {url}: revisa la conexión a internet o {url_env}"


class LocalUnreachableError(UnreachableError):
    kind = "unreachable"
    _en = (
        "Cannot reach {label} at {url}: is the local model server running (e.g. ollama serve)? "
        "Check {url_env}"
    )
    _es = (
        "No se puede conectar con {label} en {url}: ¿está en marcha el servidor del modelo local "
        "(p. ej. ollama serve)? Revisa {url_env}"
    )


class LLMTimeoutError(LLMError):
    """The provider itself said it timed out (HTTP 408/504, MiniMax 1001): worth a retry."""

    retryable = True
    kind = "timeout"
    _en = (
        "{label} took too long to answer: try again, or raise MUSIAIA_LLM_FIRST_TOKEN_TIMEOUT / "
        "MUSIAIA_LLM_IDLE_TIMEOUT"
    )
    _es = (
        "{label} tardó demasiado en responder: inténtalo de nuevo o sube "
        "MUSIAIA_LLM_FIRST_TOKEN_TIMEOUT / MUSIAIA_LLM_IDLE_TIMEOUT"
    )


class HungError(LLMTimeoutError):
    """Nothing came back in time: no byte, no token. Retrying would only multiply the wait,
    so it is not retried, and it opens the provider's circuit at once."""

    retryable = False
    trips = True
    kind = "hang"
    _en = (
        "{label} took too long to answer (stuck, overloaded or still loading its model): "
        "it is skipped for a while. The waits are MUSIAIA_LLM_UNDERSTAND_BUDGET and "
        "MUSIAIA_LLM_ANSWER_BUDGET"
    )
    _es = (
        "{label} tardó demasiado en responder (bloqueado, saturado o cargando su modelo): "
        "se deja de usar durante un rato. Las esperas son MUSIAIA_LLM_UNDERSTAND_BUDGET y "
        "MUSIAIA_LLM_ANSWER_BUDGET"
    )


class BadResponseError(LLMError):
    kind = "bad_response"
    _en = "{label} sent an answer MusiaIA could not read: try again"
    _es = "{label} envió una respuesta que MusiaIA no pudo leer: inténtalo de nuevo"


class ExtractionError(BadResponseError):
    """The model answered, but not with valid requirements even after being told what was wrong."""

    counts_as_failure = False
    kind = "extraction"
    _en = "{label} did not return valid requirements: using the offline parser instead"
    _es = "{label} no devolvió requisitos válidos: se usa el analizador sin conexión"

    def __init__(self, provider: str, errors: list[str], **kwargs: Any) -> None:
        self.errors = errors
        super().__init__(provider, "; ".join(errors), **kwargs)


# ------------------------------------------------------------------------------ mapping

_GLM_CODES: dict[str, type[LLMError]] = {
    **dict.fromkeys(("1000", "1001", "1002", "1003", "1004"), AuthError),
    **{str(c): AuthError for c in range(1110, 1122)},  # account missing, locked, …
    "1113": InsufficientBalanceError,
    **{str(c): InvalidRequestError for c in range(1210, 1235)},
    "1261": ContextTooLongError,
    "1301": ContentFilterError,
    "1302": RateLimitError,
    "1303": RateLimitError,
    "1305": RateLimitError,
    **dict.fromkeys(("1304", "1308", "1309", "1310", "1313"), QuotaExceededError),
    "1234": ServerError,  # "network error"
    "500": ServerError,
}

_MINIMAX_CODES: dict[str, type[LLMError]] = {
    "1000": ServerError,
    "1001": LLMTimeoutError,
    "1002": RateLimitError,
    "1004": AuthError,
    "1008": InsufficientBalanceError,
    "1024": ServerError,
    "1026": ContentFilterError,
    "1027": ContentFilterError,
    "1033": ServerError,
    "1039": RateLimitError,
    "1041": RateLimitError,
    "1042": InvalidRequestError,
    "2013": InvalidRequestError,
    "2045": RateLimitError,
    "2049": AuthError,
    "2056": QuotaExceededError,
    "2061": InvalidRequestError,
}

_CODE_IN_TEXT = re.compile(r"\((\d{3,5})\)|\[(\d{3,5})\]")
_CONTEXT_WORDS = re.compile(r"context|too long|max.{0,12}length|token limit", re.IGNORECASE)


def by_status(status: int | None, message: str = "") -> type[LLMError]:
    """The error class an HTTP status implies when no business code says more."""
    if status in (401, 403):
        return AuthError
    if status == 402:
        return InsufficientBalanceError
    if status in (408, 504):
        return LLMTimeoutError
    if status == 413:
        return ContextTooLongError
    if status == 429:
        return RateLimitError
    if status is not None and 400 <= status < 500:
        return ContextTooLongError if _CONTEXT_WORDS.search(message) else InvalidRequestError
    if status is not None and status >= 500:
        return ServerError
    return BadResponseError


def _code(raw: object) -> str | None:
    """An error code as sent (a string or a number); null or empty is no code."""
    return str(raw) if raw not in (None, "") else None


def _code_from_text(text: str) -> str | None:
    match = _CODE_IN_TEXT.search(text)
    return next((g for g in match.groups() if g), None) if match else None


def _error_object(body: Any) -> Mapping[str, Any]:
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        return body["error"]
    return {}


def glm_error(
    status: int | None,
    body: Any,
    *,
    label: str,
    env: Mapping[str, str],
    secrets: Iterable[str | None],
) -> LLMError:
    """``{"error": {"code": "1302", "message": "…"}}`` (also the Anthropic-style variant)."""
    error = _error_object(body)
    message = str(error.get("message") or (body if isinstance(body, str) else ""))
    code = _code(error.get("code")) or _code_from_text(message)
    cls = _GLM_CODES.get(code or "") or by_status(status, message)
    return cls(label, message, status=status, code=code, env=env, secrets=secrets)


def minimax_error(
    status: int | None,
    body: Any,
    *,
    label: str,
    env: Mapping[str, str],
    secrets: Iterable[str | None],
) -> LLMError:
    """``base_resp.status_code`` inside a 200, or an Anthropic-style body with "(2013)" in text."""
    code: str | None = None
    message = ""
    if isinstance(body, Mapping):
        base = body.get("base_resp")
        if isinstance(base, Mapping) and base.get("status_code") not in (None, 0, "0"):
            code, message = str(base["status_code"]), str(base.get("status_msg") or "")
        error = _error_object(body)
        if code is None and error:
            message = str(error.get("message") or "")
            code = _code(error.get("code")) or _code_from_text(message)
    elif isinstance(body, str):
        message, code = body, _code_from_text(body)
    cls = _MINIMAX_CODES.get(code or "") or by_status(status if status != 200 else None, message)
    return cls(label, message, status=status, code=code, env=env, secrets=secrets)


def _message_code_type(holder: Mapping[str, Any]) -> tuple[str, str | None, str]:
    message, kind = holder.get("message"), holder.get("type")
    return str(message or ""), _code(holder.get("code")), str(kind or "")


def _local_message(body: Any) -> tuple[str, str | None, str]:
    """(message, code, type) from the error shapes local servers use: ``{"error": {...}}``
    (Ollama's /v1, llama.cpp; ``code`` may be a number or null), ``{"error": "text"}`` (LM
    Studio, Ollama's native API), vLLM's top-level ``{"object": "error", "message": ...}``,
    or plain text."""
    if isinstance(body, str):
        return body, None, ""
    if not isinstance(body, Mapping):
        return "", None, ""
    error = body.get("error")
    if isinstance(error, Mapping):
        return _message_code_type(error)
    if isinstance(error, str):
        return error, None, ""
    if body.get("object") == "error" or "message" in body:
        return _message_code_type(body)
    return "", None, ""


_MODEL_MISSING = re.compile(r"not found|pull|no such model|does not exist|not loaded", re.I)


def local_error(
    status: int | None,
    body: Any,
    *,
    label: str,
    env: Mapping[str, str],
    secrets: Iterable[str | None],
) -> LLMError:
    """An OpenAI-compatible local server (Ollama, LM Studio, llama.cpp, vLLM): no business
    codes, so the HTTP status decides; a 200 carrying an error (in a stream) is a server error
    when it says so, else an unreadable answer."""
    message, code, kind = _local_message(body)
    cls: type[LLMError]
    if status == 404 and _MODEL_MISSING.search(message) and "model" in message.lower():
        cls = ModelNotFoundError
    elif status in (None, 200):
        numeric = int(code) if code and code.isdigit() else None
        server_side = (numeric or 0) >= 500 or kind in ("server_error", "api_error")
        cls = ServerError if server_side else BadResponseError
    else:
        cls = by_status(status, message)
    return cls(label, message, status=status, code=code, env=env, secrets=secrets)
