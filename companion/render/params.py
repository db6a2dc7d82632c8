"""A device's parameters over the timeline: fixed numbers, or one value per block when automated."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from companion.arrangement import Device
from companion.device_params import DEVICE_PARAMS
from companion.render.automation import Automation
from companion.render.timeline import BLOCK


@dataclass
class Params:
    values: dict[str, float | np.ndarray]
    blocks: int

    @classmethod
    def of(cls, device: Device, index: int, automation: Automation | None, blocks: int) -> Params:
        values: dict[str, float | np.ndarray] = {}
        for name in DEVICE_PARAMS[device.kind]:
            default = device.param(name)
            if automation is None:
                values[name] = default
            else:
                values[name] = automation.per_block(f"device:{index}:{name}", default)
        return cls(values, blocks)

    @property
    def automated(self) -> list[str]:
        return [name for name, value in self.values.items() if isinstance(value, np.ndarray)]

    def first(self) -> dict[str, float]:
        return {
            name: float(value[0]) if isinstance(value, np.ndarray) else value
            for name, value in self.values.items()
        }

    def block(self, index: int) -> dict[str, float]:
        return {
            name: float(value[index]) if isinstance(value, np.ndarray) else value
            for name, value in self.values.items()
        }

    def per_frame(self, name: str, frames: int) -> float | np.ndarray:
        """A parameter per frame (block values held across their block)."""
        value = self.values[name]
        if not isinstance(value, np.ndarray):
            return value
        return np.repeat(value, BLOCK)[:frames]

    def runs(self, frames: int) -> Iterator[tuple[int, int, dict[str, float]]]:
        """(first frame, end frame, values) for each stretch of blocks where nothing moves."""
        moving = self.automated
        if not moving:
            yield 0, frames, self.first()
            return
        stacked = np.stack([self.values[name] for name in moving])  # type: ignore[misc]
        changes = np.flatnonzero(np.any(np.diff(stacked, axis=1) != 0, axis=0)) + 1
        edges = [0, *changes.tolist(), self.blocks]
        for first, last in pairwise(edges):
            start, end = first * BLOCK, min(frames, last * BLOCK)
            if start < end:
                yield start, end, self.block(first)
