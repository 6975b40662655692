"""Throttling of failed authentications: per account (a username, an LRS key) and per client
address, with an exponential delay and a temporary lock.

Each failure is counted against every key it names. Once a key has more than its free
failures, each further one locks it for `first_delay` seconds, doubled with each failure up to
`max_delay`; while any key of a request is locked, the request is refused with the time left
(429 and Retry-After) and its password is not even checked, so guessing goes no faster than
the locks allow. A key's count is forgotten after `forget_after` seconds without failures, and
an account's on a success (an address's is not: one's own account would otherwise reset it).
Unknown usernames and keys are counted exactly as known ones, so a lock tells nothing about
whether an account exists.

The counts live in the process's memory: with several server processes each counts its own
share (N processes allow at most N times the attempts).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

_PRUNE_AT = 100_000  # keys held before the forgotten ones are dropped


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


class Throttle:
    """Failures per key; `wait` says how long a request must wait, `failed` counts one.

    An account is named by its caller ("user kari", "key 3kQ..."): names of different kinds
    of account must not collide."""

    def __init__(
        self,
        *,
        free_failures: int = 5,
        free_failures_per_address: int = 20,
        first_delay: float = 1.0,
        max_delay: float = 900.0,
        forget_after: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free = free_failures
        self.free_per_address = free_failures_per_address
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.clock = clock
        self._counts: dict[str, _Count] = {}

    def wait(self, account: str, address: str | None) -> int:
        """Whole seconds until a request for `account` from `address` may be tried; 0: now."""
        now = self.clock()
        left = 0.0
        for key in self._keys(account, address):
            count = self._counts.get(key)
            if count is not None:
                left = max(left, count.locked_until - now)
        return math.ceil(left) if left > 0 else 0

    def failed(self, account: str, address: str | None) -> None:
        now = self.clock()
        if len(self._counts) >= _PRUNE_AT:
            self._prune(now)
        for key in self._keys(account, address):
            count = self._counts.setdefault(key, _Count())
            if now - count.last > self.forget_after:
                count.failures = 0
            count.failures += 1
            count.last = now
            free = self.free_per_address if key.startswith("address:") else self.free
            beyond = count.failures - free
            if beyond > 0:
                delay = min(self.max_delay, self.first_delay * 2 ** min(beyond - 1, 60))
                count.locked_until = now + delay

    def succeeded(self, account: str) -> None:
        self._counts.pop(f"account:{account}", None)

    def _keys(self, account: str, address: str | None) -> list[str]:
        keys = [f"account:{account}"]
        if address:
            keys.append(f"address:{address}")
        return keys

    def _prune(self, now: float) -> None:
        for key, count in list(self._counts.items()):
            if now - count.last > self.forget_after and count.locked_until <= now:
                del self._counts[key]
