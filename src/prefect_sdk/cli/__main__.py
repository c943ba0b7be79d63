"""``python -m prefect_sdk.cli``: the ``prefect-sdk`` command."""

from prefect_sdk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
