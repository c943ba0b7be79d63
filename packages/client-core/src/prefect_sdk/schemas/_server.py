"""What the server says about itself."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pydantic import SecretStr

from prefect_sdk.schemas._base import ResponseModel

__all__ = ["CsrfToken"]


class CsrfToken(ResponseModel):
    """A CSRF token issued to one client id; ``token`` is masked in reprs and logs."""

    id: UUID | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    token: SecretStr
    client: str
    expiration: dt.datetime
