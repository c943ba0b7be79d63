"""The request path with injected faults (httpx.MockTransport): errors, retries, hooks, secrets.

Each test runs against both clients: the async one on asyncio and trio, and the sync one.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from prefect_sdk.client import PrefectClient, hookimpl
from prefect_sdk.exceptions import (
    APIConnectionError,
    AuthenticationError,
    ClientClosedError,
    ObjectAlreadyExists,
    ObjectNotFound,
    PluginError,
    PrefectHTTPStatusError,
    ServerValidationError,
    UnexpectedResponseError,
    ValidationError,
)
from prefect_sdk.schemas import CronSchedule
from prefect_sdk.sync import SyncPrefectClient
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio

API = MOCK_API
FLOW = {"id": str(uuid.uuid4()), "name": "f", "created": None, "updated": None}


flavour, anyio_backend, kind = flavour_fixtures()


@pytest.fixture(autouse=True)
def no_csrf(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests count requests; CSRF token traffic is tested in test_csrf.py."""
    monkeypatch.setenv("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "false")


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry waits instead of sleeping."""
    waits: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("prefect_sdk.client._async.async_sleep", async_sleep)
    monkeypatch.setattr("prefect_sdk.sync._api_client.sync_sleep", waits.append)
    return waits


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, ObjectNotFound),
        (409, ObjectAlreadyExists),
        (422, ServerValidationError),
        (500, PrefectHTTPStatusError),
    ],
)
async def test_status_maps_to_exception(kind: str, status: int, error: type[Exception]) -> None:
    handler, _ = respond(httpx.Response(status, json={"detail": "the server's reason"}))
    with pytest.raises(error) as info:
        await call_with(kind, handler, "read_flow", uuid.uuid4())
    exc = info.value
    assert isinstance(exc, PrefectHTTPStatusError)
    assert exc.status_code == status
    assert exc.response.status_code == status and exc.request.method == "GET"
    assert "read_flow" in str(exc) and "the server's reason" in str(exc)
    assert "/api/flows/" in str(exc)


async def test_422_details_are_readable(kind: str) -> None:
    body = {
        "exception_message": "Invalid request received.",
        "exception_detail": [{"loc": ["body", "name"], "msg": "Field required"}],
    }
    handler, _ = respond(httpx.Response(422, json=body))
    with pytest.raises(ValidationError, match=r"body\.name: Field required"):
        await call_with(kind, handler, "create_flow", "x")


async def test_reads_retry_on_503_with_backoff(kind: str, no_sleep: list[float]) -> None:
    handler, seen = respond(
        httpx.Response(503), httpx.Response(502), httpx.Response(200, json=[FLOW])
    )
    flows = await call_with(kind, handler, "read_flows")
    assert [f.name for f in flows] == ["f"]
    assert len(seen) == 3
    # Full jitter: each wait is drawn between 0 and the exponential (0.1 s, then 0.2 s).
    assert len(no_sleep) == 2 and 0 <= no_sleep[0] <= 0.1 and 0 <= no_sleep[1] <= 0.2


async def test_backoff_without_jitter_is_the_exponential(
    kind: str, no_sleep: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_RETRY_JITTER_FACTOR", "0")
    handler, _ = respond(httpx.Response(503), httpx.Response(503), httpx.Response(200, json=[]))
    assert await call_with(kind, handler, "read_flows") == []
    assert no_sleep == [0.1, 0.2]


async def test_retry_after_beyond_the_cap_is_not_waited_for(
    kind: str, no_sleep: list[float]
) -> None:
    handler, seen = respond(httpx.Response(503, headers={"Retry-After": "3600"}))
    with pytest.raises(PrefectHTTPStatusError) as info:
        await call_with(kind, handler, "read_flows")
    assert info.value.status_code == 503 and len(seen) == 1 and no_sleep == []


async def test_the_retry_budget_stops_retries_against_a_failing_server(
    kind: str, no_sleep: list[float]
) -> None:
    # A server that keeps failing: the client's budget (500 tokens, 5 per retry) lasts 100
    # retries, 20 calls of 5 retries each; after that a call fails at its first error.
    handler, seen = respond(httpx.Response(503))
    transport = httpx.MockTransport(handler)
    attempts: list[int] = []
    if kind == "sync":
        with SyncPrefectClient(api=API, httpx_settings={"transport": transport}) as sync_client:
            for _ in range(22):
                before = len(seen)
                with pytest.raises(PrefectHTTPStatusError):
                    sync_client.read_flows()
                attempts.append(len(seen) - before)
    else:
        async with PrefectClient(api=API, httpx_settings={"transport": transport}) as client:
            for _ in range(22):
                before = len(seen)
                with pytest.raises(PrefectHTTPStatusError):
                    await client.read_flows()
                attempts.append(len(seen) - before)
    assert attempts[:20] == [6] * 20
    assert attempts[20:] == [1, 1]


async def test_retry_after_seconds_and_http_date(kind: str, no_sleep: list[float]) -> None:
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    handler, seen = respond(
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(429, headers={"Retry-After": later}),
        httpx.Response(200, json=[]),
    )
    assert await call_with(kind, handler, "read_flows") == []
    assert len(seen) == 3
    assert no_sleep[0] == 7.0
    assert 25 < no_sleep[1] <= 30


async def test_retries_give_up_after_max(
    kind: str, no_sleep: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "2")
    handler, seen = respond(httpx.Response(503, json={"detail": "down"}))
    with pytest.raises(PrefectHTTPStatusError) as info:
        await call_with(kind, handler, "read_flows")
    assert info.value.status_code == 503
    assert len(seen) == 3  # the first attempt and two retries


async def test_extra_retry_codes(
    kind: str, no_sleep: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_RETRY_EXTRA_CODES", "500")
    handler, seen = respond(httpx.Response(500), httpx.Response(200, json=[]))
    assert await call_with(kind, handler, "read_flows") == []
    assert len(seen) == 2


async def test_create_that_may_have_reached_the_server_is_not_retried(
    kind: str, no_sleep: list[float]
) -> None:
    # An artifact create has nothing the server could recognise a repeat by: after a 503 or a
    # read timeout it may have happened, so it is not repeated.
    artifact = {"key": "k", "type": "markdown", "data": "x"}
    handler, seen = respond(httpx.Response(503))
    with pytest.raises(PrefectHTTPStatusError):
        await call_with(kind, handler, "create_artifact", artifact)
    assert len(seen) == 1
    handler, seen = respond(httpx.ReadTimeout("slow"))
    with pytest.raises(APIConnectionError):
        await call_with(kind, handler, "create_artifact", artifact)
    assert len(seen) == 1


POOL = {"id": str(uuid.uuid4()), "name": "p", "type": "process", "description": "d"}


async def test_a_name_unique_create_whose_answer_was_lost_reads_back_on_409(
    kind: str, no_sleep: list[float]
) -> None:
    # The first attempt timed out after the server made the pool; the retry is refused 409:
    # the client reads the pool of that name, which holds what was sent, and returns it.
    handler, seen = respond(
        httpx.ReadTimeout("slow"),
        httpx.Response(409, json={"detail": "A work pool with this name already exists."}),
        httpx.Response(200, json=POOL),
    )
    pool = await call_with(kind, handler, "create_work_pool", "p", description="d")
    assert pool.name == "p" and str(pool.id) == POOL["id"]
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/api/work_pools/"),
        ("POST", "/api/work_pools/"),
        ("GET", "/api/work_pools/p"),
    ]


async def test_a_name_unique_create_refused_409_first_is_object_already_exists(
    kind: str, no_sleep: list[float]
) -> None:
    # Answered 409 at the first attempt: the name was taken before this call. No read-back.
    handler, seen = respond(httpx.Response(409, json={"detail": "exists"}))
    with pytest.raises(ObjectAlreadyExists):
        await call_with(kind, handler, "create_work_pool", "p", description="d")
    assert len(seen) == 1


async def test_a_read_back_that_differs_from_the_request_is_object_already_exists(
    kind: str, no_sleep: list[float]
) -> None:
    # After a lost answer the retry gets 409, but the pool of that name is not the one asked
    # for (another type): somebody else's pool, so the conflict is raised.
    other = {**POOL, "type": "kubernetes"}
    handler, seen = respond(
        httpx.RemoteProtocolError("dropped"),
        httpx.Response(409, json={"detail": "exists"}),
        httpx.Response(200, json=other),
    )
    with pytest.raises(ObjectAlreadyExists):
        await call_with(kind, handler, "create_work_pool", "p", description="d")
    assert len(seen) == 3


PREFECT_BUSY = {"exception_message": "Service Unavailable"}


async def test_the_servers_own_rolled_back_503_is_retried_for_any_call(
    kind: str, no_sleep: list[float]
) -> None:
    # The Prefect server answers this 503 only for retryable database errors, raised inside
    # the request's transaction (rolled back): nothing was done, so even a create is repeated.
    pool = {"id": str(uuid.uuid4()), "name": "p", "type": "process"}
    handler, seen = respond(httpx.Response(503, json=PREFECT_BUSY), httpx.Response(201, json=pool))
    assert (await call_with(kind, handler, "create_work_pool", "p")).name == "p"
    assert len(seen) == 2 and seen[0].content == seen[1].content
    # A 503 in any other shape (a proxy's page) may follow a request that did reach the server.
    artifact = {"key": "k", "type": "markdown", "data": "x"}
    handler, seen = respond(httpx.Response(503, text="<html>busy</html>"))
    with pytest.raises(PrefectHTTPStatusError):
        await call_with(kind, handler, "create_artifact", artifact)
    assert len(seen) == 1


async def test_a_state_change_is_retried_with_one_transition_id(
    kind: str, no_sleep: list[float]
) -> None:
    from prefect_sdk.schemas import SetStateStatus
    from prefect_sdk.states import Running

    run_id = str(uuid.uuid4())
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/csrf-token"):
            return httpx.Response(422, json={"detail": "CSRF protection is disabled."})
        body = json.loads(request.content)
        sent.append(body)
        if len(sent) == 1:
            raise httpx.ReadTimeout("the answer was lost")  # ... after the server made it
        # The retry: the run already made this transition, so the server refuses to repeat it
        # and answers with the current state, which carries our transition id.
        current = {**body["state"], "id": str(uuid.uuid4())}
        current["state_details"] = {**current["state_details"], "flow_run_id": run_id}
        return httpx.Response(
            200,
            json={
                "status": "REJECT",
                "state": current,
                "details": {
                    "type": "reject_details",
                    "reason": "This run has already made this state transition.",
                },
            },
        )

    result = await call_with(kind, handler, "set_flow_run_state", run_id, Running())
    assert len(sent) == 2 and sent[0] == sent[1]  # the same proposal, the same transition id
    transition_id = sent[0]["state"]["state_details"]["transition_id"]
    assert uuid.UUID(transition_id)
    assert result.status is SetStateStatus.ACCEPT
    assert str(result.details.transition_id) == transition_id
    assert result.state.is_running()


@pytest.mark.parametrize("made", [True, False], ids=["made-before-lost", "not-made"])
async def test_a_task_run_state_change_whose_answer_was_lost_is_looked_up_first(
    kind: str, no_sleep: list[float], made: bool
) -> None:
    # Task runs have no server rule refusing a repeated transition: instead of repeating, the
    # client reads the run. Its state carrying our transition id means the first attempt made
    # it (returned as ACCEPT); otherwise the failure is raised, nothing sent again.
    from prefect_sdk.schemas import SetStateStatus
    from prefect_sdk.states import Running

    run_id = str(uuid.uuid4())
    posted: list[dict[str, Any]] = []
    reads: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/csrf-token"):
            return httpx.Response(422, json={"detail": "CSRF protection is disabled."})
        if request.method == "GET":
            reads.append(request.url.path)
            proposal = posted[0]["state"]
            details = {"task_run_id": run_id}
            if made:
                details["transition_id"] = proposal["state_details"]["transition_id"]
            state = {"type": "RUNNING" if made else "PENDING", "state_details": details}
            run = {"id": run_id, "task_key": "t", "dynamic_key": "0", "state": state}
            return httpx.Response(200, json=run)
        posted.append(json.loads(request.content))
        if len(posted) == 1:
            raise httpx.ReadError("connection reset after the server answered")
        return httpx.Response(
            201,
            json={
                "status": "ACCEPT",
                "state": posted[-1]["state"],
                "details": {"type": "accept_details"},
            },
        )

    if not made:
        # The first attempt may still be running on the server: never sent twice.
        with pytest.raises(APIConnectionError):
            await call_with(kind, handler, "set_task_run_state", run_id, Running())
        assert reads == [f"/api/task_runs/{run_id}"] and len(posted) == 1
        return
    result = await call_with(kind, handler, "set_task_run_state", run_id, Running())
    assert reads == [f"/api/task_runs/{run_id}"]
    assert result.status is SetStateStatus.ACCEPT
    assert len(posted) == 1
    assert str(result.details.transition_id) == posted[0]["state"]["state_details"]["transition_id"]


async def test_a_task_run_state_change_that_timed_out_is_not_repeated(
    kind: str, no_sleep: list[float]
) -> None:
    # A timed-out attempt may still be running on the server: the client looks at the run
    # (not there yet) and raises; the proposal is never sent a second time.
    from prefect_sdk.exceptions import APITimeoutError
    from prefect_sdk.states import Running

    run_id = str(uuid.uuid4())
    run = {"id": run_id, "task_key": "t", "dynamic_key": "0", "state": {"type": "PENDING"}}
    handler, seen = respond(httpx.ReadTimeout("slow server"), httpx.Response(200, json=run))
    with pytest.raises(APITimeoutError):
        await call_with(kind, handler, "set_task_run_state", run_id, Running())
    assert [r.method for r in seen] == ["POST", "GET"]


async def test_a_bulk_state_change_by_ids_is_retried_with_one_transition_id(
    kind: str, no_sleep: list[float]
) -> None:
    from prefect_sdk.filters import FlowRunFilter
    from prefect_sdk.schemas import SetStateStatus
    from prefect_sdk.states import Cancelled

    run_ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/csrf-token"):
            return httpx.Response(422, json={"detail": "CSRF protection is disabled."})
        sent.append(json.loads(request.content))
        if len(sent) == 1:
            raise httpx.ReadTimeout("the answer was lost")  # ... after both runs moved
        state = sent[-1]["state"]
        results = [
            {
                "flow_run_id": run_id,
                "status": "REJECT",
                "state": {**state, "id": str(uuid.uuid4())},
                "details": {"type": "reject_details", "reason": "already made"},
            }
            for run_id in run_ids
        ]
        return httpx.Response(200, json={"results": results})

    results = await call_with(
        kind, handler, "bulk_set_flow_run_state", FlowRunFilter(id=run_ids), Cancelled()
    )
    assert len(sent) == 2 and sent[0] == sent[1]
    assert [str(r.flow_run_id) for r in results] == run_ids
    assert all(r.status is SetStateStatus.ACCEPT for r in results)

    # Another filter could match other runs on a repeat: not retried after a lost answer.
    sent.clear()
    with pytest.raises(APIConnectionError):
        await call_with(
            kind, handler, "bulk_set_flow_run_state", FlowRunFilter(tags=["x"]), Cancelled()
        )
    assert len(sent) == 1


async def test_a_refused_transition_of_someone_else_stays_refused(kind: str) -> None:
    from prefect_sdk.schemas import SetStateStatus
    from prefect_sdk.states import Running

    other = {
        "type": "RUNNING",
        "name": "Running",
        "state_details": {"transition_id": str(uuid.uuid4())},
    }
    handler, seen = respond(
        httpx.Response(
            200,
            json={"status": "REJECT", "state": other, "details": {"type": "reject_details"}},
        )
    )
    result = await call_with(kind, handler, "set_flow_run_state", str(uuid.uuid4()), Running())
    assert result.status is SetStateStatus.REJECT and len(seen) == 1


async def test_each_proposal_has_a_transition_id_of_its_own(kind: str) -> None:
    # A state taken from a read carries that transition's id; proposing it again must not
    # look like a repeat of the old transition.
    from prefect_sdk.schemas import StateDetails
    from prefect_sdk.states import Running

    stale = uuid.uuid4()
    proposal = Running().model_copy(update={"state_details": StateDetails(transition_id=stale)})
    accepted = {"status": "ACCEPT", "state": None, "details": {"type": "accept_details"}}
    handler, seen = respond(httpx.Response(200, json=accepted))
    await call_with(kind, handler, "set_flow_run_state", str(uuid.uuid4()), proposal)
    await call_with(kind, handler, "set_flow_run_state", str(uuid.uuid4()), proposal)
    ids = [json.loads(r.content)["state"]["state_details"]["transition_id"] for r in seen]
    assert str(stale) not in ids and len(set(ids)) == 2


async def test_a_forced_state_change_is_not_repeated_after_a_lost_answer(
    kind: str, no_sleep: list[float]
) -> None:
    # force=True skips the server's duplicate-transition rule: a repeat would be a second one.
    from prefect_sdk.states import Running

    handler, seen = respond(httpx.ReadTimeout("lost"))
    with pytest.raises(APIConnectionError):
        await call_with(
            kind, handler, "set_flow_run_state", str(uuid.uuid4()), Running(), force=True
        )
    assert len(seen) == 1


async def test_a_delete_refused_unprocessed_then_missing_is_not_found(
    kind: str, no_sleep: list[float]
) -> None:
    # A 429 did nothing, so a 404 on the retry means there was nothing to delete.
    handler, seen = respond(
        httpx.Response(429), httpx.Response(404, json={"detail": "Flow not found"})
    )
    with pytest.raises(ObjectNotFound):
        await call_with(kind, handler, "delete_flow", str(uuid.uuid4()))
    assert len(seen) == 2


async def test_bad_run_arguments_fail_before_the_flow_is_registered(kind: str) -> None:
    handler, seen = respond(httpx.Response(500))
    with pytest.raises(ValidationError, match="state"):
        await call_with(kind, handler, "create_flow_run", "etl", state={"type": "RUNNING"})
    with pytest.raises(ValidationError) as info:
        await call_with(
            kind, handler, "create_flow_run", "etl", labels={"x": {"password": "hunter2"}}
        )
    # The error names the field, not its value, and chains nothing that quotes it.
    assert "hunter2" not in str(info.value) and info.value.__cause__ is None
    with pytest.raises(ValidationError, match="list of strings"):
        await call_with(kind, handler, "create_flow", "etl", tags="prod")
    assert seen == []


async def test_create_is_retried_when_it_never_left(kind: str, no_sleep: list[float]) -> None:
    pool = {"id": str(uuid.uuid4()), "name": "p", "type": "process"}
    handler, seen = respond(httpx.ConnectError("refused"), httpx.Response(201, json=pool))
    assert (await call_with(kind, handler, "create_work_pool", "p")).name == "p"
    assert len(seen) == 2


async def test_flow_run_create_keeps_one_idempotency_key_across_retries(
    kind: str, no_sleep: list[float]
) -> None:
    run = {"id": str(uuid.uuid4()), "flow_id": FLOW["id"], "name": "r"}
    handler, seen = respond(
        httpx.ReadTimeout("lost answer"), httpx.Response(503), httpx.Response(200, json=run)
    )
    result = await call_with(kind, handler, "create_flow_run", uuid.UUID(FLOW["id"]))
    assert str(result.id) == run["id"]
    keys = {json.loads(r.content)["idempotency_key"] for r in seen}
    assert len(seen) == 3 and len(keys) == 1


async def test_connection_error_message(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    handler, _ = respond(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError, match="Is a Prefect server running"):
        await call_with(kind, handler, "read_flows")


async def test_bad_input_fails_before_any_request(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[]))
    with pytest.raises(ValidationError, match="flow_id"):
        await call_with(kind, handler, "read_flow", "nope")
    with pytest.raises(ValidationError, match="offset"):
        await call_with(kind, handler, "read_flows", offset=-5)
    with pytest.raises(ValidationError, match="dynamic_key"):
        await call_with(kind, handler, "create_task_run", "t", uuid.uuid4(), "")
    with pytest.raises(ValidationError, match="schedule"):
        await call_with(kind, handler, "create_deployment", uuid.uuid4(), "d", schedule="0 9 * * *")
    with pytest.raises(ValueError, match="must have 5 fields"):
        CronSchedule(cron="bad")
    assert seen == []


async def test_api_key_is_sent_and_never_shown(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    secret = "pnu_supersecretvalue"
    handler, seen = respond(httpx.Response(401, json={"detail": "bad key"}))
    caplog.set_level(logging.DEBUG, logger="prefect_sdk")
    with pytest.raises(AuthenticationError) as info:
        await call_with(kind, handler, "read_flows", client_options={"api_key": secret})
    assert seen[0].headers["Authorization"] == f"Bearer {secret}"
    shown = " ".join([str(info.value), repr(info.value), caplog.text])
    assert secret not in shown
    assert "read_flows" in caplog.text  # the debug line is there, without the key


def test_secret_masked_in_settings_and_client_repr() -> None:
    client = SyncPrefectClient(api="http://u:pw@prefect.test/api", api_key="pnu_hidden")
    assert "pnu_hidden" not in repr(client.settings)
    assert "pw" not in repr(client)
    client.close()


async def test_basic_auth_from_auth_string(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", "admin:pass")
    handler, seen = respond(httpx.Response(200, json=[]))
    await call_with(kind, handler, "read_flows")
    assert seen[0].headers["Authorization"] == "Basic YWRtaW46cGFzcw=="


async def test_custom_headers_cannot_override_auth(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "PREFECT_CLIENT_CUSTOM_HEADERS", json.dumps({"X-Team": "data", "Authorization": "x"})
    )
    handler, seen = respond(httpx.Response(200, json=[]))
    with pytest.warns(UserWarning, match="Authorization"):
        await call_with(kind, handler, "read_flows", client_options={"api_key": "k"})
    assert seen[0].headers["X-Team"] == "data"
    assert seen[0].headers["Authorization"] == "Bearer k"


class Recorder:
    name = "recorder"

    def __init__(self) -> None:
        self.events: list[tuple[str, str, int]] = []

    @hookimpl
    def prefect_sdk_request_started(self, call: Any) -> None:
        self.events.append(("started", call.operation, call.attempt))

    @hookimpl
    def prefect_sdk_request(self, request: httpx.Request, call: Any) -> None:
        request.headers["X-Seen"] = "1"
        self.events.append(("request", call.operation, call.attempt))

    @hookimpl
    def prefect_sdk_response(self, response: httpx.Response, call: Any) -> None:
        self.events.append(("response", call.operation, response.status_code))

    @hookimpl
    def prefect_sdk_request_finished(self, call: Any, error: Any, duration: float) -> None:
        assert duration >= 0
        self.events.append(("finished", call.operation, call.attempt))


async def test_hooks_see_every_attempt(kind: str) -> None:
    recorder = Recorder()
    handler, seen = respond(httpx.Response(503), httpx.Response(200, json=[]))
    await call_with(kind, handler, "read_flows", client_options={"plugins": [recorder]})
    assert recorder.events == [
        ("started", "read_flows", 0),
        ("request", "read_flows", 1),
        ("response", "read_flows", 503),
        ("request", "read_flows", 2),
        ("response", "read_flows", 200),
        ("finished", "read_flows", 2),
    ]
    assert all(r.headers["X-Seen"] == "1" for r in seen)


class NoRetry:
    name = "no-retry"

    @hookimpl
    def prefect_sdk_retry(self) -> bool:
        return False


async def test_retry_decision_is_a_replaceable_hook(kind: str) -> None:
    handler, seen = respond(httpx.Response(503))
    with pytest.raises(PrefectHTTPStatusError):
        await call_with(kind, handler, "read_flows", client_options={"plugins": [NoRetry()]})
    assert len(seen) == 1


async def test_builtin_plugins_can_be_blocked(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[]))
    options = {"api_key": "k", "blocked_plugins": ["prefect_sdk.auth"]}
    await call_with(kind, handler, "read_flows", client_options=options)
    assert "Authorization" not in seen[0].headers


class Broken:
    name = "broken-plugin"

    @hookimpl
    def prefect_sdk_request(self) -> None:
        raise RuntimeError("boom")


async def test_failing_plugin_is_named(kind: str) -> None:
    handler, _ = respond(httpx.Response(200, json=[]))
    with pytest.raises(PluginError, match="broken-plugin") as info:
        await call_with(kind, handler, "read_flows", client_options={"plugins": [Broken()]})
    assert info.value.plugin == "broken-plugin" and info.value.hook == "prefect_sdk_request"


async def test_closed_client_raises_clearly(kind: str) -> None:
    if kind == "sync":
        sync_client = SyncPrefectClient(api=API)
        sync_client.close()
        with pytest.raises(ClientClosedError, match="closed"):
            sync_client.read_flows()
        return
    client = PrefectClient(api=API)
    await client.aclose()
    with pytest.raises(ClientClosedError, match="closed"):
        await client.read_flows()


async def test_bare_client_opens_lazily(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[FLOW]))
    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        sync_client = SyncPrefectClient(api=API, httpx_settings=settings)
        assert [f.name for f in sync_client.read_flows()] == ["f"]
        sync_client.close()
    else:
        client = PrefectClient(api=API, httpx_settings=settings)
        assert [f.name for f in await client.read_flows()] == ["f"]
        await client.aclose()
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("api", "base_url"),
    [
        (API, None),
        ("http://prefect.test", None),  # a server at the root of its host
        ("http://prefect.test:4200/some%20prefix/api/", None),
        (API, "http://elsewhere.test:8080/proxied/api"),  # the user's own base_url= wins
    ],
)
async def test_request_urls_are_the_ones_httpx_makes_of_the_path(
    kind: str, api: str, base_url: str | None
) -> None:
    """The client joins the API URL and the path itself (one URL parse a request, not two):
    what it sends is what httpx's own base_url merge makes, quoting and query included."""
    handler, seen = respond(httpx.Response(200, json=FLOW))
    settings: dict[str, Any] = {"transport": httpx.MockTransport(handler)}
    if base_url is not None:
        settings["base_url"] = base_url
    name = "a flow ?odd #chars%é"
    block_id = uuid.uuid4()
    if kind == "sync":
        with SyncPrefectClient(api=api, httpx_settings=settings) as sync_client:
            sync_client.read_flow_by_name(name)
            with pytest.raises(UnexpectedResponseError):  # a flow is not a block document
                sync_client.read_block_document(block_id, include_secrets=False)
    else:
        async with PrefectClient(api=api, httpx_settings=settings) as client:
            await client.read_flow_by_name(name)
            with pytest.raises(UnexpectedResponseError):
                await client.read_block_document(block_id, include_secrets=False)
    expected = httpx.Client(base_url=base_url or api)
    assert [str(r.url) for r in seen] == [
        str(expected.build_request("GET", f"/flows/name/{quote(name, safe='')}").url),
        str(
            expected.build_request(
                "GET",
                f"/block_documents/{block_id}",
                params={"include_secrets": "false"},
            ).url
        ),
    ]
    assert str(seen[0].url).startswith(str(expected.base_url))


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:4200/api",
        "https://Prefect.Example.COM:443/a%20b/api/",
        "http://[::1]:4200/",
        "http://user:pw@host.test/api",
        "http://prefect.test",  # no path, default port: parsed as path ""
        "https://prefect.test/",
        "https://h.test:443",
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "/flow_runs/0b9e6f3e-3f1a-4e8b-9d2c-1a2b3c4d5e6f",
        "/flows/name/a%20flow%3F%23%25%C3%A9",
        "/block_types/slug/s/block_documents/name/x~y_z-1.2",
        "flows/filter",
        "//flows/",
        "/a b/ü",  # not a plain path: parsed by httpx
        "/x/./y/../z",  # dot segments: parsed by httpx
        "/x/%zz",  # not an escape
        "/x?y=1&z=%20#frag",
        "/x:y@z!$&'()*+,;=",
        "/flows/name/" + "a" * 70_000,  # too long for a URL: httpx's error, as before
    ],
)
def test_the_url_join_is_httpx_s_own_merge(base_url: str, path: str) -> None:
    from prefect_sdk.client._base import _UrlBase

    http = httpx.Client(base_url=base_url)
    join = _UrlBase(http.base_url)
    assert join.ref is not None  # the parse-free join is in use with this httpx ...
    if path.startswith(("/flow_runs/", "/flows/", "/block_types/")) and len(path) < 4096:
        assert isinstance(join.join(path), httpx.URL)  # ... for the routes' paths
    try:
        theirs = http.build_request("GET", path).url
    except httpx.InvalidURL as refused:
        with pytest.raises(httpx.InvalidURL, match=str(refused)):
            http.build_request("GET", join.join(path))
        return
    ours = http.build_request("GET", join.join(path)).url
    assert ours.raw_path.startswith(b"/")
    assert ours == theirs and str(ours) == str(theirs) and ours.raw_path == theirs.raw_path
    assert ours.host == theirs.host and ours.port == theirs.port
    with_params = http.build_request("GET", join.join(path), params={"a": "b c"}).url
    assert with_params == http.build_request("GET", path, params={"a": "b c"}).url


async def test_a_parsed_response_is_freed_without_the_garbage_collector(kind: str) -> None:
    """Once its body is parsed, a response (and its body) is freed by reference counting alone:
    httpx's response <-> stream cycle is broken, so pages do not pile up waiting for a full
    collection while an iterator reads thousands of rows."""
    import gc
    import weakref

    seen: list[weakref.ref[httpx.Response]] = []

    class Watch:
        @hookimpl
        def prefect_sdk_response(self, response: httpx.Response) -> None:
            seen.append(weakref.ref(response))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[FLOW] * 3)  # a new one each time: the test keeps none

    settings: dict[str, Any] = {"transport": httpx.MockTransport(handler)}
    gc.disable()
    try:
        if kind == "sync":
            with SyncPrefectClient(api=API, httpx_settings=settings, plugins=[Watch()]) as c:
                assert len(c.read_flows()) == 3
                assert [ref() for ref in seen] == [None]
        else:
            async with PrefectClient(api=API, httpx_settings=settings, plugins=[Watch()]) as ac:
                assert len(await ac.read_flows()) == 3
                assert [ref() for ref in seen] == [None]
    finally:
        gc.enable()


async def test_cookies_set_by_a_proxy_are_kept_and_sent_back(kind: str) -> None:
    """A load balancer's sticky-session cookie (Set-Cookie) is sent with the later requests,
    alongside the user's own cookies; answers without Set-Cookie change nothing."""
    handler, seen = respond(
        httpx.Response(200, json=FLOW),
        httpx.Response(200, json=FLOW, headers={"Set-Cookie": "AWSALB=sticky-1; Path=/"}),
        httpx.Response(200, json=FLOW),
    )
    settings: dict[str, Any] = {
        "transport": httpx.MockTransport(handler),
        "cookies": {"mine": "m"},
    }
    if kind == "sync":
        with SyncPrefectClient(api=API, httpx_settings=settings) as sync_client:
            for _ in range(4):
                sync_client.read_flow(uuid.uuid4())
    else:
        async with PrefectClient(api=API, httpx_settings=settings) as client:
            for _ in range(4):
                await client.read_flow(uuid.uuid4())
    sent = [r.headers.get("cookie", "") for r in seen]
    assert sent[:2] == ["mine=m", "mine=m"]
    assert all(sorted(c.split("; ")) == ["AWSALB=sticky-1", "mine=m"] for c in sent[2:])


def test_a_users_own_cookie_jar_sees_every_response() -> None:
    """The shortcut for answers without Set-Cookie is for httpx's standard jar only: a jar
    class of the user's own (one that logs, say) is handed every response, as by httpx."""
    from http.cookiejar import CookieJar

    handled: list[str] = []

    class LoggingJar(CookieJar):
        def extract_cookies(self, response: Any, request: Any) -> None:
            handled.append(request.get_full_url())
            super().extract_cookies(response, request)

    handler, _ = respond(httpx.Response(200, json=FLOW))
    settings = {"transport": httpx.MockTransport(handler), "cookies": LoggingJar()}
    with SyncPrefectClient(api=API, httpx_settings=settings) as client:
        client.read_flow(uuid.uuid4())
        client.read_flow(uuid.uuid4())
    assert len(handled) == 2


def test_httpx_settings_are_passed_through() -> None:
    client = PrefectClient(
        api=API,
        httpx_settings={
            "timeout": 30.0,
            "limits": {"max_connections": 10, "max_keepalive_connections": 2},
            "headers": {"X-Extra": "1"},
        },
    )
    http = client._ensure_http()
    assert http.timeout == httpx.Timeout(30.0)
    assert http.headers["X-Extra"] == "1"
    pool = http._transport._pool  # type: ignore[attr-defined]
    assert pool._max_connections == 10 and pool._max_keepalive_connections == 2


def test_bad_httpx_settings_name_the_key() -> None:
    with pytest.raises(ValidationError, match="timout"):
        PrefectClient(api=API, httpx_settings={"timout": 3})
    with pytest.raises(ValidationError, match="max_conections"):
        PrefectClient(api=API, httpx_settings={"limits": {"max_conections": 3}})


def test_missing_or_bad_api_url() -> None:
    with pytest.raises(ValidationError, match="PREFECT_API_URL"):
        PrefectClient()
    with pytest.raises(ValidationError, match="http://"):
        PrefectClient(api="127.0.0.1:4200/api")


def test_one_ssl_context_per_process() -> None:
    a = PrefectClient(api="https://a.test/api")._client_kwargs()["verify"]
    b = SyncPrefectClient(api="https://b.test/api")._client_kwargs()["verify"]
    assert a is b


class Span:
    def __init__(self, name: str) -> None:
        self.name = name
        self.open = 0

    @hookimpl
    def prefect_sdk_request_started(self) -> None:
        self.open += 1

    @hookimpl
    def prefect_sdk_request_finished(self) -> None:
        self.open -= 1


class FailsAtStart:
    name = "fails-at-start"

    @hookimpl(trylast=True)
    def prefect_sdk_request_started(self) -> None:
        raise RuntimeError("no start")


class FailsAtFinish:
    name = "fails-at-finish"

    @hookimpl(tryfirst=True)
    def prefect_sdk_request_finished(self) -> None:
        raise RuntimeError("no finish")


async def test_every_started_plugin_is_finished_even_when_another_fails(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[]))
    span = Span("span")
    with pytest.raises(PluginError, match="fails-at-start"):
        await call_with(
            kind, handler, "read_flows", client_options={"plugins": [span, FailsAtStart()]}
        )
    assert span.open == 0 and seen == []
    span2 = Span("span2")
    with pytest.raises(PluginError, match="fails-at-finish"):
        await call_with(
            kind, handler, "read_flows", client_options={"plugins": [span2, FailsAtFinish()]}
        )
    assert span2.open == 0


async def test_operation_error_wins_over_a_failing_finish_hook(kind: str) -> None:
    handler, _ = respond(httpx.Response(404, json={"detail": "gone"}))
    with pytest.raises(ObjectNotFound):
        await call_with(
            kind, handler, "read_flow", uuid.uuid4(), client_options={"plugins": [FailsAtFinish()]}
        )


def test_explicit_plugin_replaces_a_registered_one_of_the_same_name() -> None:
    class MyRetry:
        name = "prefect_sdk.retry"

        @hookimpl
        def prefect_sdk_retry(self) -> bool:
            return False

    mine = MyRetry()
    client = PrefectClient(api=API, plugins=[mine, mine])  # twice: registered once
    assert client.plugin_manager.get_plugin("prefect_sdk.retry") is mine


async def test_bad_sort_and_filter_are_validation_errors(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[]))
    with pytest.raises(ValidationError, match="NAME_ASC"):
        await call_with(kind, handler, "read_flows", sort="bogus")
    with pytest.raises(ValidationError):
        await call_with(kind, handler, "read_flows", flow_filter="not a filter")
    assert seen == []


async def test_empty_error_body_gives_a_clean_message(kind: str) -> None:
    handler, _ = respond(httpx.Response(500))
    with pytest.raises(PrefectHTTPStatusError) as info:
        await call_with(kind, handler, "read_flows")
    assert str(info.value).endswith("failed with 500 Internal Server Error")


async def test_flow_id_as_string_is_an_id_not_a_name(kind: str) -> None:
    flow_id = str(uuid.uuid4())
    run = {"id": str(uuid.uuid4()), "flow_id": flow_id, "name": "r"}
    handler, seen = respond(httpx.Response(200, json=run))
    await call_with(kind, handler, "create_flow_run", flow_id)
    assert [r.url.path for r in seen] == ["/api/flow_runs/"]
    assert json.loads(seen[0].content)["flow_id"] == flow_id


async def test_too_long_retry_after_is_not_waited_for(kind: str, no_sleep: list[float]) -> None:
    handler, seen = respond(httpx.Response(503, headers={"Retry-After": "86400"}))
    with pytest.raises(PrefectHTTPStatusError):
        await call_with(kind, handler, "read_flows")
    assert len(seen) == 1 and no_sleep == []


async def test_healthcheck_is_not_retried(kind: str, no_sleep: list[float]) -> None:
    handler, seen = respond(httpx.ConnectError("refused"))
    error = await call_with(kind, handler, "api_healthcheck")
    assert isinstance(error, APIConnectionError)
    assert len(seen) == 1 and no_sleep == []


async def test_retried_delete_whose_answer_was_lost_succeeds(kind: str) -> None:
    handler, seen = respond(httpx.ReadError("lost"), httpx.Response(404, json={"detail": "gone"}))
    assert await call_with(kind, handler, "delete_flow_run", uuid.uuid4()) is None
    assert len(seen) == 2


async def test_unparseable_success_body_is_a_clear_error(kind: str) -> None:
    handler, _ = respond(httpx.Response(200, text="<html>login page</html>"))
    with pytest.raises(UnexpectedResponseError, match="usually ends in /api"):
        await call_with(kind, handler, "read_flows")


async def test_a_route_the_server_lacks_is_not_supported_by_server(kind: str) -> None:
    # An older server answers the web framework's bare 404 (or a 405) for a route it does not
    # have; the error names the operation and the server's Prefect version, read once.
    from prefect_sdk.client._base import SERVER_VERSIONS
    from prefect_sdk.exceptions import NotSupportedByServer

    SERVER_VERSIONS.pop(API, None)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path.endswith("/csrf-token"):
            return httpx.Response(422, json={"detail": "CSRF protection is disabled."})
        if request.url.path.endswith("/admin/version"):
            return httpx.Response(200, json="3.0.11")
        if request.url.path.endswith("/flows/filter"):
            return httpx.Response(405, json={"detail": "Method Not Allowed"})
        return httpx.Response(404, json={"detail": "Not Found"})

    with pytest.raises(NotSupportedByServer, match=r"read_flow_run_states.*Prefect 3\.0\.11"):
        await call_with(kind, handler, "read_flow_run_states", uuid.uuid4())
    with pytest.raises(NotSupportedByServer, match=r"read_flows.*Prefect 3\.0\.11.*405"):
        await call_with(kind, handler, "read_flows")
    assert seen.count("/api/admin/version") == 1  # once per API URL
    SERVER_VERSIONS.pop(API, None)


async def test_a_field_an_older_server_does_not_know_is_named_with_its_version(
    kind: str,
) -> None:
    # A 3.0 server refuses request fields later versions added ("Extra inputs are not
    # permitted"): the error names each field and the server's version, and says what to do.
    from prefect_sdk.client._base import SERVER_VERSIONS

    SERVER_VERSIONS.pop(API, None)
    extra = {
        "exception_message": "Invalid request received.",
        "exception_detail": [
            {
                "type": "extra_forbidden",
                "loc": ["body", "version_info"],
                "msg": "Extra inputs are not permitted",
                "input": {"type": "git"},
            },
            {
                "type": "extra_forbidden",
                "loc": ["body", "schedules", 0, "parameters"],
                "msg": "Extra inputs are not permitted",
                "input": {},
            },
        ],
    }
    handler, seen = respond(httpx.Response(422, json=extra), httpx.Response(200, json="3.0.11"))
    with pytest.raises(ServerValidationError) as info:
        await call_with(kind, handler, "read_flows")
    message = str(info.value)
    assert "read_flows" in message and "Prefect 3.0.11" in message
    assert "version_info, schedules.0.parameters" in message and "leave these fields unset" in (
        message
    )
    assert info.value.status_code == 422
    SERVER_VERSIONS.pop(API, None)

    # Any other 422 is the request's own fault: no version is asked for, no such advice.
    missing = {
        "exception_detail": [{"type": "missing", "loc": ["body", "name"], "msg": "Field required"}]
    }
    handler, seen = respond(httpx.Response(422, json=missing))
    with pytest.raises(ServerValidationError) as info:
        await call_with(kind, handler, "read_flows")
    assert "body.name: Field required" in str(info.value) and "unset" not in str(info.value)
    assert [r.url.path for r in seen] == ["/api/flows/filter"]


async def test_a_409_refusing_parameters_is_a_validation_error(kind: str) -> None:
    # Prefect answers 409 when a flow run's parameters fail the deployment's schema, or the
    # deployment has none while enforcing it: not a name that is taken.
    refused = (
        "Error creating flow run: Validation failed for field 'x'. "
        "Failure reason: 'a' is not of type 'integer'"
    )
    handler, _ = respond(httpx.Response(409, json={"detail": refused}))
    with pytest.raises(ServerValidationError, match="is not of type 'integer'") as info:
        await call_with(kind, handler, "create_flow_run_from_deployment", uuid.uuid4())
    assert not isinstance(info.value, ObjectAlreadyExists)
    no_schema = (
        "Error updating deployment: Cannot update parameters because parameter schema "
        "enforcement is enabled and the deployment does not have a valid parameter schema."
    )
    handler, _ = respond(httpx.Response(409, json={"detail": no_schema}))
    with pytest.raises(ServerValidationError, match="enforce_parameter_schema=False"):
        await call_with(kind, handler, "create_flow_run_from_deployment", uuid.uuid4())
    # A taken name is still ObjectAlreadyExists.
    handler, _ = respond(httpx.Response(409, json={"detail": "Block already exists"}))
    with pytest.raises(ObjectAlreadyExists):
        await call_with(kind, handler, "read_flows")


async def test_an_object_that_is_not_there_is_still_object_not_found(kind: str) -> None:
    handler, _ = respond(httpx.Response(404, json={"detail": "Flow not found"}))
    with pytest.raises(ObjectNotFound):
        await call_with(kind, handler, "read_flow", uuid.uuid4())


async def test_requests_say_which_api_version_they_speak(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[]))
    await call_with(kind, handler, "read_flows")
    await call_with(kind, handler, "read_flows", client_options={"api_version": "0.8.0"})
    assert [r.headers["X-PREFECT-API-VERSION"] for r in seen] == ["0.8.4", "0.8.0"]
