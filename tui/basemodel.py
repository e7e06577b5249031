"""The base of the project's pydantic models.

``defer_build``: a model's validator is built the first time something is validated with
it, not at import. The parser builds most objects with ``model_construct`` from values it
has checked itself, so opening a brief no longer pays ~80 ms at start-up to build
validators it may never use.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
