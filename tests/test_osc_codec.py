"""The Remote Script's own OSC codec is wire-compatible with python-osc, both ways, and rejects
garbage with OSCError only."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythonosc.osc_bundle import OscBundle
from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket

from fake_live import load_script_package

load_script_package()
from MusiaIA import osc  # noqa: E402 - the package is loaded from remote_script/ above


def f32(value: float) -> float:
    """What a float32 on the wire reads back as."""
    return struct.unpack(">f", struct.pack(">f", value))[0]


def python_osc(address: str, typed_args) -> bytes:
    builder = OscMessageBuilder(address)
    for tag, value in typed_args:
        builder.add_arg(value, tag)
    return builder.build().dgram


CASES = [
    ("i", 0),
    ("i", 1),
    ("i", -1),
    ("i", 2**31 - 1),
    ("i", -(2**31)),
    ("h", 2**31),
    ("h", -(2**63)),
    ("h", 2**63 - 1),
    ("f", 0.0),
    ("f", 0.5),
    ("f", -123.25),
    ("f", f32(120.3)),
    ("f", f32(1e30)),
    ("s", ""),
    ("s", "a"),
    ("s", "abc"),
    ("s", "abcd"),
    ("s", "Acordes · Intro"),
    ("s", "ñandú 🎹"),
    ("b", b""),
    ("b", b"\x00"),
    ("b", b"abc"),
    ("b", b"abcd"),
    ("b", bytes(range(256)) * 28),
    ("T", True),
    ("F", False),
    ("N", None),
]


@pytest.mark.parametrize(
    ("tag", "value"), CASES, ids=[f"{t}-{i}" for i, (t, _) in enumerate(CASES)]
)
def test_each_type_both_ways(tag, value):
    ours = osc.encode_message("/x/y", [value])
    if value == b"":  # python-osc cannot write an empty blob, but reads ours
        theirs = b"/x/y\x00\x00\x00\x00,b\x00\x00\x00\x00\x00\x00"
    else:
        theirs = python_osc("/x/y", [(tag, value)])
    assert ours == theirs  # byte for byte
    parsed = OscMessage(ours)
    assert parsed.address == "/x/y" and parsed.params == [value]
    assert osc.decode(theirs) == osc.Message("/x/y", [value])


def test_python_osc_only_types_are_read():
    theirs = python_osc("/d", [("d", 1.0 / 3.0), ("h", -5), ("i", 7), ("s", "x")])
    assert osc.decode(theirs).args == (1.0 / 3.0, -5, 7, "x")


def test_mixed_message_and_float_rounding():
    data = osc.encode_message("/live/clip/add/notes", [0, 0, 60, 0.1, 1.0, 100, False])
    assert OscMessage(data).params == [0, 0, 60, f32(0.1), 1.0, 100, False]
    assert osc.decode(data).args[3] == f32(0.1)
    # a float too big for float32 goes as float64 rather than failing
    huge = osc.encode_message("/big", [1e300])
    assert OscMessage(huge).params == [1e300]
    with pytest.raises(osc.OSCError):
        osc.encode_message("/x", [object()])
    with pytest.raises(osc.OSCError):
        osc.encode_message("no-slash", [])
    with pytest.raises(osc.OSCError):
        osc.encode_message("/x", ["nul\x00inside"])


def test_nested_bundles_both_ways():
    inner = osc.Bundle([osc.Message("/a", [1]), osc.Message("/b", ["two", b"\x01"])], timetag=5)
    outer = osc.Bundle([osc.Message("/first", [True]), inner, osc.Message("/last", [None])])
    data = osc.encode(outer)
    parsed = OscBundle(data)
    assert parsed.num_contents == 3
    assert isinstance(parsed.content(1), OscBundle)
    assert [m.message.address for m in OscPacket(data).messages] == ["/first", "/a", "/b", "/last"]
    assert [m.message.params for m in OscPacket(data).messages] == [
        [True],
        [1],
        ["two", b"\x01"],
        [None],
    ]

    builder = OscBundleBuilder(IMMEDIATELY)
    nested = OscBundleBuilder(IMMEDIATELY)
    nested.add_content(OscMessageBuilder("/n/1").build())
    message = OscMessageBuilder("/n/2")
    message.add_arg(2.5)
    nested.add_content(message.build())
    builder.add_content(nested.build())
    builder.add_content(OscMessageBuilder("/top").build())
    decoded = osc.decode(builder.build().dgram)
    assert isinstance(decoded, osc.Bundle) and decoded.timetag == osc.IMMEDIATELY  # 1 on the wire
    assert isinstance(decoded.elements[0], osc.Bundle)
    assert [m.address for m in osc.iter_messages(decoded)] == ["/n/1", "/n/2", "/top"]
    assert list(osc.iter_messages(decoded))[1].args == (2.5,)
    assert osc.decode(osc.encode(decoded)) == decoded


def test_deeply_nested_bundles_are_refused():
    data = osc.encode(osc.Message("/x", []))
    for _ in range(osc.MAX_BUNDLE_DEPTH + 1):
        data = osc.encode_bundle([data])
    with pytest.raises(osc.OSCError, match="nested too deeply"):
        osc.decode(data)


_args = st.lists(
    st.one_of(
        st.integers(-(2**63), 2**63 - 1),
        st.floats(width=32, allow_nan=False),
        st.text(
            alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
            max_size=30,
        ),
        st.binary(max_size=40),
        st.booleans(),
        st.none(),
    ),
    max_size=8,
)
_address = st.from_regex(r"/[a-z_]{1,8}(/[a-z_*]{1,8}){0,3}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(_address, _args)
def test_round_trips_with_python_osc(address, args):
    ours = osc.encode_message(address, args)
    assert OscMessage(ours).params == args
    if b"" in args:
        return  # python-osc cannot write empty blobs
    builder = OscMessageBuilder(address)
    for value in args:
        builder.add_arg(value, "b" if isinstance(value, bytes) else None)
    theirs = builder.build().dgram
    assert theirs == ours
    assert osc.decode(theirs).args == tuple(args)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_only_ever_raises_oscerror(data):
    try:
        packet = osc.decode(data)
    except osc.OSCError:
        return
    assert isinstance(packet, (osc.Message, osc.Bundle))


def test_every_truncation_of_a_message_is_rejected():
    data = osc.encode_message("/live/clip/add/notes", [0, 1.5, "name", b"\x01\x02\x03", True])
    header = len(osc.encode_string("/live/clip/add/notes"))
    for cut in range(len(data)):
        if cut == header:
            continue  # exactly the address: a valid old-style message without arguments
        with pytest.raises(osc.OSCError):
            osc.decode(data[:cut])


def test_truncated_bundles_are_rejected_or_shorter():
    full = osc.Bundle([osc.Message("/a", [1, "x"]), osc.Message("/b", [2.0])])
    data = osc.encode(full)
    for cut in range(len(data)):
        try:
            decoded = osc.decode(data[:cut])
        except osc.OSCError:
            continue
        assert decoded != full  # only cuts on an element boundary parse, as fewer elements


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"abc\x00", "starts with '/'"),
        (b"/abc", "multiple of 4|unterminated"),
        (b"/a\x00\x00,q\x00\x00", "type tag"),
        (b"/a\x00\x00xi\x00\x00\x00\x00\x00\x01", "type tag"),
        (b"/a\x00\x00,ii\x00\x00\x00\x00\x01", "truncated int32"),
        (b"/a\x00\x00,b\x00\x00\xff\xff\xff\xfe", "negative"),
        (b"/a\x00\x00,b\x00\x00\x00\x00\x00\x09abcd", "truncated blob"),
        (b"/a\x00\x00,s\x00\x00abcd", "unterminated|not padded"),
        (b"/a\x00\x00,s\x00\x00\xff\xfe\x00\x00", "UTF-8"),
        (b"/a\x00\x00,\x00\x00\x00\x00\x00\x00\x01", "unexpected bytes"),
        (b"#bundle\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x08/a\x00\x00", "size"),
        (b"#bundle\x00\x00\x00\x00\x00", "multiple of 4|truncated"),
        (b"#bundle\x00" + b"\x00" * 8 + b"\x00\x00\x00\x04abcd", "starts with '/'"),
    ],
)
def test_malformed_packets(data, reason):
    with pytest.raises(osc.OSCError, match=reason):
        osc.decode(data)


def test_special_floats_survive():
    data = osc.encode_message("/f", [math.inf, -0.0])
    assert OscMessage(data).params == [math.inf, -0.0]
    assert math.isnan(osc.decode(osc.encode_message("/f", [math.nan])).args[0])
