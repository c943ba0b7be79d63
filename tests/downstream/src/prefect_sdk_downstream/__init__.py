"""A downstream project that uses prefect-sdk as its users do; it is only type-checked.

Each module exercises one part of the public API with ``assert_type``: a type checker run on
this project against the installed wheels must see exactly the types written here.
"""
