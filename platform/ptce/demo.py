"""Demo data: each app contributes its part of the demo PTCE that `make run` loads.

Contract — an app declares, in its own `demo.py`, one or more loaders:

    from ptce.demo import DemoContext, register

    @register("pooling", after=("members",))
    def load(ctx: DemoContext) -> None:
        referente = ctx.people["referente"]
        ...

A loader writes through its app's services wherever a rule applies (never straight into
another app's models), is idempotent (running the demo twice changes nothing), and may
read and add to what earlier loaders left in `ctx` (people, structures, pages). Loaders
run in dependency order (`after`), then alphabetically. `load_demo` only orchestrates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any

DEMO_PASSWORD = "Rives-Solidaires-2025"


@dataclass
class DemoContext:
    """What loaders share: objects by short key, and the logins to print at the end."""

    people: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (role, e-mail)
    log: Callable[[str], None] = print


@dataclass(frozen=True)
class DemoLoader:
    key: str
    load: Callable[[DemoContext], None]
    after: tuple[str, ...] = ()


_registry: dict[str, DemoLoader] = {}


def register(key: str, *, after: tuple[str, ...] = ()):
    def decorator(function: Callable[[DemoContext], None]):
        if key in _registry and _registry[key].load is not function:
            raise ValueError(f"Demo loader {key!r} is registered twice.")
        _registry[key] = DemoLoader(key, function, tuple(after))
        return function

    return decorator


def loaders() -> list[DemoLoader]:
    """Every loader, each after those it names in `after` (unknown names are errors)."""
    graph: dict[str, set[str]] = {}
    for key, loader in _registry.items():
        missing = [name for name in loader.after if name not in _registry]
        if missing:
            raise LookupError(f"Demo loader {key!r} runs after unknown {missing}.")
        graph[key] = set(loader.after)
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    ordered: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        ordered.extend(ready)
        sorter.done(*ready)
    return [_registry[key] for key in ordered]


def run_all(ctx: DemoContext) -> DemoContext:
    for loader in loaders():
        loader.load(ctx)
    return ctx
