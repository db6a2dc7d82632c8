"""LLM engines (GLM-4.6, MiniMax-M2) behind one orchestrator that always falls back offline.

Build one :class:`Orchestrator` per process (it owns connection pools and circuit breakers) and
call ``understand`` / ``answer``; see :mod:`companion.llm.orchestrator`.
"""

from companion.llm.errors import LLMError
from companion.llm.orchestrator import OFFLINE, Answered, Orchestrator, ProviderCheck, Understood
from companion.llm.settings import LLMSettings

__all__ = [
    "OFFLINE",
    "Answered",
    "LLMError",
    "LLMSettings",
    "Orchestrator",
    "ProviderCheck",
    "Understood",
]
