"""MusiaIA's built-in kit: drums, instruments and effects synthesised with numpy, by style.

``dsp`` (signal building blocks), ``drums``, ``synths`` and ``fx`` (recipes), ``loops`` (sustain
loops), ``catalogue`` (every sound and its knobs), ``loudness`` (level facts), ``wav`` (files) and
``build`` (rendering the kit into a folder with its manifest).
"""
