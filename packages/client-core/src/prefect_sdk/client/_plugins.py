"""Plugin discovery and hook calls."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import pluggy

from prefect_sdk.client import _hookspecs
from prefect_sdk.client._builtins import BUILTIN_PLUGINS
from prefect_sdk.exceptions import PluginError

ENTRY_POINT_GROUP = "prefect_sdk.plugins"
AUTOLOAD_OFF_ENV = "PREFECT_SDK_DISABLE_PLUGIN_AUTOLOAD"
BLOCKED_ENV = "PREFECT_SDK_BLOCKED_PLUGINS"

_entry_points: list[Any] | None = None
_loaded: dict[str, object] = {}


def _discovered(blocked: pluggy.PluginManager) -> list[tuple[str, object]]:
    """Entry-point plugins that are not blocked; each is found and imported once per process."""
    global _entry_points
    if _entry_points is None:
        from importlib.metadata import entry_points

        _entry_points = list(entry_points(group=ENTRY_POINT_GROUP))
    found = []
    for ep in _entry_points:
        if blocked.is_blocked(ep.name):
            continue  # a blocked plugin is never imported
        if ep.name not in _loaded:
            try:
                _loaded[ep.name] = ep.load()
            except Exception as exc:
                raise PluginError(
                    f"plugin {ep.name!r} ({ep.value}) failed to load: {exc!r}; "
                    f"block it with {BLOCKED_ENV}={ep.name} or uninstall it",
                    plugin=ep.name,
                    hook="load",
                ) from exc
        found.append((ep.name, _loaded[ep.name]))
    return found


def _plugin_name(plugin: object) -> str:
    name = getattr(plugin, "name", None) or getattr(plugin, "__name__", None)
    return str(name) if name else type(plugin).__name__


def build_plugin_manager(
    plugins: Sequence[object] = (), blocked: Iterable[str] = ()
) -> pluggy.PluginManager:
    """A plugin manager with the built-ins, the entry-point plugins and ``plugins``.

    ``blocked`` names (and ``PREFECT_SDK_BLOCKED_PLUGINS``, comma separated) are never
    registered; ``PREFECT_SDK_DISABLE_PLUGIN_AUTOLOAD=1`` skips entry-point discovery.
    """
    pm = pluggy.PluginManager(_hookspecs.PROJECT)
    pm.add_hookspecs(_hookspecs)
    env_blocked = [n.strip() for n in os.environ.get(BLOCKED_ENV, "").split(",") if n.strip()]
    for name in [*blocked, *env_blocked]:
        pm.set_blocked(name)
    for name, factory in BUILTIN_PLUGINS:
        if not pm.is_blocked(name):
            pm.register(factory(), name=name)
    if os.environ.get(AUTOLOAD_OFF_ENV, "").strip().lower() not in ("1", "true", "yes", "on"):
        for name, plugin in _discovered(pm):
            if not pm.is_blocked(name) and pm.get_plugin(name) is None:
                pm.register(plugin, name=name)
    for plugin in plugins:
        # An explicitly passed plugin wins over a discovered or built-in one of the same name.
        name = _plugin_name(plugin)
        if pm.is_blocked(name) or pm.is_registered(plugin):
            continue
        if pm.get_plugin(name) is not None:
            pm.unregister(name=name)
        pm.register(plugin, name=name)
    return pm


def call_hook(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> Any:
    """Call a hook; a plugin that raises becomes a :class:`PluginError` naming the plugin."""
    hook = getattr(pm.hook, hook_name)
    if not hook.get_hookimpls():
        # Nobody implements it (the per-request hooks, without plugins): skip pluggy's call.
        spec = hook.spec
        return None if spec is not None and spec.opts.get("firstresult") else []
    try:
        return hook(**kwargs)
    except PluginError:
        raise
    except Exception as exc:
        codes = {impl.function.__code__: impl.plugin_name for impl in hook.get_hookimpls()}
        plugin = "unknown"
        tb = exc.__traceback__
        while tb is not None:
            plugin = codes.get(tb.tb_frame.f_code, plugin)
            tb = tb.tb_next
        raise PluginError(
            f"plugin {plugin!r} raised in {hook_name}: {exc!r}",
            plugin=plugin,
            hook=hook_name,
        ) from exc


def call_each(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> None:
    """Call every implementation of an observing hook, even if one of them raises.

    Used for ``prefect_sdk_request_finished`` so that one failing plugin does not leave the
    others' spans open; the first failure is raised afterwards as a :class:`PluginError`.
    """
    hook = getattr(pm.hook, hook_name)
    first: PluginError | None = None
    for impl in reversed(hook.get_hookimpls()):
        try:
            impl.function(*map(kwargs.__getitem__, impl.argnames))
        except Exception as exc:
            if first is None:
                first = PluginError(
                    f"plugin {impl.plugin_name!r} raised in {hook_name}: {exc!r}",
                    plugin=impl.plugin_name,
                    hook=hook_name,
                )
                first.__cause__ = exc
    if first is not None:
        raise first


def wrap_auth(pm: pluggy.PluginManager, auth: Any, **kwargs: Any) -> Any:
    """Apply ``prefect_sdk_auth_wrap`` implementations in hook order, threading ``auth``."""
    hook = pm.hook.prefect_sdk_auth_wrap
    for impl in reversed(hook.get_hookimpls()):
        values = {"auth": auth, **kwargs}
        try:
            wrapped = impl.function(*[values[name] for name in impl.argnames])
        except Exception as exc:
            raise PluginError(
                f"plugin {impl.plugin_name!r} raised in prefect_sdk_auth_wrap: {exc!r}",
                plugin=impl.plugin_name,
                hook="prefect_sdk_auth_wrap",
            ) from exc
        if wrapped is not None:
            auth = wrapped
    return auth
