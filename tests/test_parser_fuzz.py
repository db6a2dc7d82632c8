"""Property tests: no text crashes the parser.

Any string gives either an Understanding or a ValueError whose message says what was wrong;
nothing else (IndexError, OverflowError, pydantic internals…) may escape to the CLI.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.requirements import Understanding
from companion.understanding.parser import MAX_REQUEST_CHARS, detect_language, understand

# Fragments that drive the parser into its interesting corners: note names and homographs,
# accidentals, numbers (words, huge, decimal, signed), units, list words and edit verbs.
_FRAGMENTS = (
    "la si mi do re fa sol Sí a A e b B # ♯ ♭ bemol sostenido menor mayor m minor major min "
    "en in key of tonalidad tono de a al 124 bpm BPM 2000 0 92.5 92,5 1,000 3.000 +4 -4 "
    "99999999999999999999999 ciento veinte y dos mil one hundred and sixty four compases bars "
    "compás 4/4 6/8 1/3 por ocho con sin no ni not quita añade más menos mucho un poco bajo "
    "batería lead pads house deep tech techno drum & bass d&b drum'n'bass hazlo sube baja "
    "tono octava semitono medio arriba abajo , . ? ¿ ! ¡ : 808 otra nueva cambia el the make "
    "it faster slower busier simpler longer shorter Dom Lam Fa#m Sibm Bb Am AM dB tempo cada "
    "intro 513 0.5 ¿qué what how hola gracias disco mi nuevo garage minimal"
).split()

_mixed = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=30).map(
    " ".join
)
_any_text = st.one_of(st.text(max_size=400), _mixed)


def _assert_understood_or_clear_error(text: str) -> None:
    try:
        result = understand(text)
    except ValueError as error:
        message = str(error)
        assert message, "ValueError without a message"
        assert any(hint in message for hint in ("empty request", "too long", "BPM", "bars")), (
            message
        )
        return
    assert isinstance(result, Understanding)
    assert result.language in ("es", "en")


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(_any_text)
def test_any_text_is_understood_or_rejected_clearly(text: str) -> None:
    _assert_understood_or_clear_error(text)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(min_size=MAX_REQUEST_CHARS - 50, max_size=MAX_REQUEST_CHARS + 50))
def test_long_text_is_understood_or_rejected_clearly(text: str) -> None:
    _assert_understood_or_clear_error(text)


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_detect_language_never_fails(text: str) -> None:
    assert detect_language(text) in ("es", "en")


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(_mixed)
def test_parsing_is_deterministic(text: str) -> None:
    try:
        first = understand(text)
    except ValueError as error:
        second_error: ValueError | None = None
        try:
            understand(text)
        except ValueError as again:
            second_error = again
        assert second_error is not None and str(second_error) == str(error)
        return
    assert understand(text) == first
