"""``assert_type`` on every supported Python (``typing`` has it from 3.11)."""

import sys

if sys.version_info >= (3, 11):
    from typing import assert_type
else:
    from typing_extensions import assert_type

__all__ = ["assert_type"]
