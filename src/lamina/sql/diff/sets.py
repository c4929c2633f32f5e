"""A tiny, pure set diff by key: `added, removed, common = differences(before, after, key)`."""

from __future__ import annotations

from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


def differences(before: Iterable[T], after: Iterable[T], key: Callable[[T], object]):
    """(added, removed, common) where common holds (before_item, after_item) pairs.

    `added` and `common` keep the order of `after`, `removed` the order of `before`.
    """
    before_by_key = {key(x): x for x in before}
    after_keys = set()
    added, common = [], []
    for item in after:
        k = key(item)
        after_keys.add(k)
        if k in before_by_key:
            common.append((before_by_key[k], item))
        else:
            added.append(item)
    removed = [x for k, x in before_by_key.items() if k not in after_keys]
    return added, removed, common
