"""Schema-driven fuzzing of the REST API (schemathesis): no input may cause a server error.

Schemathesis reads /openapi.json from a real running server and generates requests for every
operation — valid ones and ones that break the schema; no response may be a 5xx. (Its pytest
plugin does not support pytest 9 yet, so the operations are driven through Hypothesis here.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from server_harness import sign_in, start_server

EXAMPLES = 30


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("fuzz"))
    token = sign_in(server)
    yield server, token
    server.stop()


def fuzz(operation, mode: GenerationMode, base_url: str, headers: dict) -> None:
    """Run one operation's generated cases; raises on the first server error."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def exercise(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=[not_a_server_error])

    exercise()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors(running, mode):
    server, token = running
    schema = schemathesis.openapi.from_url(server.base_url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    failures: list[str] = []
    for operation in operations:
        signing_in = operation.path.endswith("/auth/login")  # keep the rate limit out of it
        headers = {} if signing_in else {"Authorization": f"Bearer {token}"}
        try:
            fuzz(operation, mode, server.base_url, headers)
        except Unsatisfiable:
            continue  # nothing to break in this operation (e.g. no parameters at all)
        except Exception as exc:  # collect every failing operation, not just the first
            failures.append(f"{operation.label}: {str(exc)[:2000]}")
    assert not failures, "\n\n".join(failures)
