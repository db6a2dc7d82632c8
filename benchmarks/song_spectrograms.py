"""Spectrograms of generated songs, for looking at each style's mix (a dev tool).

    .venv/bin/python benchmarks/song_spectrograms.py OUT_DIR [--styles trap,lo-fi] [--seed 5]

For each style, a song of 32 bars goes through the whole pipeline with the built-in kit and its
fullest section is rendered; OUT_DIR/<style>.png shows its log-frequency spectrogram (20 Hz –
20 kHz, 80 dB range), and OUT_DIR/spectra.png every style's long-term average spectrum (smoothed
over third octaves, levelled at 1 kHz) so their balances compare on one plot. The spectral
balance the listening report gives (low < 250 Hz, mid, high > 4 kHz) is printed per style.
matplotlib is needed (``pip install matplotlib``); it is not a MusiaIA dependency.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.signal import welch

from companion.analysis.listening import spectral_balance
from companion.pipeline import generate
from companion.render import render
from companion.settings import Settings
from companion.sounds import SoundSource

DEFAULT_STYLES = "trap,dubstep,lo-fi,trance,house,techno,ambient,drum-and-bass"
SIZE, HOP = 4096, 1024


def spectrogram(mono: np.ndarray) -> np.ndarray:
    count = max(1, (len(mono) - SIZE) // HOP)
    frames = np.stack([mono[i * HOP : i * HOP + SIZE] for i in range(count)])
    return np.abs(np.fft.rfft(frames * np.hanning(SIZE), axis=1)) ** 2 + 1e-12


def third_octaves(freqs: np.ndarray, power: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    centres = 1000.0 * 2.0 ** (np.arange(-17, 14) / 3.0)  # 20 Hz … 20 kHz
    levels = []
    for centre in centres:
        band = (freqs >= centre * 2 ** (-1 / 6)) & (freqs < centre * 2 ** (1 / 6))
        levels.append(power[band].mean() if band.any() else np.nan)
    return centres, 10.0 * np.log10(np.array(levels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--styles", default=DEFAULT_STYLES)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chooser = SoundSource(Settings().kit_dir).chooser()
    spectra = {}
    with tempfile.TemporaryDirectory() as tmp:
        for style in args.styles.split(","):
            made = generate(
                f"{style}, 32 compases", seed=args.seed, out_dir=Path(tmp), sounds=chooser
            )
            song = made.arrangement
            fullest = max(song.sections, key=lambda s: (s.energy, s.bars))
            result = render(song, made.project.folder, section=fullest.name)
            mono = result.audio.mean(axis=1).astype(np.float64)
            power = spectrogram(mono)
            freqs = np.fft.rfftfreq(SIZE, 1 / result.sample_rate)
            image = 10.0 * np.log10(power / power.max())
            figure, axis = plt.subplots(figsize=(12, 5))
            keep = freqs >= 20
            axis.pcolormesh(
                np.arange(len(image)) * HOP / result.sample_rate,
                freqs[keep],
                image[:, keep].T,
                vmin=-80,
                vmax=0,
                shading="auto",
                cmap="magma",
            )
            axis.set_yscale("log")
            axis.set_ylim(20, 20000)
            balance = spectral_balance(result.audio, result.sample_rate)
            axis.set_title(
                f"{style} · {fullest.name} · low {balance.low:.0%} mid {balance.mid:.0%} "
                f"high {balance.high:.0%}"
            )
            axis.set_xlabel("s")
            axis.set_ylabel("Hz")
            figure.tight_layout()
            figure.savefig(args.out / f"{style}.png", dpi=80)
            plt.close(figure)
            fine, average = welch(mono, fs=result.sample_rate, nperseg=32768)
            spectra[style] = third_octaves(fine, average)
            print(
                f"{style:<18} low {balance.low:5.1%} mid {balance.mid:5.1%} "
                f"high {balance.high:5.1%}",
                flush=True,
            )
    figure, axis = plt.subplots(figsize=(12, 6))
    for style, (centres, levels) in spectra.items():
        at_1k = levels[np.argmin(np.abs(centres - 1000.0))]
        axis.semilogx(centres, levels - at_1k, label=style)
    axis.set_xlim(20, 20000)
    axis.set_ylim(-60, 30)
    axis.set_xlabel("Hz (third octaves)")
    axis.set_ylabel("dB, relative to 1 kHz")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(args.out / "spectra.png", dpi=80)
    plt.close(figure)


if __name__ == "__main__":
    main()
