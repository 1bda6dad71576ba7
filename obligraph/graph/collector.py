"""Python's cyclic garbage collector paused around the build's allocation-heavy stages.

Reading a corpus, rendering its triples and building the network make millions of small
strings, tuples, dicts and lists and free few: the collector, started every few hundred
allocations, walks them — and everything else the process holds — over and over (a fifth of a
bundled build, a third of the network). Hardly any of them is in a reference cycle, so what the
build frees goes by reference counting, and the few cycles once the collector resumes. And what
the build frees of the C heap is handed back to the system (release_freed)."""

from __future__ import annotations

import ctypes
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


def release_freed() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim), where there is one.
    Oxigraph's in-memory store lives on that heap, and once freed its pages stay the process's
    until trimmed: the rules' store, freed before the page is laid out, was still 700 MB of the
    10,000-article build's peak. Elsewhere (another libc, another system) nothing happens."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        # the symbols the process has loaded (libc's among them): find_library would fork a
        # subprocess of a process this size, counted as its own peak
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
