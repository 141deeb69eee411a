"""core/bodies.py: JSON read with orjson's grammar, integers past 64 bits kept exact on request."""

from __future__ import annotations

import pytest

from mockserver.core.bodies import BodyError, json_bytes, loads_exact, may_hold_big_int, parse_json

BIG = 797778501472218525990912


def test_an_integer_past_64_bits_stays_exact() -> None:
    raw = b'{"big": 797778501472218525990912, "small": 1, "name": "\\u00e9"}'
    assert may_hold_big_int(raw)
    value = loads_exact(raw)
    assert value == {"big": BIG, "small": 1, "name": "é"} and type(value["big"]) is int
    assert parse_json(raw, exact=True) == value
    assert isinstance(parse_json(raw)["big"], float)  # Titus's reading: PHP's json_decode gives a float
    assert json_bytes(value) == b'{"big":797778501472218525990912,"small":1,"name":"\xc3\xa9"}'


def test_a_long_digit_run_in_a_string_reads_the_same() -> None:
    raw = b'{"phone": "0034123456789012345678", "n": 18446744073709551615}'
    assert may_hold_big_int(raw)
    assert loads_exact(raw) == {"phone": "0034123456789012345678", "n": 18446744073709551615}
    assert not may_hold_big_int(b'{"n": 184467440737095516}')  # 18 digits: none past 64 bits


@pytest.mark.parametrize("raw", [b"NaN", b'[NaN, 12345678901234567890123]', b'"\\ud800"',
                                 b'["\\ud800", 12345678901234567890123]', b"{", b"[1,]"])
def test_what_orjson_refuses_is_refused_with_or_without_a_big_integer(raw: bytes) -> None:
    with pytest.raises(ValueError):
        loads_exact(raw)
    with pytest.raises(BodyError):
        parse_json(raw, exact=True)


def test_nesting_python_cannot_read_is_a_value_error() -> None:
    raw = b"[" * 1000 + b"12345678901234567890123" + b"]" * 1000  # orjson's limit is 1024 levels
    with pytest.raises(ValueError):
        loads_exact(raw)


def test_an_empty_body_is_refused() -> None:
    with pytest.raises(BodyError, match="empty"):
        parse_json(b"  ", exact=True)
