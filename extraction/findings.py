"""Findings: language-neutral facts found while reading (a code, a field, parameters).

They become the contract's localized `warnings` / quality issues only at the edge
(`extraction.messages.render_*`), so the pure core never needs to know the user's language.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    code: str
    field: str | None = None
    # `dataclasses.field` spelled in full: the attribute `field` above shadows the bare name here.
    params: dict[str, str | int] = dataclasses.field(default_factory=dict)
