"""The passwords guessers try first: refused at registration, reset and change.

The list is zxcvbn's (PyPI `zxcvbn`, maintained), ranked by how often each password appears in
leaked password dumps; we keep its most common COMMON_COUNT entries.
"""

from __future__ import annotations

from functools import lru_cache

COMMON_COUNT = 10_000


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The COMMON_COUNT most common passwords, lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"][:COMMON_COUNT])


def is_common(password: str) -> bool:
    """Whether `password` (NFKC-normalised by the caller) is on the list, whatever its case."""
    return password.lower() in common_passwords()
