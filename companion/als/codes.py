"""Live's numeric encodings that both the writer and the reader need."""

from __future__ import annotations


def time_signature_code(numerator: int, denominator: int) -> int:
    """Live's single-number meter: (numerator − 1) + 99 × log2(denominator); 4/4 → 201."""
    return (numerator - 1) + 99 * (denominator.bit_length() - 1)


def decode_time_signature(code: int) -> tuple[int, int]:
    return code % 99 + 1, 2 ** (code // 99)
