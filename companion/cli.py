"""The ``musiaia`` command: parse, generate, render and analyze from the terminal.

Errors a producer can fix (an empty request, an impossible tempo, a folder we cannot write) print
one clear line on stderr and exit with status 2, having written nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from companion import __version__

T = TypeVar("T")

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def _cmd_parse(args: argparse.Namespace) -> int:
    from companion.pipeline import RequestError, understand_request

    try:
        understanding = understand_request(args.text)
    except RequestError as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(understanding.requirements.model_dump(mode="json"), ensure_ascii=False))
    return EXIT_OK


def _cmd_generate(args: argparse.Namespace) -> int:
    from companion.paths import default_projects_dir
    from companion.pipeline import RequestError, generate

    out_dir = Path(args.out).expanduser() if args.out else default_projects_dir()
    try:
        result = generate(
            args.request,
            seed=args.seed,
            out_dir=out_dir,
            live_version=args.live_version,
            sounds=_library_sounds(),
        )
    except RequestError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"cannot write the project to {out_dir}: {exc.strerror or exc}") from exc
    assert result.project is not None
    print(result.project.folder)
    print(f"{result.arrangement.summary()} seed={result.spec.seed}")
    return EXIT_OK


def _library_sounds():
    """The sounds stage for the command line: the built-in kit, plus the producer's library
    (``MUSIAIA_SAMPLE_DIRS``, or Live's User Library) brought up to date first — incrementally,
    with the companion's own index, so only new or changed files are read — and the uploads of
    the install's local account."""
    from companion.accounts import local_user
    from companion.db import Database
    from companion.samples.index import library_index
    from companion.settings import Settings
    from companion.sounds import SoundSource

    settings = Settings()
    has_library = any(folder.is_dir() for folder in settings.sample_folders)
    known = settings.database_url or (settings.data_dir / "musiaia.db").exists()
    if not (known or has_library):
        return SoundSource(settings.kit_dir).chooser()
    settings.ensure_dirs()
    database = Database(settings.database)
    database.create_schema()
    index = library_index(settings, database)
    report = index.scan()
    analysed = index.analyze_pending()
    if report.changed or analysed:
        print(
            f"sample library: {report.added} new, {report.updated} changed, "
            f"{report.removed} removed, {len(report.unusable)} unusable ({report.seconds:.1f} s)",
            file=sys.stderr,
        )
    with database.session() as session:
        owner = local_user(session)
        owner_id = owner.id if owner is not None else None
    return SoundSource(settings.kit_dir, database).chooser(owner=owner_id)


def _render_ready() -> None:
    from companion.render import INSTALL_HINT, missing

    if missing():
        raise CliError(f"the render needs {', '.join(missing())}: {INSTALL_HINT}")


def _cmd_render(args: argparse.Namespace) -> int:
    _render_ready()
    from companion.render import RenderError
    from companion.render.engine import render
    from companion.render.project import load_set
    from companion.render.writer import format_for, write_audio

    try:
        chosen = load_set(args.path)
        out = Path(args.out).expanduser() if args.out else chosen.project_dir / f"{chosen.stem}.wav"
        format_for(out)
        if not out.parent.is_dir():
            raise CliError(f"no such folder: {out.parent}")
        result = render(chosen.arrangement, chosen.project_dir, args.section, args.seconds)
        write_audio(out, result.audio, result.sample_rate)
    except RenderError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"cannot write {args.out or 'the render'}: {exc.strerror or exc}") from exc
    peak = float(abs(result.audio).max()) if result.audio.size else 0.0
    print(out)
    print(
        f"{result.seconds:.1f} s at {result.sample_rate} Hz · peak "
        + (f"{20 * math.log10(peak):+.1f} dBFS" if peak > 0 else "silent")
        + (" (clipped in the file)" if peak > 1.0 else "")
    )
    for path in result.missing:
        print(f"musiaia: warning: sample not found, played as silence: {path}", file=sys.stderr)
    return EXIT_OK


def _listening(path: Path, section: str | None):
    """The render's measures of the set at ``path``, or None (with a note) when it cannot be
    rendered here."""
    from companion.render import RenderError, missing

    if missing():
        print(
            f"musiaia: note: no listening report (missing {', '.join(missing())})",
            file=sys.stderr,
        )
        return None
    from companion.analysis.listening import listen
    from companion.render.project import load_set

    try:
        chosen = load_set(path)
        return listen(chosen.arrangement, chosen.project_dir, section)
    except RenderError as exc:
        raise CliError(str(exc)) from exc


def _cmd_analyze(args: argparse.Namespace) -> int:
    from companion.als.reader import AlsReadError, read_als
    from companion.analysis.metrics import compute_metrics, format_report
    from companion.midi_files import MidiReadError, read_midi

    path = Path(args.file).expanduser()
    listen_to: Path | None = None
    if path.is_dir():
        from companion.render import RenderError
        from companion.render.project import load_set

        try:
            chosen = load_set(path)
        except RenderError as exc:
            raise CliError(str(exc)) from exc
        listen_to = path
        als = chosen.project_dir / f"{chosen.stem}.als"
        path = als if als.is_file() else path
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix == ".als":
            arrangement = read_als(path)
            listen_to = listen_to or path
        elif suffix in (".mid", ".midi"):
            arrangement = read_midi(path)
            if args.section:
                raise CliError("--section needs a Live set or a project folder")
        else:
            raise CliError(f"{path.name}: expected a Live set (.als) or a MIDI file (.mid)")
    except (AlsReadError, MidiReadError) as exc:
        raise CliError(str(exc)) from exc
    report = compute_metrics(arrangement)
    listening = None
    if listen_to is not None and not args.no_listen:
        listening = _listening(listen_to, args.section)
    from companion.production.report import format_mix, mix_report

    mixed = mix_report(arrangement, listening) if arrangement.returns else None
    if args.json:
        data = report.model_dump(mode="json")
        data["listening"] = listening.model_dump(mode="json") if listening else None
        data["mix"] = mixed.model_dump(mode="json") if mixed else None
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
        if listening is not None:
            from companion.analysis.listening import format_listening

            print()
            print(format_listening(listening))
        if mixed is not None:
            print()
            print(format_mix(mixed))
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from companion.server.runner import serve

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = _settings(**overrides)
    try:
        return serve(settings)
    except OSError as exc:
        raise CliError(str(exc)) from exc


def _settings(**overrides):
    from pydantic import ValidationError

    from companion.settings import Settings

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise CliError(f"bad setting: {error['loc'][0]}: {error['msg']}") from exc


def _cmd_mcp(args: argparse.Namespace) -> int:
    """The MCP server on stdin/stdout, for AI agents (Claude Desktop, Claude Code, Cursor…)."""
    from companion import logs
    from companion.mcp_server.tracing import keep_tracing_off

    keep_tracing_off()  # before the SDK is imported (no telemetry, whatever OTEL_* says)
    from companion.mcp_server.local import run_stdio

    settings = _settings()
    logs.configure(settings.log_level, settings.log_file)  # stderr: stdout is the protocol's
    run_stdio(settings)
    # Everything is written and closed by now (files atomically, the database committed and
    # disposed, Live told goodbye). Tearing down the interpreter's modules would keep the
    # client waiting another half second at every session's end, so leave at once.
    import logging
    import os

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_OK)


def _cmd_setup(args: argparse.Namespace) -> int:
    """After ``pipx install musiaia``: the Remote Script into Live's User Library, the kit
    rendered, the data folder ready. Safe to run again (after an upgrade, say)."""
    import os
    import platform

    from companion import script_install as script

    if args.user_library:
        library: Path | None = Path(args.user_library).expanduser().resolve()
        if not library.is_dir():
            raise CliError(f"the User Library {library} does not exist")
    else:
        library = script.find_user_library(Path.home(), platform.system())
    if args.uninstall:
        if library is None:
            raise CliError("no Ableton User Library found; give it with --user-library PATH")
        removed = script.uninstall_remote_script(library)
        target = library / "Remote Scripts" / script.SCRIPT_NAME
        print(f"Removed {target}." if removed else f"No Remote Script at {target}; nothing to do.")
        if script.uninstall_kit(library):
            print(f"Removed MusiaIA's kit from {library / script.KIT_FOLDER}.")
        return EXIT_OK

    if library is None:
        looked = ", ".join(
            str(p) for p in script.user_library_candidates(Path.home(), platform.system())
        )
        print(
            "No Ableton User Library found"
            + (f" (looked in {looked})" if looked else f" on {platform.system()}")
            + "; skipping the Live Remote Script (use --user-library PATH).",
            flush=True,
        )
    moved = library is not None and args.user_library is not None
    env = script.library_env(library if moved else None, {**os.environ})
    settings = _settings(**({"kit_folder": env["MUSIAIA_KIT_DIR"]} if moved else {}))
    settings.ensure_dirs()
    if library is not None and not args.no_remote_script:
        try:
            target = script.install_remote_script(library)
            script.pair_link(target, settings.data_dir)
        except OSError as exc:
            raise CliError(f"cannot install the Live Remote Script: {exc}") from exc
        print(f"Live Remote Script installed in {target}.", flush=True)
        print(f"Paired with the companion in {settings.data_dir} (only it can talk to the script).")
    if not args.no_kit:
        from companion.kit.build import ensure_kit

        try:
            sounds = ensure_kit(settings.kit_dir)
        except OSError as exc:
            raise CliError(f"cannot write the kit to {settings.kit_dir}: {exc}") from exc
        print(f"MusiaIA's kit ({len(sounds)} sounds) is in {settings.kit_dir}.", flush=True)

    from companion.accounts import ensure_local_user
    from companion.db import Database

    settings.ensure_dirs()
    database = Database(settings.database)
    try:
        database.create_schema()
        with database.session() as session:
            ensure_local_user(session)
    finally:
        database.dispose()
    print(f"Data folder: {settings.data_dir}")
    if moved:
        env = script.library_env(library, {**os.environ})  # Samples/ exists now
        names = ("MUSIAIA_KIT_DIR", "MUSIAIA_SAMPLE_DIRS")
        wanted = " ".join(f'{n}="{env[n]}"' for n in names if n in env and n not in os.environ)
        if wanted:
            print(f"Your User Library is not in Live's default place: start MusiaIA with {wanted}")
    print("Start the companion with: musiaia serve   (for AI agents: musiaia mcp)")
    if library is not None and not args.no_remote_script:
        print(script.LAST_STEP)
    return EXIT_OK


def _read_password(args: argparse.Namespace) -> str:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise CliError("the passwords do not match")
    return first


def _cmd_user_add(args: argparse.Namespace) -> int:
    from companion.accounts import AccountError, create_user
    from companion.db import Database
    from companion.settings import Settings

    settings = Settings()
    settings.ensure_dirs()
    database = Database(settings.database)
    try:
        database.create_schema()
        with database.session() as session:
            create_user(session, args.name, _read_password(args))
    except AccountError as exc:
        raise CliError(str(exc)) from exc
    finally:
        database.dispose()
    print(f"user {args.name!r} created")
    return EXIT_OK


def _as_user(settings: Any, name: str | None, act: Callable[[Any, Any], T]) -> T:
    """Run ``act(session, user)`` for the named account (the local user when no name is given)."""
    from sqlalchemy import select

    from companion.accounts import local_user
    from companion.db import Database, User

    database = Database(settings.database)
    try:
        database.create_schema()
        with database.session() as session:
            if name:
                user = session.scalar(select(User).where(User.username == name))
            else:
                user = local_user(session)
            if user is None:
                raise CliError(f"no such user: {name or 'local user'}")
            return act(session, user)
    finally:
        database.dispose()


def _cmd_login_link(args: argparse.Namespace) -> int:
    from companion.accounts import create_login_link
    from companion.datadir import running_server
    from companion.settings import Settings

    settings = Settings()
    token = _as_user(
        settings, args.name, lambda s, u: create_login_link(s, u, settings.login_link_minutes)
    )
    server = running_server(settings.data_dir)
    if server is not None:  # the address it really serves (a --port, or a free port it chose)
        base = server.url
    else:
        host = settings.host if settings.host not in ("0.0.0.0", "::") else "127.0.0.1"
        base = f"http://{'[' + host + ']' if ':' in host else host}:{settings.port}"
        print(
            "musiaia: the server is not running; start it with `musiaia serve` "
            "(the link works once it runs, at this address)",
            file=sys.stderr,
        )
    print(f"{base}/?token={token}")
    return EXIT_OK


def _cmd_token(args: argparse.Namespace) -> int:
    """An access token for an agent that talks to the companion over HTTP (``/mcp``)."""
    from companion.accounts import issue_token

    settings = _settings()
    token, expires = _as_user(
        settings,
        args.name,
        lambda _s, u: issue_token(u, settings.secret_key, settings.token_minutes),
    )
    print(token)
    print(f"valid until {expires:%Y-%m-%d %H:%M} UTC", file=sys.stderr)
    return EXIT_OK


def _cmd_doctor(args: argparse.Namespace) -> int:
    """Which language models are configured, and do they answer right now?"""
    import asyncio

    from companion.llm.orchestrator import Orchestrator
    from companion.llm.settings import LLMSettings

    async def check() -> list:
        async with Orchestrator(LLMSettings()) as orchestrator:
            return [c.as_dict() for c in await orchestrator.doctor()]

    checks = asyncio.run(check())
    healthy = False
    for check_ in checks:
        if not check_.get("configured"):
            state = "not configured"
        elif check_.get("ok"):
            healthy = True
            state = f"answers ({check_.get('latency_ms', '?')} ms)"
        else:
            state = f"does not answer: {check_.get('error', 'unknown error')}"
        print(f"{check_.get('engine', check_.get('provider'))}: {state}")
    print(
        "offline engine: always available"
        + ("" if healthy else " (used for every message until a provider answers)")
    )
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep it to one line
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="musiaia", description="MusiaIA: from a sentence to an Ableton Live set.")
    parser.add_argument("--version", action="version", version=f"musiaia {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    parse = commands.add_parser("parse", help="show what MusiaIA understands from a request")
    parse.add_argument("text")
    parse.set_defaults(func=_cmd_parse)

    generate = commands.add_parser("generate", help="compose a song and write a Live project")
    generate.add_argument("request")
    generate.add_argument("--seed", type=int, default=None, help="same seed, same song")
    generate.add_argument("--out", default=None, help="folder for the project (default: data dir)")
    generate.add_argument(
        "--live-version",
        choices=("11", "12"),
        default="11",
        help="Live schema to write (11 opens in Live 11 and 12)",
    )
    generate.set_defaults(func=_cmd_generate)

    analyze = commands.add_parser(
        "analyze",
        help="print music-quality metrics of a project, .als or .mid (and of its render)",
    )
    analyze.add_argument("file", help="a project folder, a Live set (.als) or a MIDI file")
    analyze.add_argument("--json", action="store_true", help="print the metrics as JSON")
    analyze.add_argument(
        "--no-listen", action="store_true", help="note metrics only (no render, faster)"
    )
    analyze.add_argument("--section", default=None, help="listen to one section (by name)")
    analyze.set_defaults(func=_cmd_analyze)

    render = commands.add_parser("render", help="render a project or .als to an audio file")
    render.add_argument("path", help="a project folder (latest version) or a Live set (.als)")
    render.add_argument(
        "--out", default=None, help="file to write: .wav, .flac or .mp3 (default: <set>.wav)"
    )
    render.add_argument("--section", default=None, help="render one section (by name)")
    render.add_argument(
        "--seconds", type=float, default=None, help="render at most this many seconds"
    )
    render.set_defaults(func=_cmd_render)

    serve = commands.add_parser("serve", help="start the companion server and web panel")
    serve.add_argument("--host", default=None, help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    serve.set_defaults(func=_cmd_serve)

    user = commands.add_parser("user", help="manage local accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    add = user_commands.add_parser("add", help="create a user (password asked at a prompt)")
    add.add_argument("name")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(func=_cmd_user_add)

    setup = commands.add_parser(
        "setup", help="install the Live Remote Script, render the kit, prepare the data folder"
    )
    setup.add_argument("--user-library", metavar="PATH", help="Live's User Library, if moved")
    setup.add_argument(
        "--no-remote-script", action="store_true", help="do not touch Live's User Library"
    )
    setup.add_argument("--no-kit", action="store_true", help="do not render the built-in kit")
    setup.add_argument(
        "--uninstall", action="store_true", help="remove the Remote Script and the kit"
    )
    setup.set_defaults(func=_cmd_setup)

    mcp = commands.add_parser(
        "mcp", help="serve MusiaIA's tools to an AI agent over stdio (Model Context Protocol)"
    )
    mcp.set_defaults(func=_cmd_mcp)

    doctor = commands.add_parser("doctor", help="check the language-model providers")
    doctor.set_defaults(func=_cmd_doctor)

    token = commands.add_parser(
        "token", help="print an access token (for an AI agent using the companion's /mcp)"
    )
    token.add_argument("name", nargs="?", default=None, help="user (default: the local user)")
    token.set_defaults(func=_cmd_token)

    link = commands.add_parser("login-link", help="print a new one-time sign-in link")
    link.add_argument("name", nargs="?", default=None, help="user (default: the local user)")
    link.set_defaults(func=_cmd_login_link)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except CliError as exc:
        print(f"musiaia: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("musiaia: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
