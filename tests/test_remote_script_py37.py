"""The Remote Script must run on Live 11 / 12.0's embedded CPython 3.7 with only the standard
library (and Live's own ``Live`` module, in exactly one adapter file)."""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "remote_script"
FILES = sorted(SCRIPT.rglob("*.py"))
ADAPTER = "live_api.py"

# Standard-library modules that did not exist in 3.7 (sys.stdlib_module_names is 3.11's list).
NEWER_STDLIB = {
    "graphlib",
    "zoneinfo",
    "tomllib",
    "_tokenize",
    "_zoneinfo",
    "_posixshmem",
    "_statistics",
    "_typing",
    "wsgiref.types",
}
FORBIDDEN_MODULES = {"threading", "_thread", "multiprocessing", "concurrent", "asyncio"}
# Names added to the standard library after 3.7 (attribute or from-import).
NEWER_NAMES = {
    ("functools", "cache"),
    ("functools", "cached_property"),
    ("math", "prod"),
    ("math", "isqrt"),
    ("math", "dist"),
    ("math", "comb"),
    ("math", "perm"),
    ("math", "lcm"),
    ("itertools", "pairwise"),
    ("shlex", "join"),
    ("random", "randbytes"),
    ("typing", "Literal"),
    ("typing", "Protocol"),
    ("typing", "TypedDict"),
    ("typing", "Final"),
    ("sys", "stdlib_module_names"),
    ("importlib", "metadata"),
    ("time", "time_ns_"),
}
NEWER_METHODS = {"removeprefix", "removesuffix", "bit_count", "is_relative_to", "with_stem"}
BUILTIN_GENERICS = {"list", "dict", "tuple", "set", "frozenset", "type"}
FSTRING_DEBUG = re.compile(r"\{[^{}!:]*[^=!<>{}]=\s*(![rsa])?\s*(:[^{}]*)?\}")


def package_modules() -> set[str]:
    names = set()
    for path in FILES:
        relative = path.relative_to(SCRIPT).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        names.add(".".join(parts))
    return names


def problems(source: str, filename: str = "<src>", adapter: bool = False) -> list[str]:
    """Every 3.7 / stdlib violation in ``source`` (empty list = fine)."""
    found: list[str] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            prefix = re.match(r"[A-Za-z]*", token.string).group(0).lower()
            if "f" in prefix and FSTRING_DEBUG.search(token.string):
                found.append(f"line {token.start[0]}: f-string '=' specifier needs Python 3.8")
    try:
        tree = ast.parse(source, filename, feature_version=(3, 7))
    except SyntaxError as error:
        return [*found, f"not Python 3.7 syntax: {error.msg} (line {error.lineno})"]
    stdlib = set(sys.stdlib_module_names) - NEWER_STDLIB

    def check_module(name: str, line: int) -> None:
        top = name.split(".")[0]
        if top in FORBIDDEN_MODULES:
            found.append(f"line {line}: imports {top} (no threads in Live's script)")
        elif top == "Live":
            if not adapter:
                found.append(f"line {line}: imports Live outside {ADAPTER}")
        elif top not in stdlib or name in NEWER_STDLIB:
            found.append(f"line {line}: imports {name}, not in Python 3.7's standard library")

    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                check_module(alias.name, line)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                check_module(node.module, line)
                for alias in node.names:
                    if (node.module, alias.name) in NEWER_NAMES:
                        found.append(f"line {line}: {node.module}.{alias.name} is newer than 3.7")
        elif isinstance(node, ast.NamedExpr):
            found.append(f"line {line}: walrus operator")
        elif type(node).__name__ in ("Match", "TryStar"):
            found.append(f"line {line}: {type(node).__name__} statement")
        elif isinstance(node, ast.arguments) and node.posonlyargs:
            found.append(f"line {line}: positional-only parameters")
        elif isinstance(node, ast.Attribute):
            if node.attr in NEWER_METHODS:
                found.append(f"line {line}: .{node.attr}() is newer than 3.7")
            if isinstance(node.value, ast.Name) and (node.value.id, node.attr) in NEWER_NAMES:
                found.append(f"line {line}: {node.value.id}.{node.attr} is newer than 3.7")
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and (node.value.id in BUILTIN_GENERICS)
        ):
            found.append(f"line {line}: {node.value.id}[...] needs Python 3.9")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and (node.func.id == "zip" and any(k.arg == "strict" for k in node.keywords))
        ):
            found.append(f"line {line}: zip(strict=) needs Python 3.10")
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            annotations.append(node.returns)
            args = node.args
            annotations += [a.annotation for a in args.args + args.kwonlyargs]
            annotations += [a.annotation for a in (args.vararg, args.kwarg) if a is not None]
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        for annotation in filter(None, annotations):
            for inner in ast.walk(annotation):
                if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.BitOr):
                    found.append(f"line {line}: X | Y annotation needs Python 3.10")
    return found


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SCRIPT)) for p in FILES])
def test_file_is_python37_and_stdlib_only(path):
    source = path.read_text(encoding="utf-8")
    assert problems(source, str(path), adapter=path.name == ADAPTER) == []


def test_relative_imports_name_package_modules():
    known = package_modules()
    for path in FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = path.relative_to(SCRIPT).parent.parts
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = list(package[: len(package) - (node.level - 1)])
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module:
                    assert target in known, f"{path.name}: from {'.' * node.level}{node.module}"
                else:
                    for alias in node.names:
                        assert ".".join([*base, alias.name]) in known, (path.name, alias.name)


def test_only_the_adapter_touches_live():
    users = [
        p.name
        for p in FILES
        if re.search(r"^\s*import Live|^\s*from Live", p.read_text(encoding="utf-8"), re.M)
    ]
    assert users == [ADAPTER]
    assert len(FILES) >= 15  # the package is really there


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("if (n := 3):\n    pass\n", "3.7 syntax"),
        ("match x:\n    case 1:\n        pass\n", "3.7 syntax"),
        ("x = 1\ny = f'{x=}'\n", "'=' specifier"),
        ("def f(a: int | None) -> None:\n    pass\n", "X | Y"),
        ("x = list[int]\n", "needs Python 3.9"),
        ("'abc'.removeprefix('a')\n", "removeprefix"),
        ("import functools\n@functools.cache\ndef f():\n    pass\n", "functools.cache"),
        ("from functools import cache\n", "functools.cache"),
        ("import threading\n", "no threads"),
        ("import numpy\n", "not in Python 3.7"),
        ("import zoneinfo\n", "not in Python 3.7"),
        ("import Live\n", "outside live_api.py"),
        ("def f(a, /):\n    pass\n", "3.7 syntax|positional-only"),
        ("zip([], [], strict=True)\n", "strict"),
    ],
)
def test_the_checker_catches_violations(snippet, expected):
    found = problems(snippet)
    assert found and re.search(expected, " ".join(found)), found


def test_the_checker_accepts_plain_37_code():
    assert (
        problems(
            "import json, zlib, socket\nfrom collections import OrderedDict\n"
            "x = f'{1 + 1}'\ny = f'{x!r:>10}'\nz = f'{x == 1}'\n"
        )
        == []
    )
