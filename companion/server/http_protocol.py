"""uvicorn's HTTP/1.1 protocol, answering requests it cannot parse in JSON like the API does.

A request whose bytes are not valid HTTP never reaches the app: a body longer than its
Content-Length (the extra bytes read as a broken next request), a malformed request line, headers
over h11's size limit. uvicorn answers those itself with a plain-text 400 and closes the
connection; this subclass keeps that behaviour and changes only the body, so every refusal a
client gets from MusiaIA is ``{"detail": "..."}``. h11 is named explicitly, so installing
httptools (``uvicorn[standard]``) does not swap in a parser that answers in plain text again.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

BAD_REQUEST = (
    "the request is not valid HTTP (malformed request line or headers, or a body that does "
    "not match its Content-Length); nothing was done"
)


def bad_request_body() -> bytes:
    return json.dumps({"detail": BAD_REQUEST}).encode()


class JsonErrorH11Protocol(H11Protocol):
    """H11Protocol whose answer to an unparsable request is a JSON 400 (then it closes)."""

    def send_400_response(self, msg: str) -> None:
        body = bad_request_body()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"connection", b"close"),
        ]
        try:
            for event in (
                h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                h11.Data(data=body),
                h11.EndOfMessage(),
            ):
                self.transport.write(self.conn.send(event))
        except h11.LocalProtocolError:
            # A response was already under way on this connection (the app answered the
            # request before the stray bytes came): nothing more can be said in HTTP.
            pass
        self.transport.close()
