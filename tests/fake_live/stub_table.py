"""Which Live API names exist in which Live version, read from Live's own API stubs.

``names_in(folder)`` lists every ``Module.Class.member`` (and ``Module.function``) in a folder of
``.pyi`` stubs — the ``Live-stubs`` package that the dev dependency ``ableton-live-stubs``
installs (Live 12.3.6), or one version folder of its upstream repository (PhotonicVelocity/
LiveAPI ``stubs/<version>/Live``, Live 11.0.0 to 12.3.6). ``python -m fake_live.stub_table
<LiveAPI checkout>`` rebuilds ``live_api_versions.json``: for every name, the versions that have
it. The table is committed (CI has no network); a test checks its 12.3.6 column against the
installed package, and the simulator's version profiles and the script's API use against it.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

TABLE = Path(__file__).with_name("live_api_versions.json")


def _members(node: ast.ClassDef, prefix: str, found: set[str]) -> None:
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            found.add(f"{prefix}.{item.name}")
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            found.add(f"{prefix}.{item.target.id}")
        elif isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name):
                    found.add(f"{prefix}.{target.id}")
        elif isinstance(item, ast.ClassDef):
            found.add(f"{prefix}.{item.name}")
            _members(item, f"{prefix}.{item.name}", found)


def names_in(folder: Path) -> set[str]:
    """Every ``Module.Class[.Nested].member`` and ``Module.function`` in the stubs folder."""
    found: set[str] = set()
    for path in sorted(Path(folder).glob("*.pyi")):
        module = path.stem
        if module == "__init__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found.add(f"{module}.{node.name}")
                _members(node, f"{module}.{node.name}", found)
            elif isinstance(node, ast.FunctionDef):
                found.add(f"{module}.{node.name}")
    return found


def bases_in(folder: Path) -> dict[str, list[str]]:
    """Simple class name → the simple names of its base classes, from the stubs."""
    bases: dict[str, list[str]] = {}
    for path in sorted(Path(folder).glob("*.pyi")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = [
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                ]
                bases.setdefault(node.name, []).extend(n for n in names if n)
    return bases


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def load_table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def build(checkout: Path) -> dict:
    versions = sorted(
        (p.name for p in (checkout / "stubs").iterdir() if (p / "Live").is_dir()), key=version_key
    )
    per_version = {v: names_in(checkout / "stubs" / v / "Live") for v in versions}
    every = sorted(set().union(*per_version.values()))
    names = {}
    for name in every:
        present = [i for i, v in enumerate(versions) if name in per_version[v]]
        names[name] = present if len(present) != len(versions) else "all"
    return {
        "source": "PhotonicVelocity/LiveAPI stubs/<version>/Live (MIT), generated from Live",
        "versions": versions,
        "names": names,
    }


def present_in(table: dict, name: str, version: str) -> bool:
    entry = table["names"].get(name)
    if entry is None:
        return False
    if entry == "all":
        return True
    return table["versions"].index(version) in entry


def since(table: dict, name: str) -> str | None:
    """The first version with ``name`` (None: in no version)."""
    entry = table["names"].get(name)
    if entry is None:
        return None
    return table["versions"][0 if entry == "all" else entry[0]]


if __name__ == "__main__":
    table = build(Path(sys.argv[1]))
    TABLE.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(table['names'])} names over {len(table['versions'])} versions → {TABLE}")
