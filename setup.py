"""Which files go into the package (the metadata is in pyproject.toml).

The wheel carries everything a producer needs: the companion, its web panel, the built-in kit's
code and Ableton Live's Remote Script. The Remote Script lives at the top of the checkout as
``remote_script/`` (Python 3.7, run by Live, installed by ``install.py``); in the wheel it becomes
``companion/remote_script``, where ``musiaia setup`` finds it.
"""

from setuptools import find_namespace_packages, find_packages, setup

SCRIPT = "companion.remote_script"

setup(
    packages=[
        # Namespace packages too: some of companion's folders have no __init__.py.
        *find_namespace_packages(
            include=["companion", "companion.*"], exclude=["*.__pycache__", "*.__pycache__.*"]
        ),
        SCRIPT,
        *(f"{SCRIPT}.{name}" for name in find_packages("remote_script")),
    ],
    package_dir={SCRIPT: "remote_script"},
    package_data={"companion": ["py.typed", "web/*", "web/**/*"], SCRIPT: ["*.md"]},
)
