"""The only module that touches Live's ``Live`` module.

Everything else in the script works on the objects it is handed (song, tracks, clips) and calls
these helpers for the few things that need ``Live.*``: note specifications, MIDI forwarding and the
application object. ``Live`` is imported when first needed, so the rest of the package imports
anywhere (tests install a simulator as ``sys.modules["Live"]``).
"""

LEGACY_TIME_START = -8192.0
LEGACY_TIME_SPAN = 16384.0


def live():
    import Live  # provided by Ableton Live (or the test simulator)

    return Live


def get_application():
    return live().Application.get_application()


def version(app):
    """(major, minor, bugfix) of the running Live."""
    try:
        return (int(app.get_major_version()), int(app.get_minor_version()),
                int(app.get_bugfix_version()))
    except Exception:
        return (0, 0, 0)


def version_string(app):
    if hasattr(app, "get_version_string"):
        try:
            return str(app.get_version_string())
        except Exception:
            pass
    return "%d.%d.%d" % version(app)


def _class_has(module_name, class_name, attribute):
    module = getattr(live(), module_name, None)
    cls = getattr(module, class_name, None) if module is not None else None
    return cls is not None and hasattr(cls, attribute)


def capabilities():
    """What this Live can do, found by feature detection (never by version numbers)."""
    found = []
    checks = (
        ("add_new_notes", "Clip", "Clip", "add_new_notes"),
        ("get_notes_extended", "Clip", "Clip", "get_notes_extended"),
        ("duplicate_clip_to_arrangement", "Track", "Track", "duplicate_clip_to_arrangement"),
        ("create_midi_clip", "Track", "Track", "create_midi_clip"),
        ("create_audio_clip", "Track", "Track", "create_audio_clip"),
        ("slot_create_audio_clip", "ClipSlot", "ClipSlot", "create_audio_clip"),
        ("insert_device", "Track", "Track", "insert_device"),
    )
    for name, module_name, class_name, attribute in checks:
        try:
            if _class_has(module_name, class_name, attribute):
                found.append(name)
        except Exception:
            pass
    if hasattr(live().Clip, "MidiNoteSpecification") and "add_new_notes" in found:
        found.append("note_specification")
    return found


def _note_spec(pitch, start, duration, velocity, mute):
    return live().Clip.MidiNoteSpecification(
        pitch=int(pitch),
        start_time=float(start),
        duration=float(duration),
        velocity=float(velocity),
        mute=bool(mute),
    )


def add_notes(clip, notes):
    """Add (pitch, start, duration, velocity, mute) notes: ``add_new_notes`` on Live 11+,
    the legacy ``set_notes`` (which also adds) where that is all there is."""
    notes = list(notes)
    if not notes:
        return
    module = live().Clip
    if hasattr(clip, "add_new_notes") and hasattr(module, "MidiNoteSpecification"):
        clip.add_new_notes(tuple(_note_spec(*note) for note in notes))
    else:
        clip.set_notes(tuple(
            (int(p), float(s), float(d), int(round(v)), bool(m)) for p, s, d, v, m in notes))


def read_notes(clip, pitch_start=0, pitch_span=128, time_start=LEGACY_TIME_START,
               time_span=LEGACY_TIME_SPAN):
    """Notes as (pitch, start, duration, velocity, mute), ordered by pitch then time."""
    if hasattr(clip, "get_notes_extended"):
        found = clip.get_notes_extended(int(pitch_start), int(pitch_span), float(time_start),
                                        float(time_span))
        notes = [(n.pitch, n.start_time, n.duration, n.velocity, n.mute) for n in found]
    else:
        found = clip.get_notes(float(time_start), int(pitch_start), float(time_span),
                               int(pitch_span))
        notes = [tuple(n) for n in found]
    notes.sort(key=lambda n: (n[0], n[1]))
    return notes


def remove_notes(clip, pitch_start=0, pitch_span=128, time_start=LEGACY_TIME_START,
                 time_span=LEGACY_TIME_SPAN):
    """Remove the notes in a pitch and time range (``remove_notes_extended`` on Live 11+)."""
    if hasattr(clip, "remove_notes_extended"):
        clip.remove_notes_extended(int(pitch_start), int(pitch_span), float(time_start),
                                   float(time_span))
    else:
        clip.remove_notes(float(time_start), int(pitch_start), float(time_span),
                          int(pitch_span))


def forward_note(c_instance, midi_map_handle, channel, note):
    return live().MidiMap.forward_midi_note(c_instance.handle(), midi_map_handle, channel, note)


def forward_cc(c_instance, midi_map_handle, channel, cc):
    return live().MidiMap.forward_midi_cc(c_instance.handle(), midi_map_handle, channel, cc)


def absolute_map_mode():
    return live().MidiMap.MapMode.absolute
