"""install.py puts the Remote Script into Live's User Library on fake home folders laid out like
macOS and Windows, reinstalls idempotently and uninstalls."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from fake_live import FakeLive, load_script_package

REPO = Path(__file__).resolve().parents[1]


def _load_installer():
    spec = importlib.util.spec_from_file_location("musiaia_install", REPO / "install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


installer = _load_installer()


@pytest.fixture
def host(monkeypatch, tmp_path):
    """A fake home folder; ``host(system)`` switches the pretend operating system."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(installer, "home_dir", lambda: home)
    monkeypatch.delenv("USERPROFILE", raising=False)

    def no_venv(env_dir, dev):
        raise AssertionError("the virtual environment must not be touched here")

    monkeypatch.setattr(installer, "ensure_venv", no_venv)

    def use(system: str) -> Path:
        monkeypatch.setattr(installer, "current_system", lambda: system)
        if system == "Windows":
            monkeypatch.setenv("USERPROFILE", str(home))
        return home

    return use


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def source_files() -> set[str]:
    return {
        str(p.relative_to(installer.SCRIPT_SOURCE))
        for p in installer.SCRIPT_SOURCE.rglob("*")
        if "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_macos_layout(host, capsys):
    home = host("Darwin")
    library = home / "Music" / "Ableton" / "User Library"
    library.mkdir(parents=True)
    assert installer.main(["script"]) == 0
    target = library / "Remote Scripts" / "MusiaIA"
    assert (target / "__init__.py").is_file() and (target / "PROTOCOL.md").is_file()
    assert files(target) == source_files() | {"config.json"}  # the link secret
    assert not list(target.rglob("__pycache__")) and not list(target.rglob("*.pyc"))
    out = capsys.readouterr().out
    assert str(target) in out
    assert "Preferences → Link, Tempo & MIDI → Control Surface: MusiaIA" in out
    assert "restart Live" in out


@pytest.mark.parametrize("onedrive", [False, True])
def test_windows_layout(host, capsys, onedrive):
    home = host("Windows")
    documents = home / "OneDrive" / "Documents" if onedrive else home / "Documents"
    library = documents / "Ableton" / "User Library"
    library.mkdir(parents=True)
    assert installer.main(["script"]) == 0
    assert (library / "Remote Scripts" / "MusiaIA" / "surface.py").is_file()
    assert installer.find_user_library(home, "Windows", {"USERPROFILE": str(home)}) == library


def test_reinstall_is_idempotent_and_replaces_an_older_copy(host, tmp_path):
    home = host("Darwin")
    library = home / "Music" / "Ableton" / "User Library"
    library.mkdir(parents=True)
    target = installer.install_remote_script(library)
    first = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    (target / "old_module.py").write_text("# from an older MusiaIA\n")
    (target / "config.json").write_text('{"script_port": 12010}')
    (target / "__pycache__").mkdir()
    (target / "__pycache__" / "surface.cpython-37.pyc").write_bytes(b"stale")

    again = installer.install_remote_script(library)
    assert again == target
    assert not (target / "old_module.py").exists()
    assert not (target / "__pycache__").exists()
    assert (target / "config.json").read_text() == '{"script_port": 12010}'
    assert {
        p: p.read_bytes() for p in target.rglob("*") if p.is_file() and p.name != "config.json"
    } == first
    leftovers = [p.name for p in (library / "Remote Scripts").iterdir()]
    assert leftovers == ["MusiaIA"]


def test_bytecode_in_the_source_is_not_copied(tmp_path):
    source = tmp_path / "remote_script"
    (source / "handlers" / "__pycache__").mkdir(parents=True)
    (source / "__init__.py").write_text("def create_instance(c):\n    return None\n")
    (source / "handlers" / "__init__.py").write_text("")
    (source / "handlers" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"x")
    (source / "stray.pyc").write_bytes(b"x")
    target = installer.install_remote_script(tmp_path / "lib", source=source)
    assert files(target) == {"__init__.py", "handlers", "handlers/__init__.py"}


def test_uninstall(host, capsys):
    home = host("Darwin")
    library = home / "Music" / "Ableton" / "User Library"
    library.mkdir(parents=True)
    installer.main(["script"])
    (library / "Remote Scripts" / "Other Script").mkdir()
    capsys.readouterr()
    assert installer.main(["--uninstall"]) == 0
    assert not (library / "Remote Scripts" / "MusiaIA").exists()
    assert (library / "Remote Scripts" / "Other Script").is_dir()  # only ours is removed
    assert "Removed" in capsys.readouterr().out
    assert installer.main(["--uninstall"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_user_library_option(host, tmp_path, capsys):
    host("Linux")  # no default location on Linux, an explicit one works anywhere
    library = tmp_path / "Moved Library"
    library.mkdir()
    assert installer.main(["script", "--user-library", str(library)]) == 0
    assert (library / "Remote Scripts" / "MusiaIA" / "__init__.py").is_file()
    assert installer.main(["--uninstall", "--user-library", str(library)]) == 0
    assert not (library / "Remote Scripts" / "MusiaIA").exists()
    capsys.readouterr()
    installer.main(["script", "--user-library", str(tmp_path / "typo")])
    assert "does not exist" in capsys.readouterr().out


def test_missing_user_library_is_one_line_and_setup_continues(host, monkeypatch, capsys):
    home = host("Darwin")
    calls = []
    monkeypatch.setattr(
        installer, "ensure_venv", lambda env_dir, dev: calls.append(dev) or Path("python")
    )
    assert installer.main(["setup"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("No Ableton User Library found (looked in ")
    assert str(home / "Music" / "Ableton" / "User Library") in out[0]
    assert out[1] == "MusiaIA is set up."
    assert calls == [False]


def test_setup_installs_unless_told_not_to(host, monkeypatch):
    home = host("Darwin")
    library = home / "Music" / "Ableton" / "User Library"
    library.mkdir(parents=True)
    monkeypatch.setattr(installer, "ensure_venv", lambda env_dir, dev: Path("python"))
    installer.main(["setup", "--no-remote-script"])
    assert not (library / "Remote Scripts").exists()
    installer.main(["setup"])
    assert (library / "Remote Scripts" / "MusiaIA" / "__init__.py").is_file()


def test_the_installed_copy_loads_in_live(host):
    home = host("Darwin")
    library = home / "Music" / "Ableton" / "User Library"
    library.mkdir(parents=True)
    target = installer.install_remote_script(library)
    installer.pair_link(target, home / "data")
    live = FakeLive("11.3")
    try:
        package = load_script_package("MusiaIA", folder=target)
        assert Path(package.__file__).parent == target
        surface, c_instance = live.start_script(package)
        live.tick(2)
        assert "listening" in c_instance.logs[0]
        assert surface.gate.secret is not None  # paired by the installer
        live.stop_script(surface)
    finally:
        live.close()


def test_uninstall_also_removes_the_kit_the_companion_rendered(host, capsys):
    home = host("Darwin")
    library = home / "Music" / "Ableton" / "User Library"
    kit = library / "Samples" / "MusiaIA Kit"
    kit.mkdir(parents=True)
    (kit / "MusiaIA_Kick.wav").write_bytes(b"RIFF")
    mine = library / "Samples" / "My Kicks"
    mine.mkdir()
    (mine / "kick.wav").write_bytes(b"RIFF")
    assert installer.main(["--uninstall"]) == 0
    assert kit.is_dir()  # no manifest: not provably ours, left alone
    (kit / "musiaia-kit.json").write_text("{}")
    assert installer.main(["--uninstall"]) == 0
    assert not kit.exists() and (mine / "kick.wav").is_file()
    assert "kit" in capsys.readouterr().out


def test_a_moved_user_library_is_passed_to_the_companion(tmp_path):
    library = tmp_path / "Moved Library"
    (library / "Samples").mkdir(parents=True)
    env = installer.library_env(library, {"PATH": "/bin"})
    assert env["MUSIAIA_KIT_DIR"] == str(library / "Samples" / "MusiaIA Kit")
    assert env["MUSIAIA_SAMPLE_DIRS"] == str(library / "Samples")
    kept = installer.library_env(library, {"MUSIAIA_SAMPLE_DIRS": "/mine"})
    assert kept["MUSIAIA_SAMPLE_DIRS"] == "/mine"  # what the user set wins
    assert installer.library_env(None, {"A": "1"}) == {"A": "1"}


def test_install_pairs_the_script_with_the_companion(host, monkeypatch):
    """One random secret, owner-only, in the script's config.json and the companion's data
    folder; a reinstall keeps it (and the user's other settings)."""
    import json
    import stat

    from companion.live.link import KEY_FILE, load_or_create_key
    from companion.paths import default_data_dir

    home = host("Darwin")
    library = home / "Music" / "Ableton" / "User Library"
    library.mkdir(parents=True)
    assert installer.main(["script"]) == 0
    target = library / "Remote Scripts" / "MusiaIA"
    data_dir = home / "Library" / "Application Support" / "MusiaIA"
    config = json.loads((target / "config.json").read_text())
    key_text = (data_dir / KEY_FILE).read_text().strip()
    assert len(key_text) == 64 and config["link_secret"] == key_text
    for path in (target / "config.json", data_dir / KEY_FILE):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    secret, created = load_or_create_key(data_dir)  # what the companion reads
    assert secret == bytes.fromhex(key_text) and not created

    config["script_port"] = 12010
    (target / "config.json").write_text(json.dumps(config))
    assert installer.main(["script"]) == 0
    again = json.loads((target / "config.json").read_text())
    assert again == {"link_secret": key_text, "script_port": 12010}

    other = home / "elsewhere"  # another machine's install gets another secret
    assert installer.pair_link(target, other) != key_text

    monkeypatch.setenv("MUSIAIA_DATA_DIR", str(home / "custom"))
    assert installer.companion_data_dir(home, "Linux") == home / "custom" == default_data_dir()
    monkeypatch.delenv("MUSIAIA_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg"))
    assert installer.companion_data_dir(home, "Linux") == home / "xdg" / "musiaia"


def _fake_env(tmp_path: Path) -> Path:
    env_dir = tmp_path / "venv"
    python = installer.venv_python(env_dir)
    python.parent.mkdir(parents=True)
    python.write_text("")  # exists: no new environment is made
    return env_dir


def _pip_targets(calls: list[list[str]]) -> list[str]:
    return [call[-1].removeprefix(str(installer.ROOT)) for call in calls]


def test_setup_installs_the_render_libraries_by_default(tmp_path, monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(installer.subprocess, "call", lambda c: calls.append(c) or 0)
    env_dir = _fake_env(tmp_path)
    installer.ensure_venv(env_dir, dev=False)
    installer.ensure_venv(env_dir, dev=False)  # up to date: nothing to do
    assert _pip_targets(calls) == ["[render]"]
    installer.ensure_venv(env_dir, dev=True)  # the test tools include the render
    installer.ensure_venv(env_dir, dev=False, render=False)
    assert _pip_targets(calls) == ["[render]", "[dev]", ""]


def test_without_render_wheels_the_install_goes_on_without_them_once(tmp_path, monkeypatch, capsys):
    calls: list[list[str]] = []

    def pip(command):
        calls.append(command)
        return 1 if command[-1].endswith("[render]") else 0  # no wheel for this machine

    monkeypatch.setattr(installer.subprocess, "call", pip)
    env_dir = _fake_env(tmp_path)
    installer.ensure_venv(env_dir, dev=False)
    assert _pip_targets(calls) == ["[render]", ""]
    assert "Web Audio" in capsys.readouterr().out
    installer.ensure_venv(env_dir, dev=False)  # not tried again on every start
    assert len(calls) == 2


def test_a_failing_core_install_stops_the_installer(tmp_path, monkeypatch):
    monkeypatch.setattr(installer.subprocess, "call", lambda c: 1)
    with pytest.raises(SystemExit):
        installer.ensure_venv(_fake_env(tmp_path), dev=False)


# --------------------------------------------------------------------------- the test browser


def fake_browser(folder: Path, name: str, works: bool = True) -> Path:
    """An executable that answers --version as a browser does (or, like Ubuntu's chromium-browser
    stub without its snap, only prints advice and fails)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if works:
        path.write_text("#!/bin/sh\necho 'Chromium 140.0.0.0'\n")
    else:
        path.write_text(
            "#!/bin/sh\necho 'requires the chromium snap to be installed' >&2\nexit 1\n"
        )
    path.chmod(0o755)
    return path


@pytest.fixture
def test_run(monkeypatch, tmp_path):
    """``install.py test`` with a pretend virtual env, an empty PATH for browsers, and pytest and
    the package managers replaced by recorders; browsers' --version really runs."""
    monkeypatch.setattr(installer, "ensure_venv", lambda env_dir, dev: Path("python"))
    monkeypatch.delenv("MUSIAIA_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(installer, "CHROMIUM_APPS", ())
    calls: dict[str, list] = {"pytest": [], "commands": []}
    real_run = installer.run_quietly
    actions: dict[tuple, callable] = {}

    def run_quietly(command, timeout=900, env=None):
        if command[1:] == ["--version"]:
            return real_run(command, timeout, env)
        calls["commands"].append(command)
        action = actions.get(tuple(command))
        returncode, stdout = action() if action else (1, "")
        return subprocess.CompletedProcess(command, returncode, stdout, "")

    def pytest_call(command, cwd=None, env=None):
        calls["pytest"].append((command, env))
        return 0

    monkeypatch.setattr(installer, "run_quietly", run_quietly)
    monkeypatch.setattr(installer.subprocess, "call", pytest_call)
    calls["actions"] = actions
    return calls


def test_the_systems_chromium_is_used(test_run, tmp_path, monkeypatch):
    browser = fake_browser(tmp_path / "bin", "chromium")
    monkeypatch.setattr(installer, "current_system", lambda: "Linux")
    assert installer.main(["test", "-q"]) == 0
    ((command, env),) = test_run["pytest"]
    assert command[-1] == "-q" and env["MUSIAIA_CHROMIUM"] == str(browser)
    assert test_run["commands"] == []  # nothing installed


def test_a_browser_stub_that_does_not_start_is_passed_over(test_run, tmp_path, monkeypatch):
    fake_broken = fake_browser(tmp_path / "bin", "chromium-browser", works=False)
    working = fake_browser(tmp_path / "bin", "google-chrome")
    assert installer.find_chromium() == str(working)
    working.unlink()
    assert installer.find_chromium() is None and fake_broken.exists()


def test_as_root_on_debian_apt_installs_chromium(test_run, tmp_path, monkeypatch):
    monkeypatch.setattr(installer, "current_system", lambda: "Linux")
    monkeypatch.setattr(installer, "can_administer", lambda: [])
    which = shutil.which
    monkeypatch.setattr(
        installer.shutil,
        "which",
        lambda name, path=None: "/usr/bin/apt-get" if name == "apt-get" else which(name, path=path),
    )

    def apt_installs_it():
        fake_browser(tmp_path / "bin", "chromium")
        return 0, ""

    test_run["actions"][("apt-get", "install", "-y", "-qq", "chromium")] = apt_installs_it
    assert installer.main(["test"]) == 0
    assert test_run["commands"] == [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "chromium"],
    ]
    ((_, env),) = test_run["pytest"]
    assert env["MUSIAIA_CHROMIUM"] == str(tmp_path / "bin" / "chromium")


def test_playwrights_download_is_the_last_resort(test_run, tmp_path, monkeypatch):
    monkeypatch.setattr(installer, "current_system", lambda: "Darwin")  # no apt-get
    downloaded = fake_browser(tmp_path / "ms-playwright", "chrome")
    test_run["actions"][("python", "-m", "playwright", "install", "chromium")] = lambda: (0, "")
    real = installer.run_quietly

    def run_quietly(command, timeout=900, env=None):
        if command[:2] == ["python", "-c"]:
            return subprocess.CompletedProcess(command, 0, f"{downloaded}\n", "")
        return real(command, timeout, env)

    monkeypatch.setattr(installer, "run_quietly", run_quietly)
    assert installer.main(["test"]) == 0
    ((_, env),) = test_run["pytest"]
    assert env["MUSIAIA_CHROMIUM"] == str(downloaded)


def test_without_any_browser_it_stops_with_one_line(test_run, monkeypatch, capsys):
    monkeypatch.setattr(installer, "current_system", lambda: "Linux")
    monkeypatch.setattr(installer, "can_administer", lambda: None)  # not root, no sudo
    with pytest.raises(SystemExit) as stopped:
        installer.main(["test"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Chromium" in err[0] and "apt-get install chromium" in err[0]
    assert test_run["pytest"] == []  # no 30 browser tracebacks: the tests never started
    assert ["python", "-m", "playwright", "install", "chromium"] in test_run["commands"]


def test_tests_that_need_no_browser_run_without_one(test_run, monkeypatch):
    monkeypatch.setattr(installer, "current_system", lambda: "Linux")
    monkeypatch.setattr(installer, "can_administer", lambda: None)
    assert installer.main(["test", "tests/test_parser.py", "-k", "tempo"]) == 0
    ((_, env),) = test_run["pytest"]
    assert "MUSIAIA_CHROMIUM" not in env and test_run["commands"] == []
    assert installer.needs_browser(["tests/test_panel.py"])
    assert installer.needs_browser(["tests", "-x"]) and installer.needs_browser(["-k", "x"])
