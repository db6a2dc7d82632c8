"""/live/scene/...: a scene's name, colour and launching (scene index first)."""

from . import base
from .properties import auto, register_methods, register_properties

PROPERTIES = (("name", "str"), ("color_index", "int"), ("color", "int")) + auto((
    "is_empty", "is_triggered", "tempo", "tempo_enabled", "time_signature_numerator",
    "time_signature_denominator", "time_signature_enabled"))
WRITABLE = ("name", "color_index", "color", "tempo", "tempo_enabled",
            "time_signature_numerator", "time_signature_denominator", "time_signature_enabled")
METHODS = (("fire", ()), ("fire_as_selected", ()))


def register(dispatcher, script):
    def resolve(args):
        index = base.to_int(base.arg(args, 0, "scene index"), "scene index")
        return (index,), base.scene_at(script.song(), index), args[1:]

    register_properties(dispatcher, script, "scene", PROPERTIES, resolve, writable=WRITABLE)
    register_methods(dispatcher, "scene", METHODS, resolve)
