"""Models a user reads, builds and serialises; errors a user catches."""

import datetime as dt
from typing import Any
from uuid import UUID

import httpx

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    FlowRunWaitTimeout,
    ObjectAlreadyExists,
    ObjectNotFound,
    PrefectHTTPStatusError,
    PrefectSDKError,
    ServerValidationError,
    ValidationError,
)
from prefect_sdk.schemas import (
    Deployment,
    DeploymentUpdate,
    FlowRun,
    SetStateStatus,
    State,
    StateType,
)
from prefect_sdk.settings import Secret, Settings
from prefect_sdk_downstream._compat import assert_type


def models(payload: dict[str, Any]) -> str:
    run = FlowRun.model_validate(payload)
    assert_type(run, FlowRun)
    assert_type(run.id, UUID)
    assert_type(run.name, str)
    assert_type(run.flow_id, UUID)
    assert_type(run.tags, list[str])
    assert_type(run.state, State | None)
    assert_type(run.state_type, StateType | None)
    assert_type(run.start_time, dt.datetime | None)
    assert_type(run.parameters, dict[str, Any])
    copy = run.model_copy(update={"name": "renamed"})
    assert_type(copy, FlowRun)
    update = DeploymentUpdate(description="new", paused=False)
    assert_type(update.model_dump(exclude_unset=True), dict[str, Any])
    assert_type(SetStateStatus(payload["status"]), SetStateStatus)
    return run.model_dump_json()


async def errors(client: PrefectClient, deployment_id: UUID) -> Deployment | None:
    try:
        return await client.read_deployment(deployment_id)
    except ObjectNotFound as exc:
        assert_type(exc.status_code, int)
        assert_type(exc.response, httpx.Response)
        assert_type(exc.request, httpx.Request)
        assert_type(exc.detail, str)
        return None
    except (ObjectAlreadyExists, AuthenticationError, ServerValidationError) as exc:
        assert_type(exc, ObjectAlreadyExists | AuthenticationError | ServerValidationError)
        raise
    except PrefectHTTPStatusError as exc:
        if exc.status_code >= 500:
            raise
        return None
    except APITimeoutError:
        raise
    except APIConnectionError as exc:
        assert_type(exc.request, httpx.Request | None)
        raise
    except FlowRunWaitTimeout as exc:
        last = exc.flow_run
        print(last)
        raise
    except (ValidationError, PrefectSDKError):
        raise


def settings(settings: Settings) -> str | None:
    assert_type(settings.api_key, Secret | None)
    if settings.api_key is not None:
        assert_type(settings.api_key.get_secret_value(), str)
    assert_type(settings.request_timeout, float)
    return settings.api_url
