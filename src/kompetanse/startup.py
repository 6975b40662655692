"""`kompetanse serve`: start the server, and fail at start with one line that says what is wrong
and what to do (exit status 1, no traceback):

    kompetanse: port 8000 on 127.0.0.1 is in use (is another server running?); stop it, or
        choose another port with --port or KOMPETANSE_PORT
    kompetanse: the embedded store in ./kompetanse-data is in use by another process (...)
    kompetanse: the data directory ./kompetanse-data is not writable (Permission denied); ...
    kompetanse: cannot reach MongoDB at db1:27017 within 30 s (Connection refused); ...

The order is what a start needs: the port (bound before anything is loaded, and kept: no other
program can take it meanwhile), then the store (its directory, or a `ping` to MongoDB with
`KOMPETANSE_STARTUP_TIMEOUT_SECONDS`), then the app's start (the lifespan: indexes, the
catalog, the bootstrap credential), whose known failures are said the same way. An error
nobody foresaw still shows its traceback: that is a bug to report.

One process runs the app's start in the same event loop as uvicorn (with uvicorn's own
lifespan off), so a failure is raised here rather than logged by uvicorn; SIGTERM and SIGINT
stop the server gracefully and then close the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

import uvicorn
from pymongo import AsyncMongoClient
from pymongo.errors import ConfigurationError, OperationFailure, PyMongoError
from pymongo.uri_parser import parse_uri

from kompetanse.health import write_probe
from kompetanse.logs import logging_config
from kompetanse.metrics import MULTIPROCESS_DIR
from kompetanse.settings import Settings
from lrs.errors import LrsError


class StartupFailed(Exception):
    """The server cannot start; the message is one line: the problem and what to do."""


def serve(settings: Settings) -> int:
    """Run the server until it is stopped; 0, or 1 after printing why it could not start."""
    try:
        if settings.workers == 1:
            _serve_one(settings)
        else:
            _serve_workers(settings)
    except StartupFailed as failed:
        print(f"kompetanse: {failed}", file=sys.stderr, flush=True)
        return 1
    return 0


def _config(settings: Settings, app: Any, **options: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=logging_config(settings.log_format, settings.log_level),
        access_log=False,  # kompetanse.logs writes one line per request, without the query
        **options,
    )


def _serve_one(settings: Settings) -> None:
    from kompetanse.app import create_app

    app = create_app(settings, settle_gc=True)
    config = _config(settings, app, lifespan="off")  # configures logging
    listening = listen(settings.host, settings.port)
    try:
        check_store(settings)
        _announce(settings)
        factory = getattr(config, "get_loop_factory", lambda: None)()
        with asyncio.Runner(loop_factory=factory) as runner:
            runner.run(_run(app, config, listening))
    finally:
        listening.close()


async def _run(app: Any, config: uvicorn.Config, listening: socket.socket) -> None:
    async with contextlib.AsyncExitStack() as stack:
        with explained():
            await stack.enter_async_context(app.router.lifespan_context(app))
        await _Server(config).serve(sockets=[listening])


def _serve_workers(settings: Settings) -> None:
    """Several processes on one port: the app's start runs once here (indexes, the catalog,
    the bootstrap credential), then uvicorn starts the workers, each with its own app. Their
    metrics are kept in a directory they share, added up at each scrape."""
    from kompetanse.app import create_app

    made = None
    if not os.environ.get(MULTIPROCESS_DIR):
        made = os.environ[MULTIPROCESS_DIR] = tempfile.mkdtemp(prefix="kompetanse-metrics-")
    try:
        app = create_app(settings)
        config = _config(settings, app)  # configures logging, as each worker will
        listen(settings.host, settings.port).close()
        check_store(settings)
        with explained():
            asyncio.run(_start_once(app))
        os.environ["KOMPETANSE_HOST"] = settings.host
        os.environ["KOMPETANSE_PORT"] = str(settings.port)
        _announce(settings)
        uvicorn.run(
            "kompetanse.app:serve",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            log_config=config.log_config,
            access_log=False,
        )
    finally:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)


async def _start_once(app: Any) -> None:
    async with app.router.lifespan_context(app):
        pass


def _announce(settings: Settings) -> None:
    print(f"kompetanse: LRS at http://{settings.host}:{settings.port}/xapi", flush=True)


# --- the checks --------------------------------------------------------------------------------


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port), as uvicorn binds one; StartupFailed naming the problem."""
    what = f"{host}:{port}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise StartupFailed(
            f"cannot listen on {what}: {exc.strerror}; set KOMPETANSE_HOST (or --host) "
            "to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0"
        ) from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.set_inheritable(True)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartupFailed(
                f"port {port} on {host} is in use (is another server running?); stop it, "
                "or choose another port with --port or KOMPETANSE_PORT"
            ) from exc
        raise StartupFailed(
            f"cannot listen on {what}: {exc.strerror}; choose another address with "
            "--host/--port (KOMPETANSE_HOST, KOMPETANSE_PORT)"
        ) from exc
    return sock


def check_store(settings: Settings) -> None:
    """The embedded store's directory takes a write; MongoDB answers a ping."""
    if settings.mongodb_uri is None:
        check_data_dir(settings)
    else:
        asyncio.run(check_mongodb(settings))


def check_data_dir(settings: Settings) -> None:
    directory = settings.data_dir
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_probe(directory)
    except OSError as exc:
        raise StartupFailed(_data_dir_problem(settings, exc)) from exc


def _data_dir_problem(settings: Settings, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return (
        f"the data directory {settings.data_dir} is not writable ({reason}); give the "
        "server's user write access to it, or set KOMPETANSE_DATA_DIR to a directory it can "
        "write (or KOMPETANSE_MONGODB_URI to use MongoDB)"
    )


async def check_mongodb(settings: Settings) -> None:
    """A `ping` with its own client, waiting at most `startup_timeout_seconds` for a server."""
    assert settings.mongodb_uri is not None  # noqa: S101 - check_store's branch
    uri = settings.mongodb_uri.get_secret_value()
    timeout = settings.startup_timeout_seconds
    with _mongodb_explained(uri, timeout):
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            uri, serverSelectionTimeoutMS=int(timeout * 1000)
        )
        try:
            await client.admin.command("ping")
        finally:
            await client.close()


@contextlib.contextmanager
def _mongodb_explained(uri: str, timeout: float) -> Iterator[None]:
    try:
        nodes = parse_uri(uri)["nodelist"]
        hosts = ",".join(f"{h}:{p}" for h, p in nodes)
    except (ConfigurationError, ValueError):
        hosts = "?"
    try:
        yield
    except ConfigurationError as exc:
        raise StartupFailed(
            f"KOMPETANSE_MONGODB_URI is not a usable MongoDB connection string: "
            f"{scrub(str(exc), uri)}"
        ) from exc
    except OperationFailure as exc:
        if exc.code in (18, 13):  # AuthenticationFailed, Unauthorized
            raise StartupFailed(
                f"MongoDB at {hosts} refused the credentials in KOMPETANSE_MONGODB_URI "
                f"({scrub(str(exc), uri)}); check the user, the password and authSource"
            ) from exc
        raise StartupFailed(
            f"MongoDB at {hosts} refused the ping: {scrub(str(exc), uri)}; check the database"
        ) from exc
    except PyMongoError as exc:
        raise StartupFailed(
            f"cannot reach MongoDB at {hosts} within {timeout:g} s ({_first_reason(exc, uri)}); "
            "check KOMPETANSE_MONGODB_URI and that the database runs "
            "(KOMPETANSE_STARTUP_TIMEOUT_SECONDS: how long to wait)"
        ) from exc


def _first_reason(exc: PyMongoError, uri: str) -> str:
    """The first server's error of a server-selection timeout, without the topology dump."""
    text = str(exc).split(", Timeout:")[0]
    text = re.sub(r" \(configured timeouts:[^)]*\)", "", text)
    return scrub(text, uri)


@contextlib.contextmanager
def explained() -> Iterator[None]:
    """The app's start: a known failure (the store in use, its directory unwritable, the
    database gone) as StartupFailed; anything else as it is."""
    try:
        yield
    except LrsError as exc:
        raise StartupFailed(exc.message) from exc
    except OSError as exc:
        raise StartupFailed(
            f"{exc.strerror or type(exc).__name__}: {exc.filename or ''}; check that the "
            "server's user may write the data directory (KOMPETANSE_DATA_DIR)"
        ) from exc


_EMAIL = re.compile(r"[^\s@'\"<>(),:/]+@[^\s@'\"<>(),/]+")


def scrub(text: str, uri: str) -> str:
    """`text` without the URI's password or anything like an e-mail address (or user@host)."""
    with contextlib.suppress(Exception):
        password = parse_uri(uri).get("password")
        if password:
            text = text.replace(password, "***")
    return _EMAIL.sub("***@***", " ".join(text.split()))


class _Server(uvicorn.Server):
    """uvicorn's server, but a signal that stops it is not raised again when it has stopped:
    the app's lifespan, which runs around it, closes the store first."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


__all__ = ["StartupFailed", "check_store", "explained", "listen", "scrub", "serve"]
