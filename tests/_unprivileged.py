"""Commands for which file permissions apply, also when the tests run as root (as CI does).

Root reads every file whatever its mode through two capabilities, ``CAP_DAC_OVERRIDE`` and
``CAP_DAC_READ_SEARCH``.  As root, :func:`unprivileged` prefixes a command with a small
Python launcher that drops both from the capability bounding set and then ``exec``s the
command: the kernel starts it without them, so a mode-0 file is as unreadable to it as to
any other user (``open`` raises ``PermissionError``), while it keeps uid 0 and with it
access to the interpreter under ``/root`` and to the files root owns.  For another user
the command is returned unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

#: The launcher: drop the two capabilities (prctl PR_CAPBSET_DROP = 24), exec argv[1:].
_DROP = """\
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
    if libc.prctl(24, cap, 0, 0, 0) != 0:
        sys.stderr.write("cannot drop capability %d: %s\\n"
                         % (cap, os.strerror(ctypes.get_errno())))
        sys.exit(CANNOT_DROP)
os.execv(sys.argv[1], sys.argv[1:])
"""
CANNOT_DROP = 97


def unprivileged(argv: list[str]) -> list[str]:
    """``argv`` as a command that file permissions restrict, also as root."""
    if os.geteuid() != 0:
        return list(argv)
    return [sys.executable, "-c", f"CANNOT_DROP = {CANNOT_DROP}\n{_DROP}", *argv]


def run_unprivileged(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    """``subprocess.run`` of :func:`unprivileged` ``(argv)``, output captured as text.
    Skips the test only if root lacks the capability to give up capabilities
    (``CAP_SETPCAP``, e.g. in a locked-down container), naming that reason."""
    result = subprocess.run(unprivileged(argv), capture_output=True, text=True, **kwargs)
    if os.geteuid() == 0 and result.returncode == CANNOT_DROP:
        pytest.skip(f"running as root and cannot give up root's file access: {result.stderr}")
    return result
