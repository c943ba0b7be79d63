from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class ResponseModel(BaseModel):
    """An object the server returns. Unknown fields are ignored, so newer servers still parse."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="ignore", defer_build=True, populate_by_name=True
    )


class RequestModel(BaseModel):
    """An object the client sends. Unknown fields are an error: a typo must not be dropped."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", defer_build=True, populate_by_name=True
    )
