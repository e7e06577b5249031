"""The base of the project's pydantic models, and a fast way to build them from checked values.

``defer_build``: a model's validator is built the first time something is validated with
it, not at import. The parser builds most objects with ``construct`` from values it has
checked itself, so opening a brief no longer pays ~80 ms at start-up to build validators
it may never use.
"""

from __future__ import annotations

import copy
from typing import TypeVar

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)


M = TypeVar("M", bound=BaseModel)
_MISSING = object()
_new = object.__new__
_set = object.__setattr__
# Per model class: its field names in order, the default of each (or _MISSING), and the one
# "fields set" its instances built with every field share.
_SPECS: dict[type, tuple[tuple[str, ...], tuple[object, ...], set[str]]] = {}


def _spec(cls: type) -> tuple[tuple[str, ...], tuple[object, ...], set[str]]:
    fields = cls.model_fields
    assert not cls.__pydantic_post_init__ and not cls.__private_attributes__, cls  # what construct skips
    assert all(f.alias is None and f.validation_alias is None and f.default_factory is None
               for f in fields.values()), cls
    spec = (tuple(fields), tuple(_MISSING if f.is_required() else f.default for f in fields.values()), set(fields))
    _SPECS[cls] = spec
    return spec


def construct(cls: type[M], **values) -> M:
    """``cls.model_construct(**values)``, for values already checked, at ~1/5 of the cost (the
    parser builds tens of thousands of mentions, styles and facts). The same object: fields in
    declaration order, defaults filled in (copied, as pydantic does), the given names as the
    fields set. Only for this project's models: no aliases, factories or private attributes."""
    names, defaults, every = _SPECS.get(cls) or _spec(cls)
    if tuple(values) == names:  # every field, in order (the fresh kwargs dict is ours to keep)
        data = values
        # Shared by the instances: a set of 10 names is 728 bytes, more than the mention it
        # describes (an 8 MB brief has 300,000 of them). It can only change by ``add`` of a
        # field name (pydantic's __setattr__), which it already holds.
        fields_set = every
    else:
        fields_set = set(values)
        data = {}
        for name, default in zip(names, defaults):
            if name in values:
                data[name] = values[name]
            elif default is not _MISSING:
                data[name] = copy.copy(default) if default.__class__ in (list, dict, set) else default
    m = _new(cls)
    _set(m, "__dict__", data)
    _set(m, "__pydantic_fields_set__", fields_set)
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


def constructor(cls: type[M]):
    """A function of every field of ``cls``, positional, in declaration order, that builds what
    ``construct(cls, **fields)`` builds, at ~3/5 of its cost: for the parser's hottest objects
    (an 8 MB brief has a million styles and mentions). Written out for the class's fields (as
    dataclasses writes its __init__): a dict display of the names is what makes it fast."""
    names, _, every = _SPECS.get(cls) or _spec(cls)
    assert all(name.isidentifier() and not name.startswith("_") for name in names), cls
    args = ", ".join(names)
    body = ", ".join(f"{name!r}: {name}" for name in names)
    source = (f"def make({args}):\n"
              f"    m = _new(cls)\n"
              f"    _set(m, '__dict__', {{{body}}})\n"
              f"    _set(m, '__pydantic_fields_set__', every)\n"
              f"    _set(m, '__pydantic_extra__', None)\n"
              f"    _set(m, '__pydantic_private__', None)\n"
              f"    return m\n")
    scope = {"_new": _new, "_set": _set, "cls": cls, "every": every}
    exec(source, scope)  # noqa: S102  (source made only from the model's own field names)
    make = scope["make"]
    make.__qualname__ = make.__name__ = f"make_{cls.__name__}"
    return make
