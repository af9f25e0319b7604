"""Registered, versioned analysis stages and the check that a configured order can run.

A stage is a pure function ``(ctx, **options) -> tuple[record, ...]``: it reads the spaCy parse
and the layers earlier stages assigned, and returns one layer. The runner stores each layer on
the context under the stage's ``assigns`` name; stages never mutate their input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from factdesk.errors import PipelineConfigError
from factdesk.records import RawDocument


@dataclass(slots=True, kw_only=True)
class Context:
    """What a stage sees: the raw document, its parse, and the layers assigned so far."""

    raw: RawDocument
    doc: Any  # spacy.tokens.Doc
    layers: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def published(self) -> date | None:
        return self.raw.published.date() if self.raw.published else None


StageFn = Callable[..., tuple[Any, ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    name: str
    fn: StageFn
    requires: tuple[str, ...]
    assigns: str


_REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, requires: Iterable[str] = (), assigns: str) -> Callable[[StageFn], StageFn]:
    """Register ``fn`` as the stage ``name`` (for example ``"dates.v1"``)."""

    def register(fn: StageFn) -> StageFn:
        _REGISTRY[name] = Stage(name=name, fn=fn, requires=tuple(requires), assigns=assigns)
        return fn

    return register


def registered_stages() -> dict[str, Stage]:
    """Return every registered stage by name (importing the built-in stages first)."""
    from factdesk.pipeline import stages  # noqa: F401  (registers the built-in stages)

    return dict(_REGISTRY)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A validated, ordered list of stages with their options."""

    stages: tuple[Stage, ...]
    options: Mapping[str, Mapping[str, Any]]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)


DEFAULT_STAGES = (
    "sentences.v1",
    "entities.v1",
    "dates.v1",
    "quantities.v1",
    "attributions.v1",
    "claims.v1",
)


def build_pipeline(
    names: Iterable[str] = DEFAULT_STAGES,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> Pipeline:
    """Check stage names, order and option names before the first document runs.

    Raises:
        PipelineConfigError: an unknown stage, a stage whose requirement no earlier stage
            assigns, or options for a stage that is not configured.
    """
    available = registered_stages()
    chosen: list[Stage] = []
    assigned: set[str] = set()
    names = tuple(names)
    for name in names:
        if name not in available:
            raise PipelineConfigError(
                f"No stage named {name!r}. Available stages: {', '.join(sorted(available))}."
            )
        st = available[name]
        for need in st.requires:
            if need not in assigned:
                raise PipelineConfigError(
                    f"Stage {name!r} needs {need!r}, which no earlier stage assigns. "
                    f"Configured order: {', '.join(names)}."
                )
        assigned.add(st.assigns)
        chosen.append(st)
    opts = dict(options or {})
    for name in opts:
        if name not in names:
            raise PipelineConfigError(
                f"Options given for stage {name!r}, which is not in the pipeline "
                f"({', '.join(names)})."
            )
    return Pipeline(tuple(chosen), opts)
