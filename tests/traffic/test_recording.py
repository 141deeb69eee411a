"""The recording format: credentials redacted, the rest kept byte for byte, bad files named."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from mockserver.traffic.recording import (FORMAT, VERSION, RecordingError, body_record, read_recording,
                                          redact_header_pairs, redact_query_in_place)


def test_query_credentials_are_masked_and_every_other_byte_kept() -> None:
    assert redact_query_in_place("source=my%20app&apikey=k3y&limit=1&APIKEY=x&flag") == \
        "source=my%20app&apikey=***&limit=1&APIKEY=***&flag"
    assert redact_query_in_place("") == ""


def test_headers_are_one_dict_with_credentials_and_cookies_masked() -> None:
    headers = redact_header_pairs([("Authorization", "Bearer t"), ("apikey", "k"), ("Set-Cookie", "a=1"),
                                   ("Set-Cookie", "b=2"), ("Accept", "application/json")])
    assert headers == {"authorization": "***", "apikey": "***", "set-cookie": "***, ***", "accept": "application/json"}


def test_bodies_are_redacted_text_or_base64() -> None:
    text = body_record(b'{"username": "u", "password": "hunter2", "token": {"access_token": "a"}}', "application/json")
    assert json.loads(text["body"]) == {"username": "u", "password": "***", "token": "***"}
    assert text["body_encoding"] == "text" and not text["body_truncated"]
    xml = body_record(b"<User><UserName>u</UserName><Password>p</Password></User>", "application/xml")
    assert "<Password>***</Password>" in xml["body"]
    binary = body_record(b"\xff\xd8\xff\xe0 a jpeg", "image/jpeg")
    assert binary["body_encoding"] == "base64" and base64.b64decode(binary["body"]) == b"\xff\xd8\xff\xe0 a jpeg"


@pytest.mark.parametrize(("line", "says"), [
    ("{not json", "2: not JSON"),
    ('{"format": "something"}', "2: not an exchange of an lms-mockserver recording"),
    (json.dumps({"format": FORMAT, "version": VERSION + 1}), f"2: format version {VERSION + 1}"),
])
def test_a_bad_line_is_named(tmp_path: Path, line: str, says: str) -> None:
    path = tmp_path / "traffic.jsonl"
    path.write_text(json.dumps({"format": FORMAT, "version": VERSION, "seq": 1}) + "\n" + line + "\n")
    with pytest.raises(RecordingError, match=says):
        read_recording(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="cannot be read"):
        read_recording(tmp_path / "nothing.jsonl")
