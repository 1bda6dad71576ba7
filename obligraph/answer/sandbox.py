"""Contain the current process before it evaluates a query: no network, a memory cap.

Why at the process level: Oxigraph fetches any URL a SERVICE clause names, from its own (Rust)
HTTP client, and a SPARQL text can spell SERVICE in ways a lexer may misread. A query worker that
cannot create a socket cannot reach a listener, whatever the spelling. The memory cap turns a query
that would take every byte of the machine into one dead worker.

No network is a seccomp filter (Linux, x86-64 and AArch64): socket(2) and io_uring_setup(2) fail
with EACCES; calls of any other ABI (32-bit, x32) fail too. Sockets the process already holds
(its pipe to the server) keep working. Installing it needs no privilege (PR_SET_NO_NEW_PRIVS)."""

from __future__ import annotations

import ctypes
import errno
import platform
import resource

# <linux/audit.h>, <asm/unistd.h>
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}  # (AUDIT_ARCH, __NR_socket)
_IO_URING_SETUP = 425  # the same on both
_X32_BIT = 0x40000000
# <linux/filter.h>, <linux/seccomp.h>, <linux/prctl.h>
_LD_ABS_W, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_PR_SET_PDEATHSIG = 1


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def network_filter(arch: str) -> list[tuple[int, int, int, int]]:
    """The BPF program, as (code, jt, jf, k): offsets 0 (syscall number) and 4 (its ABI) of
    struct seccomp_data. Jumps count instructions after the next one."""
    audit_arch, nr_socket = _ARCHES[arch]
    deny = _ERRNO | errno.EACCES
    return [
        (_LD_ABS_W, 0, 0, 4),               # 0: the ABI of the call
        (_JEQ, 1, 0, audit_arch),           # 1: native → 3
        (_RET, 0, 0, deny),                 # 2: any other ABI is refused
        (_LD_ABS_W, 0, 0, 0),               # 3: the syscall number
        (_JGE, 3, 0, _X32_BIT),             # 4: x32 → 8
        (_JEQ, 2, 0, nr_socket),            # 5: socket → 8
        (_JEQ, 1, 0, _IO_URING_SETUP),      # 6: io_uring (it can open sockets) → 8
        (_RET, 0, 0, _ALLOW),               # 7
        (_RET, 0, 0, deny),                 # 8
    ]


def forbid_network() -> bool:
    """From now on this process (and every thread and child it makes) cannot open a socket.
    False where that cannot be done here (not Linux, another CPU, seccomp unavailable)."""
    arch = platform.machine()
    if platform.system() != "Linux" or arch not in _ARCHES:
        return False
    program = network_filter(arch)
    filters = (_Filter * len(program))(*(_Filter(*step) for step in program))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    fprog = _Program(len(program), filters)
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


def die_with_parent() -> None:
    """Linux: this process is killed when the one that made it ends (no orphaned workers)."""
    if platform.system() == "Linux":
        _libc().prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)  # SIGKILL


def address_space() -> int:
    """Bytes of address space this process maps now (what RLIMIT_AS counts)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


def cap_memory(extra: int) -> None:
    """At most ``extra`` bytes of address space beyond what the process maps now (the graph it
    holds is not counted against the query): past it, an allocation fails."""
    limit = address_space() + extra
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

