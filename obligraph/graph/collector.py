"""Python's cyclic garbage collector paused around the build's allocation-heavy stages.

Reading a corpus, rendering its triples and building the network make millions of small
strings, tuples, dicts and lists and free few: the collector, started every few hundred
allocations, walks them — and everything else the process holds — over and over (a fifth of a
bundled build, a third of the network). Hardly any of them is in a reference cycle, so what the
build frees goes by reference counting, and the few cycles once the collector resumes."""

from __future__ import annotations

import functools
import gc


def without_gc(function):
    """``function`` run with the cyclic collector paused (and resumed after, if it was on)."""
    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
    return paused
