"""Plug-in discovery: every adapter, built-in or third-party, is an entry point in the group
``kompetanse.adapters`` naming an `Adapter` subclass, e.g. in a plug-in's pyproject.toml::

    [project.entry-points."kompetanse.adapters"]
    fagdag = "nav_fagdag.adapter:FagdagAdapter"

A plug-in that fails to import, or whose object is not a usable adapter, fails loudly: a
`PluginError` that names the entry point and the distribution that declared it.
"""

from __future__ import annotations

import inspect
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from adapters._base import Adapter, Record
from adapters._errors import PluginError, UnknownAdapter
from adapters.vocabulary import BASE_IRI

GROUP = "kompetanse.adapters"


def discover() -> dict[str, type[Adapter[Any]]]:
    """Every registered adapter class by name, sorted; raises PluginError for a broken one."""
    found: dict[str, type[Adapter[Any]]] = {}
    origin: dict[str, str] = {}
    for point in entry_points(group=GROUP):
        where = _origin(point)
        adapter = _load(point, where)
        if point.name in found and found[point.name] is not adapter:
            raise PluginError(
                f"adapter {point.name!r} is registered twice: by {origin[point.name]} "
                f"and by {where}"
            )
        found[point.name] = adapter
        origin[point.name] = where
    return dict(sorted(found.items()))


def get_adapter(name: str, *, base_iri: str = BASE_IRI) -> Adapter[Any]:
    """The adapter registered as `name`, ready to use.

    `base_iri` is where activities the records name without an IRI get one.
    """
    adapters = discover()
    if name not in adapters:
        known = ", ".join(adapters) or "none"
        raise UnknownAdapter(f"no adapter named {name!r} (registered: {known})")
    return adapters[name](base_iri=base_iri)


def _load(point: EntryPoint, where: str) -> type[Adapter[Any]]:
    try:
        loaded = point.load()
    except Exception as exc:  # a plug-in's import may raise anything: name the plug-in
        raise PluginError(
            f"adapter plug-in {where} failed to load: {type(exc).__name__}: {exc}"
        ) from exc
    if not (isinstance(loaded, type) and issubclass(loaded, Adapter)):
        raise PluginError(
            f"adapter plug-in {where} is not an adapters.Adapter subclass: {loaded!r}"
        )
    if inspect.isabstract(loaded):
        missing = ", ".join(sorted(getattr(loaded, "__abstractmethods__", ())))
        raise PluginError(f"adapter plug-in {where} does not implement {missing}")
    problems = []
    if getattr(loaded, "name", None) != point.name:
        problems.append(f"its name is {getattr(loaded, 'name', None)!r}, not {point.name!r}")
    record_type = getattr(loaded, "record_type", None)
    if not (isinstance(record_type, type) and issubclass(record_type, Record)):
        problems.append(f"its record_type {record_type!r} is not an adapters.Record subclass")
    for attribute in ("method", "title"):
        if not getattr(loaded, attribute, None):
            problems.append(f"it has no {attribute}")
    if problems:
        raise PluginError(f"adapter plug-in {where} breaks the interface: {'; '.join(problems)}")
    return loaded


def _origin(point: EntryPoint) -> str:
    dist = point.dist
    source = f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"
    return f"{point.name!r} ({point.value}, from {source})"
