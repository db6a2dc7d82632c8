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
    origin: np.ndarray | None = None  # timeline block of each block (when only some are kept)

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

    def take(self, blocks: np.ndarray) -> Params:
        """The parameters over only ``blocks`` (indices into the timeline's blocks)."""
        values = {
            name: value[blocks] if isinstance(value, np.ndarray) else value
            for name, value in self.values.items()
        }
        origin = blocks if self.origin is None else self.origin[blocks]
        return Params(values, len(blocks), origin)

    def song_block(self, index: int) -> int:
        return int(self.origin[index]) if self.origin is not None else index

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

    def every_block(self, name: str) -> np.ndarray:
        """A parameter's value in every block, automated or not."""
        value = np.asarray(self.values[name], dtype=np.float64)
        return np.broadcast_to(value, (self.blocks,)) if value.ndim == 0 else value

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
