"""/live/device/...: a device's name and type and its parameters (track, device first)."""

from . import base
from .properties import auto, register_listing, register_properties


def register(dispatcher, script):
    def resolve(args):
        track_index = base.to_int(base.arg(args, 0, "track index"), "track index")
        device_index = base.to_int(base.arg(args, 1, "device index"), "device index")
        device = base.device_at(script.song(), track_index, device_index)
        return (track_index, device_index), device, args[2:]

    register_properties(dispatcher, script, "device",
                        (("name", "str"),) + auto(("class_name", "type", "can_have_chains",
                                                   "can_have_drum_pads", "is_active")),
                        resolve, writable=("name",))

    for name, read in (
        ("num_parameters", lambda d: [len(d.parameters)]),
        ("parameters/name", lambda d: [p.name for p in d.parameters]),
        ("parameters/value", lambda d: [p.value for p in d.parameters]),
        ("parameters/min", lambda d: [p.min for p in d.parameters]),
        ("parameters/max", lambda d: [p.max for p in d.parameters]),
        ("parameters/is_quantized", lambda d: [p.is_quantized for p in d.parameters]),
    ):
        register_listing(dispatcher, "device", name, resolve, read)

    def set_values(request, args):
        _indices, device, rest = resolve(args)
        for parameter, value in zip(device.parameters, rest):
            parameter.value = base.to_float(value, "value")
        return None

    dispatcher.add("/live/device/set/parameters/value", set_values)

    def parameter(args):
        indices, device, rest = resolve(args)
        index = base.to_int(base.arg(rest, 0, "parameter index"), "parameter index")
        return indices + (index,), base.item_at(device.parameters, index), rest[1:]

    register_properties(dispatcher, script, "device", (("value", "float"),), parameter,
                        alias="parameter/value")
    register_properties(dispatcher, script, "device", (("name", "str"),), parameter,
                        writable=(), alias="parameter/name")

    def value_string(request, args):
        indices, target, _rest = parameter(args)
        return indices + (str(target),)

    dispatcher.add("/live/device/get/parameter/value_string", value_string)
