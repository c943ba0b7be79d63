"""``prefect-sdk quickstart``: the spec's scenario, for real, against a Prefect server."""
