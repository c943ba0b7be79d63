"""Settings, read with Prefect's own names and files.

Precedence, highest first: constructor arguments > environment variables > the active
profile in ``profiles.toml`` > defaults.  The profiles file is ``PREFECT_PROFILES_PATH``, else
``$PREFECT_HOME/profiles.toml``, else ``~/.prefect/profiles.toml``; the active profile is
``PREFECT_PROFILE`` if set, else the file's ``active`` key.

Secrets (``PREFECT_API_KEY``, ``PREFECT_API_AUTH_STRING``) are held in :class:`Secret`, whose
``repr`` and ``str`` are masked.

As in Prefect, when neither the environment nor the profile sets ``PREFECT_API_SSL_CERT_FILE``,
the CA bundle is the standard ``SSL_CERT_FILE`` environment variable, if set.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "DEFAULT_CLOUD_API_URL",
    "Secret",
    "Settings",
    "SettingsOverrides",
    "load_profile",
    "load_settings",
]

DEFAULT_CLOUD_API_URL = "https://api.prefect.cloud/api"
# The CA bundle used when PREFECT_API_SSL_CERT_FILE is not set (as in Prefect).
SSL_CERT_FILE_ENV = "SSL_CERT_FILE"


class Secret:
    """A string that never shows itself in ``repr``, ``str``, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """Return the secret itself. Only the request path should call this."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def _to_bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValidationError(f"{name}={value!r} is not a boolean: use true or false")


def _to_float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValidationError(f"{name}={value!r} is not a number of seconds") from None


def _to_int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValidationError(f"{name}={value!r} is not a whole number") from None


def _to_codes(name: str, value: str) -> frozenset[int]:
    codes: set[int] = set()
    for part in value.replace(" ", "").split(","):
        if not part:
            continue
        try:
            code = int(part)
        except ValueError:
            raise ValidationError(
                f"{name}={value!r}: expected comma-separated HTTP status codes, e.g. '500,504'"
            ) from None
        if not 100 <= code <= 599:
            raise ValidationError(f"{name}: {code} is not an HTTP status code")
        codes.add(code)
    return frozenset(codes)


def _to_headers(name: str, value: str) -> dict[str, str]:
    try:
        parsed = json.loads(value)
    except ValueError:
        raise ValidationError(
            f'{name} must be a JSON object of header names to values, e.g. {{"X-Team": "data"}}'
        ) from None
    if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
        raise ValidationError(f"{name} must be a JSON object whose values are strings")
    return {str(k): v for k, v in parsed.items()}


class SettingsOverrides(TypedDict, total=False):
    """The keyword arguments of :func:`load_settings` and :meth:`Settings.with_overrides`:
    :class:`Settings` fields (``None`` means "not given"; a secret may be given as ``str``)."""

    api_url: str | None
    api_key: Secret | str | None
    api_auth_string: Secret | str | None
    request_timeout: float | None
    tls_insecure_skip_verify: bool | None
    ssl_cert_file: str | None
    enable_http2: bool | None
    max_retries: int | None
    retry_jitter_factor: float | None
    retry_extra_codes: frozenset[int] | None
    csrf_support_enabled: bool | None
    custom_headers: Mapping[str, str] | None
    cloud_api_url: str | None
    profile: str | None


@dataclass(frozen=True)
class Settings:
    """The resolved settings one client uses. Build it with :func:`load_settings`."""

    api_url: str | None = None
    api_key: Secret | None = None
    api_auth_string: Secret | None = None
    request_timeout: float = 60.0
    tls_insecure_skip_verify: bool = False
    ssl_cert_file: str | None = None
    enable_http2: bool = False
    max_retries: int = 5
    retry_jitter_factor: float = 0.2
    retry_extra_codes: frozenset[int] = frozenset()
    csrf_support_enabled: bool = True
    custom_headers: Mapping[str, str] = field(default_factory=dict)
    cloud_api_url: str = DEFAULT_CLOUD_API_URL
    profile: str | None = None

    def __repr__(self) -> str:
        # Header values are often credentials (Cloudflare Access, proxies), and a URL may
        # carry user:password: neither is shown.
        from prefect_sdk.exceptions import safe_url

        shown = {
            **{f.name: getattr(self, f.name) for f in fields(self)},
            "api_url": safe_url(self.api_url) if self.api_url else None,
            "cloud_api_url": safe_url(self.cloud_api_url),
            "custom_headers": {name: "**********" for name in self.custom_headers},
        }
        return f"Settings({', '.join(f'{k}={v!r}' for k, v in shown.items())})"

    def with_overrides(self, **overrides: Unpack[SettingsOverrides]) -> Settings:
        """Return a copy with the given non-``None`` fields replaced."""
        given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
        for key in ("api_key", "api_auth_string"):
            value = given.get(key)
            if isinstance(value, str):
                given[key] = Secret(value)
        return replace(self, **given)


# Setting name -> (field, converter). Prefect's own names.
_SETTINGS: dict[str, tuple[str, Any]] = {
    "PREFECT_API_URL": ("api_url", lambda n, v: v.rstrip("/") or None),
    "PREFECT_API_KEY": ("api_key", lambda n, v: Secret(v) if v else None),
    "PREFECT_API_AUTH_STRING": ("api_auth_string", lambda n, v: Secret(v) if v else None),
    "PREFECT_API_REQUEST_TIMEOUT": ("request_timeout", _to_float),
    "PREFECT_API_TLS_INSECURE_SKIP_VERIFY": ("tls_insecure_skip_verify", _to_bool),
    "PREFECT_API_SSL_CERT_FILE": ("ssl_cert_file", lambda n, v: v or None),
    "PREFECT_API_ENABLE_HTTP2": ("enable_http2", _to_bool),
    "PREFECT_CLIENT_MAX_RETRIES": ("max_retries", _to_int),
    "PREFECT_CLIENT_RETRY_JITTER_FACTOR": ("retry_jitter_factor", _to_float),
    "PREFECT_CLIENT_RETRY_EXTRA_CODES": ("retry_extra_codes", _to_codes),
    "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED": ("csrf_support_enabled", _to_bool),
    "PREFECT_CLIENT_CUSTOM_HEADERS": ("custom_headers", _to_headers),
    "PREFECT_CLOUD_API_URL": ("cloud_api_url", lambda n, v: v.rstrip("/")),
}


def _profiles_path(env: Mapping[str, str]) -> Path:
    if env.get("PREFECT_PROFILES_PATH"):
        return Path(env["PREFECT_PROFILES_PATH"]).expanduser()
    home = env.get("PREFECT_HOME")
    base = Path(home).expanduser() if home else Path.home() / ".prefect"
    return base / "profiles.toml"


def load_profile(env: Mapping[str, str] | None = None) -> tuple[str | None, dict[str, str]]:
    """Return ``(name, settings)`` of the active profile, or ``(None, {})`` if there is none."""
    env = os.environ if env is None else env
    path = _profiles_path(env)
    if not path.is_file():
        return None, {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"cannot read the Prefect profiles file {path}: {exc}") from None
    name = env.get("PREFECT_PROFILE") or data.get("active")
    if not name:
        return None, {}
    profiles = data.get("profiles", {})
    if name not in profiles:
        if env.get("PREFECT_PROFILE"):
            raise ValidationError(
                f"PREFECT_PROFILE={name!r} is not a profile in {path}; "
                f"known profiles: {', '.join(sorted(profiles)) or 'none'}"
            )
        return None, {}
    return str(name), {str(k): str(v) for k, v in profiles[name].items()}


def load_settings(
    env: Mapping[str, str] | None = None, **overrides: Unpack[SettingsOverrides]
) -> Settings:
    """Resolve settings: ``overrides`` > environment > active profile > defaults.

    ``overrides`` take :class:`Settings` field names (``api_url=``, ``api_key=`` ...); ``None``
    means "not given".
    """
    env = os.environ if env is None else env
    unknown = set(overrides) - {f.name for f in fields(Settings)}
    if unknown:
        raise ValidationError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    profile_name, profile = load_profile(env)
    values: dict[str, Any] = {"profile": profile_name}
    for source in (profile, env):
        for name, (attr, convert) in _SETTINGS.items():
            raw = source.get(name)
            if raw is not None:
                values[attr] = convert(name, raw)
    if "ssl_cert_file" not in values:
        # Prefect's default for PREFECT_API_SSL_CERT_FILE: the OpenSSL-wide CA bundle variable
        # (an empty PREFECT_API_SSL_CERT_FILE still means certifi's bundle, as in Prefect).
        values["ssl_cert_file"] = env.get(SSL_CERT_FILE_ENV) or None
    settings = Settings(**values)
    if settings.request_timeout <= 0:
        raise ValidationError("PREFECT_API_REQUEST_TIMEOUT must be a positive number of seconds")
    return settings.with_overrides(**overrides)
