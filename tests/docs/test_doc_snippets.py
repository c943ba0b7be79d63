"""Every code block of README.md and docs/**/*.md runs, or is checked, against the real server.

Docs that rot fail here. Each fenced block must name its language. ``python`` blocks run, each
in a fresh namespace (a module of its own) with ``PREFECT_API_URL`` set to the session's
server; ``toml`` and ``json`` blocks are parsed; ``console``, ``bash``, ``sh``, ``shell`` and
``text`` blocks are shown, not run.

A Python block may use top-level ``await``, ``async with`` and ``async for``: it then runs in
an asyncio event loop. A block of ``>>>`` lines is a doctest: its outputs are compared
(``...`` matches anything, whitespace runs are equal).

An HTML comment on the line before the opening fence (invisible on GitHub and in the site)
says how to run a block that cannot run alone:

``<!-- snippet: OPTION OPTION=VALUE ... -->``
    ``continue``           run in the namespace of the file's previous Python block, in the
                           same test (it may use the names that block defined)
    ``setup=NAME,NAME``    prepare the block first with the named set-ups of ``SETUPS`` below
                           (a client in ``client``, a deployment and a stand-in worker ...)
    ``module=NAME``        the block is also importable as ``NAME`` by every block of its
                           file (``from acme_audit import AuditPlugin``)
    ``pytest``             the block is a test module: it is run by pytest, in a subprocess
                           (``PREFECT_SDK_TEST_API_URL`` names the session's server)
    ``subprocess``         run the block (and its ``continue`` blocks) in a fresh interpreter,
                           for code that changes process-wide state (OpenTelemetry's global
                           providers)
    ``excerpt=PATH``       not run: code quoted from the repository; its lines must appear, in
                           this order, in PATH
    ``signature=OBJ,OBJ``  not run: a signature (``Name(param=default, ...)`` or
                           ``[async] def name(...)`` lines); parameter names, kinds, defaults
                           and annotations must be those of ``Name`` / ``OBJ.name`` of the
                           named objects (dotted import paths)
    ``prefect-client``     not run: prefect-client code (prefect is never installed here); the
                           next Python block of the file must be the same program with only
                           its import statements changed

``<!-- not-run: REASON -->``
    the block is only compiled. Keep these rare, and say why.

Pages generated from code (``docs/operations/``: one signature per operation, checked by
tests/unit/test_docs.py) are left out.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import doctest
import inspect
import json
import os
import re
import signal
import subprocess
import sys
import threading
import types
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ("docs/operations/",)
CHAIN_TIMEOUT = 120.0  # seconds per test: generous for a loaded machine

PYTHON = {"python", "py"}
PARSED = {"toml", "json"}
SHOWN = {"console", "bash", "sh", "shell", "text"}
FLAGS = {"continue", "pytest", "subprocess", "prefect-client"}
VALUED = {"setup", "module", "excerpt", "signature"}
NOT_RUN_AT_MOST = 3  # "rare": raise this only with a reason in the block's comment

pytestmark = pytest.mark.integration

# -- collecting blocks --------------------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent> *)(?P<ticks>`{3,}|~{3,})(?P<info>.*)$")
MARKER = re.compile(r"^\s*<!--\s*(?P<kind>snippet|not-run):(?P<body>.*?)-->\s*$")
ANY_MARKER = re.compile(r"<!--\s*(snippet|not-run)\b")


@dataclass
class Block:
    path: str  # relative to the repository, e.g. "docs/clients.md"
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    options: dict[str, str] = field(default_factory=dict)
    not_run: str | None = None
    problems: list[str] = field(default_factory=list)  # malformed markers, reported by a test

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def checked_only(self) -> bool:
        """Not run, but checked another way."""
        return self.not_run is not None or bool(
            {"excerpt", "signature", "prefect-client"} & set(self.options)
        )


def doc_files() -> list[Path]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [f for f in files if not f.relative_to(ROOT).as_posix().startswith(GENERATED)]


def parse_marker(kind: str, body: str, block: Block) -> None:
    if kind == "not-run":
        block.not_run = body.strip()
        if not block.not_run:
            block.problems.append("<!-- not-run: ... --> needs a reason")
        return
    for token in body.split():
        key, _, value = token.partition("=")
        if key in FLAGS and not value:
            block.options[key] = ""
        elif key in VALUED and value:
            block.options[key] = value
        else:
            block.problems.append(f"unknown snippet option {token!r}")


def parse(path: Path) -> tuple[list[Block], list[str]]:
    """The fenced blocks of a Markdown file, and the problems found outside any block."""
    rel = path.relative_to(ROOT).as_posix()
    lines = path.read_text().splitlines()
    blocks: list[Block] = []
    problems: list[str] = []
    used_markers: set[int] = set()
    fenced: set[int] = set()  # lines inside code blocks: a marker shown there is only text
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, ticks = len(opening["indent"]), opening["ticks"]
        info = opening["info"].strip()
        lang = info.split()[0].lower() if info else ""
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines):
            closing = FENCE.match(lines[i])
            if (
                closing
                and closing["ticks"][0] == ticks[0]
                and len(closing["ticks"]) >= len(ticks)
                and not closing["info"].strip()
            ):
                break
            text = lines[i]
            body.append(text[indent:] if text.startswith(" " * indent) else text.lstrip())
            i += 1
        else:
            problems.append(f"{rel}:{start + 1}: a fence that is never closed")
        fenced.update(range(start, i + 1))
        block = Block(rel, start + 1, lang, "\n".join(body) + "\n")
        before = start - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        marker = MARKER.match(lines[before]) if before >= 0 else None
        if marker:
            used_markers.add(before)
            parse_marker(marker["kind"], marker["body"], block)
        blocks.append(block)
        i += 1
    for number, text in enumerate(lines):
        if ANY_MARKER.search(text) and number not in used_markers | fenced:
            problems.append(
                f"{rel}:{number + 1}: a snippet marker must be a whole line, right before a fence"
            )
    return blocks, problems


@dataclass
class Chain:
    """A Python block and the ``continue`` blocks after it: one test."""

    blocks: list[Block]

    @property
    def id(self) -> str:
        return self.blocks[0].id

    @property
    def path(self) -> str:
        return self.blocks[0].path

    def setups(self) -> list[str]:
        return [n for b in self.blocks for n in b.options.get("setup", "").split(",") if n]


def collect() -> tuple[list[Block], list[Chain], list[str]]:
    every: list[Block] = []
    chains: list[Chain] = []
    problems: list[str] = []
    for path in doc_files():
        blocks, found = parse(path)
        every += blocks
        problems += found
        previous: Chain | None = None
        for block in blocks:
            if block.lang not in PYTHON:
                if block.options or block.not_run is not None:
                    problems.append(f"{block.id}: snippet options on a {block.lang!r} block")
                continue
            if block.checked_only:
                previous = None
                continue
            if "continue" in block.options:
                if previous is None:
                    problems.append(f"{block.id}: 'continue' needs a Python block before it")
                    continue
                previous.blocks.append(block)
            else:
                previous = Chain([block])
                chains.append(previous)
    return every, chains, problems


BLOCKS, CHAINS, PROBLEMS = collect()
CHECKED = [b for b in BLOCKS if b.lang in PARSED or (b.lang in PYTHON and b.checked_only)]


# -- set-ups ------------------------------------------------------------------------------------


@dataclass
class Context:
    api_url: str
    monkeypatch: pytest.MonkeyPatch
    tmp_path: Path
    request: pytest.FixtureRequest


Names = dict[str, Any]


@contextlib.asynccontextmanager
async def setup_client(ctx: Context) -> AsyncIterator[Names]:
    """``client``: an entered ``PrefectClient`` (the block runs in an event loop)."""
    from prefect_sdk.client import PrefectClient

    async with PrefectClient(api=ctx.api_url) as client:
        yield {"client": client}


@contextlib.contextmanager
def setup_sync_client(ctx: Context) -> Iterator[Names]:
    """``sync_client``: an entered ``SyncPrefectClient``."""
    from prefect_sdk.sync import SyncPrefectClient

    with SyncPrefectClient(api=ctx.api_url) as client:
        yield {"sync_client": client}


@contextlib.contextmanager
def background(work: Callable[[], None], every: float = 0.2) -> Iterator[None]:
    """Call ``work`` in a thread every ``every`` seconds while the block runs; its first error
    is raised when the block ends."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def loop() -> None:
        while not stop.wait(every):
            try:
                work()
            except BaseException as exc:
                errors.append(exc)
                return

    thread = threading.Thread(target=loop, name="docs-background", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
    if errors:
        raise errors[0]


@contextlib.contextmanager
def setup_etl_nightly(ctx: Context) -> Iterator[Names]:
    """The deployment ``etl/nightly``, and a stand-in worker that moves each of its new runs to
    ``Running`` and then ``Completed`` (so ``run_deployment`` has something to wait for)."""
    from prefect_sdk.filters import DeploymentFilter, FlowRunFilter
    from prefect_sdk.states import Completed, Running
    from prefect_sdk.sync import SyncPrefectClient

    with SyncPrefectClient(api=ctx.api_url) as client:
        deployment = client.create_deployment(client.create_flow("etl"), "nightly")

        def work() -> None:
            for run in client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=deployment.id),
                flow_run_filter=FlowRunFilter(state=["SCHEDULED", "PENDING"]),
            ):
                client.set_flow_run_state(run, Running())
                client.set_flow_run_state(run, Completed(message="done by the stand-in worker"))

        with background(work):
            yield {}


@contextlib.contextmanager
def setup_concurrency_limits(ctx: Context) -> Iterator[Names]:
    """The global concurrency limit ``database`` (10 slots) and the rate limit
    ``external-api`` (10 slots, one freed every 0.1 s)."""
    from prefect_sdk.sync import SyncPrefectClient

    with SyncPrefectClient(api=ctx.api_url) as client:
        client.upsert_global_concurrency_limit_by_name("database", 10)
        client.upsert_global_concurrency_limit_by_name("external-api", 10, 10.0)
    yield {}


@contextlib.contextmanager
def setup_flow_runs_happening(ctx: Context) -> Iterator[Names]:
    """Flow runs of ``docs-activity`` going Pending -> Running -> Completed, one every 0.2 s,
    while the block runs (events for a live stream)."""
    from prefect_sdk.states import Completed, Running
    from prefect_sdk.sync import SyncPrefectClient

    with SyncPrefectClient(api=ctx.api_url) as client:
        flow = client.create_flow("docs-activity")

        def work() -> None:
            run = client.create_flow_run(flow)
            client.set_flow_run_state(run, Running())
            client.set_flow_run_state(run, Completed())

        with background(work):
            yield {}


@contextlib.contextmanager
def setup_logs_flowing(ctx: Context) -> Iterator[Names]:
    """Log lines of a flow run written every 0.2 s while the block runs (for a live stream)."""
    import datetime as dt

    from prefect_sdk.schemas import LogCreate
    from prefect_sdk.sync import SyncPrefectClient

    with SyncPrefectClient(api=ctx.api_url) as client:
        run = client.create_flow_run(client.create_flow("docs-activity"))
        count = iter(range(1_000_000))

        def work() -> None:
            now = dt.datetime.now(dt.timezone.utc)
            line = LogCreate(
                name="docs", level=20, message=f"line {next(count)}", timestamp=now,
                flow_run_id=run.id,
            )  # fmt: skip
            client.create_logs([line])

        with background(work):
            yield {}


@contextlib.contextmanager
def setup_api_key(ctx: Context) -> Iterator[Names]:
    """``PREFECT_API_KEY`` set to a made-up ``pnu_`` key."""
    ctx.monkeypatch.setenv("PREFECT_API_KEY", "pnu_" + "x" * 36)
    yield {}


@contextlib.contextmanager
def setup_otel_providers(ctx: Context) -> Iterator[Names]:
    """``my_tracer_provider`` and ``my_meter_provider``: OpenTelemetry SDK providers that
    keep what they record in memory (not the global ones)."""
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider

    yield {
        "my_tracer_provider": TracerProvider(),
        "my_meter_provider": MeterProvider(metric_readers=[InMemoryMetricReader()]),
    }


@dataclass
class CloudTenant:
    url: str
    key: str
    account_id: str
    workspace_id: str


@pytest.fixture(scope="module")
def docs_cloud(api_url: str) -> Iterator[CloudTenant]:
    """A Prefect Cloud emulator (tests/cloud_emulator) whose workspaces forward to the
    session's server, with the account ``acme`` and its workspaces ``production`` and
    ``staging``."""
    from tests.cloud_emulator import run_emulator

    with run_emulator(api_url) as emulator:
        state = emulator.state
        user, key = state.add_user("alice", first_name="Alice", last_name="Liddell")
        account = state.add_account("Acme", "acme", admins=[user], ip_allowlisting=True)
        production = state.add_workspace(account, "Production", "production", members=[user])
        state.add_workspace(account, "Staging", "staging", members=[user])
        yield CloudTenant(emulator.url, key, str(account.id), str(production.id))


@contextlib.contextmanager
def setup_cloud(ctx: Context) -> Iterator[Names]:
    """Prefect Cloud, emulated: ``PREFECT_API_KEY`` and a workspace ``PREFECT_API_URL`` as
    ``prefect cloud login`` leaves them, for the account ``acme`` and its workspace
    ``production``; ``key``, ``account_id`` and ``workspace_id`` hold the same values, and
    ``this_machine`` the address the calls come from (for the IP allowlist)."""
    tenant: CloudTenant = ctx.request.getfixturevalue("docs_cloud")
    workspace_url = f"{tenant.url}/accounts/{tenant.account_id}/workspaces/{tenant.workspace_id}"
    ctx.monkeypatch.setenv("PREFECT_API_KEY", tenant.key)
    ctx.monkeypatch.setenv("PREFECT_API_URL", workspace_url)
    ctx.monkeypatch.setenv("PREFECT_CLOUD_API_URL", tenant.url)
    yield {
        "key": tenant.key,
        "account_id": tenant.account_id,
        "workspace_id": tenant.workspace_id,
        "this_machine": "127.0.0.1/32",
    }


Setup = Callable[[Context], Any]
SETUPS: dict[str, Setup] = {
    "client": setup_client,
    "sync_client": setup_sync_client,
    "etl_nightly": setup_etl_nightly,
    "concurrency_limits": setup_concurrency_limits,
    "flow_runs_happening": setup_flow_runs_happening,
    "logs_flowing": setup_logs_flowing,
    "api_key": setup_api_key,
    "otel_providers": setup_otel_providers,
    "cloud": setup_cloud,
}
ASYNC_SETUPS = {  # set-ups that need the block to run in an event loop
    name
    for name, setup in SETUPS.items()
    if inspect.isasyncgenfunction(getattr(setup, "__wrapped__", None))
}


# -- running ------------------------------------------------------------------------------------


def is_doctest(block: Block) -> bool:
    return block.code.lstrip().startswith(">>>")


def compile_block(block: Block) -> types.CodeType:
    """The block compiled so that tracebacks name the Markdown file and its line numbers."""
    source = "\n" * block.line + block.code
    code: types.CodeType = compile(
        source,
        str(ROOT / block.path),
        "exec",
        flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
        dont_inherit=True,
    )
    return code


def awaits(code: types.CodeType) -> bool:
    return bool(code.co_flags & inspect.CO_COROUTINE)


def module_blocks(path: str) -> list[Block]:
    return [b for b in BLOCKS if b.path == path and "module" in b.options]


def run_doctest(block: Block, namespace: dict[str, Any]) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.code, namespace, block.id, block.path, block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    assert runner.failures == 0, "".join(report)


class Runner:
    def __init__(self, chain: Chain, ctx: Context) -> None:
        self.chain = chain
        self.ctx = ctx
        self.module = types.ModuleType("docs_snippet_" + re.sub(r"\W", "_", chain.id))
        ctx.monkeypatch.setitem(sys.modules, self.module.__name__, self.module)
        self.namespace = self.module.__dict__
        self.codes = {id(b): compile_block(b) for b in chain.blocks if not is_doctest(b)}

    def importable(self, block: Block) -> types.ModuleType:
        """Make a ``module=NAME`` block importable (in this process and in subprocesses)."""
        name = block.options["module"]
        (self.ctx.tmp_path / f"{name}.py").write_text(block.code)
        module = types.ModuleType(name)
        module.__file__ = str(self.ctx.tmp_path / f"{name}.py")
        self.ctx.monkeypatch.setitem(sys.modules, name, module)
        exec(compile_block(block), module.__dict__)
        return module

    def subprocess_env(self) -> dict[str, str]:
        env = dict(os.environ)
        # A test module's own server fixtures (pytest-prefect-sdk) reuse the session's server.
        env["PREFECT_SDK_TEST_API_URL"] = self.ctx.api_url
        paths = [str(self.ctx.tmp_path), str(ROOT)]
        env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        return env

    def run_in_subprocess(self, command: list[str]) -> None:
        done = subprocess.run(
            command,
            cwd=self.ctx.tmp_path,
            env=self.subprocess_env(),
            capture_output=True,
            text=True,
            timeout=CHAIN_TIMEOUT,
        )
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"

    def run(self) -> None:
        for block in module_blocks(self.chain.path):
            if block not in self.chain.blocks:
                self.importable(block)
        if "subprocess" in self.chain.blocks[0].options:
            assert not self.chain.setups(), "a subprocess block cannot use set-ups"
            script = self.ctx.tmp_path / "snippet.py"
            script.write_text("\n".join(b.code for b in self.chain.blocks))
            self.run_in_subprocess([sys.executable, str(script)])
            return
        in_loop = bool(set(self.chain.setups()) & ASYNC_SETUPS) or any(
            awaits(code) for code in self.codes.values()
        )
        if in_loop:
            asyncio.run(asyncio.wait_for(self.run_async(), CHAIN_TIMEOUT))
        else:
            with time_limit(CHAIN_TIMEOUT):
                self.run_sync()

    def run_sync(self) -> None:
        with contextlib.ExitStack() as stack:
            for block in self.chain.blocks:
                for name in block.options.get("setup", "").split(","):
                    if name:
                        self.namespace.update(stack.enter_context(SETUPS[name](self.ctx)))
                self.run_block(block)

    async def run_async(self) -> None:
        async with contextlib.AsyncExitStack() as stack:
            for block in self.chain.blocks:
                for name in block.options.get("setup", "").split(","):
                    if name in ASYNC_SETUPS:
                        names = await stack.enter_async_context(SETUPS[name](self.ctx))
                    elif name:
                        names = stack.enter_context(SETUPS[name](self.ctx))
                    else:
                        continue
                    self.namespace.update(names)
                code = self.codes.get(id(block))
                if code is not None and awaits(code):
                    await eval(code, self.namespace)
                else:
                    self.run_block(block)

    def run_block(self, block: Block) -> None:
        if is_doctest(block):
            run_doctest(block, self.namespace)
        elif "pytest" in block.options:
            test_file = self.ctx.tmp_path / "test_snippet.py"
            test_file.write_text(block.code)
            self.run_in_subprocess(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)]
            )
        elif "module" in block.options:
            module = self.importable(block)
            self.namespace.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
        else:
            exec(self.codes[id(block)], self.namespace)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt blocking code that runs too long (SIGALRM, main thread only)."""
    if threading.current_thread() is not threading.main_thread() or sys.platform == "win32":
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"the snippet ran for more than {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- checks of blocks that are not run ---------------------------------------------------------


def check_excerpt(block: Block) -> None:
    source = [line.strip() for line in (ROOT / block.options["excerpt"]).read_text().splitlines()]
    position = 0
    for line in (line.strip() for line in block.code.splitlines()):
        if not line:
            continue
        try:
            position = source.index(line, position) + 1
        except ValueError:
            raise AssertionError(
                f"{block.id}: {line!r} is not in {block.options['excerpt']} (in this order)"
            ) from None


Stub = ast.FunctionDef | ast.AsyncFunctionDef


def signature_stubs(code: str) -> list[tuple[bool, Stub]]:
    """``Name(params)`` (a constructor) and ``[async] def name(params) -> ret`` lines, as
    ``(is a constructor, function)`` pairs."""
    lines = code.rstrip().splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"(async\s+def\s|def\s|\w+\()", line)]
    assert starts, "no signature found"
    constructors, stubs = [], []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        text = "\n".join(lines[start:end]).rstrip()
        constructors.append(not text.startswith(("def ", "async def ")))
        stubs.append(("def " if constructors[-1] else "") + text + ":\n    ...\n")
    tree = ast.parse("\n".join(stubs))
    functions = [node for node in tree.body if isinstance(node, Stub)]
    return list(zip(constructors, functions, strict=True))


def resolve(dotted: str) -> Any:
    module_name, _, attribute = dotted.rpartition(".")
    import importlib

    return getattr(importlib.import_module(module_name), attribute)


def _annotation_text(annotation: Any) -> str:
    return re.sub(r"\s+", "", annotation if isinstance(annotation, str) else repr(annotation))


def compare_signature(stub: Stub, real: inspect.Signature, where: str) -> None:
    params = [p for p in real.parameters.values() if p.name != "self"]
    positional = stub.args.posonlyargs + stub.args.args
    documented = [*((a, False) for a in positional), *((a, True) for a in stub.args.kwonlyargs)]
    names = [a.arg for a, _ in documented]
    assert names == [p.name for p in params], (
        f"{where}: parameters {names} are {[p.name for p in params]} in the code"
    )
    defaults: dict[str, ast.expr] = dict(
        zip([a.arg for a in positional[len(positional) - len(stub.args.defaults) :]],
            stub.args.defaults, strict=True)
    )  # fmt: skip
    for arg, default in zip(stub.args.kwonlyargs, stub.args.kw_defaults, strict=True):
        if default is not None:
            defaults[arg.arg] = default
    for (arg, keyword_only), param in zip(documented, params, strict=True):
        assert keyword_only == (param.kind is inspect.Parameter.KEYWORD_ONLY), (
            f"{where}: is {arg.arg} keyword-only?"
        )
        if arg.arg in defaults:
            value = ast.literal_eval(defaults[arg.arg])
            assert value == param.default, (
                f"{where}: {arg.arg} defaults to {param.default!r}, not {value!r}"
            )
        else:
            assert param.default is inspect.Parameter.empty, (
                f"{where}: {arg.arg} has a default ({param.default!r})"
            )
        if arg.annotation is not None:
            assert _annotation_text(ast.unparse(arg.annotation)) == _annotation_text(
                param.annotation
            ), f"{where}: {arg.arg} is {param.annotation}"


def check_signature(block: Block) -> None:
    for dotted in block.options["signature"].split(","):
        owner = resolve(dotted)
        for constructor, stub in signature_stubs(block.code):
            if constructor:
                real = inspect.signature(owner)  # a class: its constructor, without self
            else:
                attribute = getattr(owner, stub.name)
                real = inspect.signature(attribute)
                assert isinstance(stub, ast.AsyncFunctionDef) == inspect.iscoroutinefunction(
                    attribute
                ), f"{block.id}: {dotted}.{stub.name}: async or not?"
            compare_signature(stub, real, f"{block.id}: {dotted} {stub.name}")


class _NoImports(ast.NodeTransformer):
    def visit_Import(self, node: ast.Import) -> None:
        return None

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return None


def without_imports(code: str) -> str:
    return ast.dump(_NoImports().visit(ast.parse(code)))


def check_prefect_client_twin(block: Block) -> None:
    python = [b for b in BLOCKS if b.path == block.path and b.lang in PYTHON]
    following = python[python.index(block) + 1 :]
    assert following, f"{block.id}: no block after it to compare with"
    twin = following[0]
    assert not twin.checked_only, f"{twin.id} must run"
    assert without_imports(block.code) == without_imports(twin.code), (
        f"{block.id} and {twin.id} differ in more than their import statements"
    )


def parse_toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads(text)


def check_block(block: Block) -> None:
    if block.lang == "toml":
        parse_toml(block.code)
    elif block.lang == "json":
        json.loads(block.code)
    elif "excerpt" in block.options:
        check_excerpt(block)
    elif "signature" in block.options:
        check_signature(block)
    elif "prefect-client" in block.options:
        compile_block(block)
        check_prefect_client_twin(block)
    else:
        assert block.not_run, block.id
        if is_doctest(block):  # still valid Python
            for example in doctest.DocTestParser().get_examples(block.code, block.id):
                compile(example.source, block.id, "single", dont_inherit=True)
        else:
            compile_block(block)


# -- the tests ----------------------------------------------------------------------------------


def test_every_block_is_run_or_checked() -> None:
    """Each block has a language this test knows, and well-formed snippet comments; not-run
    blocks are few and say why; every set-up named exists."""
    problems = list(PROBLEMS)
    for block in BLOCKS:
        problems += [f"{block.id}: {p}" for p in block.problems]
        if block.lang not in PYTHON | PARSED | SHOWN:
            problems.append(
                f"{block.id}: the fence needs a language: one of {sorted(PYTHON | PARSED | SHOWN)}"
            )
        for name in block.options.get("setup", "").split(","):
            if name and name not in SETUPS:
                problems.append(f"{block.id}: no set-up {name!r} (known: {sorted(SETUPS)})")
    assert problems == []
    not_run = [b.id for b in BLOCKS if b.not_run is not None]
    assert len(not_run) <= NOT_RUN_AT_MOST, f"not-run blocks should be rare: {not_run}"
    # The collector found what it should: README.md and the guides have runnable code.
    assert {c.path for c in CHAINS} >= {"README.md", "docs/index.md", "docs/clients.md"}


@pytest.mark.parametrize("block", CHECKED, ids=[b.id for b in CHECKED])
def test_block_that_is_not_run(block: Block) -> None:
    check_block(block)


@pytest.mark.parametrize("chain", CHAINS, ids=[c.id for c in CHAINS])
def test_snippet_runs(
    chain: Chain,
    api_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", api_url)
    monkeypatch.chdir(tmp_path)
    Runner(chain, Context(api_url, monkeypatch, tmp_path, request)).run()
