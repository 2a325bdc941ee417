"""The system under test: a Wix emulator and the storefront, on free ports, in a temp dir."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from client import Request, send

SESSION_SECRET = "fuzz-secret-fuzz-secret-fuzz-secret-0123"
CLIENT_ID = "fuzz"
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """On Linux, have the child terminated if the fuzzer itself is killed (SIGKILL, OOM)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def free_port() -> int:
    """A port nobody listens on now (the kernel's pick, so never the fixed 31xx/33xx ports)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class System:
    def __init__(self, store_bin: Path, emulator_bin: Path, site_root: Path, workdir: Path):
        self.store_bin, self.emulator_bin, self.site_root = store_bin, emulator_bin, site_root
        self.workdir = workdir
        self.emu_port, self.store_port = free_port(), free_port()
        self.store_log = workdir / "storefront.log"
        self.emu_log = workdir / "emulator.log"
        self.emulator: subprocess.Popen | None = None
        self.store: subprocess.Popen | None = None
        self._log_offset = 0

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.store_port)

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.store_port}"

    def start(self, timeout: float = 90.0) -> None:
        for binary in (self.store_bin, self.emulator_bin):
            if not os.access(binary, os.X_OK):
                raise SystemExit(f"not an executable: {binary}")
        self.emulator = self._spawn(
            [str(self.emulator_bin), "--listen", f"127.0.0.1:{self.emu_port}",
             "--db", str(self.workdir / "emulator.sqlite"), "--admin"],
            os.environ.copy(), self.emu_log)
        env = os.environ | {
            "WIX_CLIENT_ID": CLIENT_ID,
            "WIX_API_BASE_URL": f"http://127.0.0.1:{self.emu_port}",
            "SESSION_SECRET": SESSION_SECRET,
            "PUBLIC_URL": self.public_url,
            "LEPTOS_SITE_ADDR": f"127.0.0.1:{self.store_port}",
            "LEPTOS_SITE_ROOT": str(self.site_root),
            "LEPTOS_OUTPUT_NAME": "wix-storefront",
            "RUST_LOG": "warn",
        }
        self.store = self._spawn([str(self.store_bin)], env, self.store_log)
        self._wait_ready(timeout)

    @staticmethod
    def _spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        with open(log, "wb") as out:
            # A session of its own: Ctrl-C in the terminal reaches the fuzzer, which stops these.
            return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=die_with_parent)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if problem := self.dead():
                raise SystemExit(f"{problem}\n{self.log_tail()}")
            if self.search_status(timeout=5) == 200:
                return
            time.sleep(0.2)
        raise SystemExit(f"the storefront did not answer /search within {timeout:.0f} s\n{self.log_tail()}")

    def search_status(self, timeout: float) -> int | None:
        return send(self.address, Request("GET", b"/search"), timeout).status

    def dead(self) -> str | None:
        """Why the system is down, or `None` while both processes run."""
        for name, proc in (("storefront", self.store), ("emulator", self.emulator)):
            if proc is not None and proc.poll() is not None:
                return f"the {name} exited with status {proc.returncode}"
        return None

    def new_log_lines(self) -> list[str]:
        """Storefront log lines written since the last call."""
        with open(self.store_log, "rb") as log:
            log.seek(self._log_offset)
            data = log.read()
        complete = data.rfind(b"\n") + 1
        self._log_offset += complete
        return data[:complete].decode("utf-8", "replace").splitlines()

    def log_tail(self, lines: int = 40) -> str:
        text = self.store_log.read_bytes().decode("utf-8", "replace") if self.store_log.exists() else ""
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last {lines} lines of {self.store_log} ---\n{tail}"

    def stop(self) -> None:
        for proc in (self.store, self.emulator):
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in (self.store, self.emulator):
            if proc is None:
                continue
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
