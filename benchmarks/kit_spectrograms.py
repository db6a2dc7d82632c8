"""Contact sheets of the kit's spectrograms, for looking at the sounds (a dev tool).

    .venv/bin/python benchmarks/kit_spectrograms.py OUT_DIR [NAME_FILTER]

Renders the kit into OUT_DIR/kit (unless it is there), then writes PNG sheets of 12 sounds each:
a log-frequency spectrogram (20 Hz – 22 kHz, 90 dB range) with the waveform under it and, for
looped sounds, the loop marked and the loop played three times over so a seam would show.
matplotlib is needed (``pip install matplotlib``); it is not a MusiaIA dependency.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import soundfile

from companion.kit.build import MANIFEST, ensure_kit
from companion.kit.catalogue import KIT

PER_SHEET = 12


def spectrogram(mono: np.ndarray, rate: int, size: int = 2048, hop: int = 256) -> np.ndarray:
    padded = np.concatenate([np.zeros(size), mono, np.zeros(size)])
    count = max(1, (len(padded) - size) // hop)
    frames = np.stack([padded[i * hop : i * hop + size] for i in range(count)])
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(size), axis=1)) + 1e-9
    return 20 * np.log10(spectrum / spectrum.max())


def main() -> None:
    out = Path(sys.argv[1])
    wanted = sys.argv[2] if len(sys.argv) > 2 else ""
    folder = out / "kit"
    ensure_kit(folder)
    manifest = json.loads((folder / MANIFEST).read_text())["files"]
    sounds = [s for s in KIT if wanted.lower() in s.name.lower()]
    for sheet in range(0, len(sounds), PER_SHEET):
        chunk = sounds[sheet : sheet + PER_SHEET]
        figure, axes = plt.subplots(len(chunk), 2, figsize=(16, 2.2 * len(chunk)), squeeze=False)
        for row, sound in enumerate(chunk):
            data, rate = soundfile.read(str(folder / sound.filename), always_2d=True)
            mono = data.mean(axis=1)
            loop = manifest[sound.filename].get("loop")
            if loop:
                body = mono[loop[0] : loop[1]]
                mono = np.concatenate([mono, body, body, body])
            image = spectrogram(mono, rate)
            freqs = np.fft.rfftfreq(2048, 1 / rate)
            axis = axes[row][0]
            axis.pcolormesh(
                np.arange(len(image)) * 256 / rate,
                freqs[1:],
                image[:, 1:].T,
                vmin=-90,
                vmax=0,
                shading="auto",
                cmap="magma",
            )
            axis.set_yscale("log")
            axis.set_ylim(20, rate / 2)
            axis.set_title(sound.name, fontsize=8)
            axis = axes[row][1]
            axis.plot(np.arange(len(mono)) / rate, mono, linewidth=0.3)
            if loop:
                for x in (loop[0], loop[1]):
                    axis.axvline(x / rate, color="red", linewidth=0.6)
            axis.set_ylim(-1, 1)
        figure.tight_layout()
        path = out / f"sheet_{sheet // PER_SHEET:02d}.png"
        figure.savefig(path, dpi=60)
        plt.close(figure)
        print(path)


if __name__ == "__main__":
    main()
