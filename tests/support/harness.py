"""What the reliability suite and the fuzzer both need to run the store as real processes:
free ports, child processes with their logs, waiting until a URL answers, the storefront's
environment, and a cookie jar. Python 3.11, standard library only.

The suites import it as `support.harness`, with tests/ put on `sys.path` by their run.py.
"""

from __future__ import annotations

import ctypes
import http.client
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import Iterable

HOST = "127.0.0.1"
# The emulator's admin API: it answers 200 once the emulator is ready.
EMULATOR_READY_PATH = "/_emulator/settings"
PR_SET_PDEATHSIG = 1


class SetupError(Exception):
    """The system under test could not be started."""


def free_port() -> int:
    """A port nobody listens on now (the kernel's pick, so never the fixed 31xx/33xx ports)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def base_url(port: int) -> str:
    return f"http://{HOST}:{port}"


def get_status(base: str, path: str, timeout: float) -> int | None:
    """The status of `GET path`, or None without an answer. A fresh connection each time: no
    stale keep-alive after a restart."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Processes


def die_with_parent() -> None:
    """On Linux, have the child terminated if the suite itself is killed (SIGKILL, OOM)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


class Process:
    """A child process writing to its log file, run from the log's directory (the work dir);
    stopped by its pid only, never by name."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_path: Path):
        self.name, self.argv, self.env, self.log_path = name, argv, env, log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        # Appended to: a restarted process keeps what its first run wrote.
        with open(self.log_path, "ab") as log:
            # A session of its own: Ctrl-C reaches only the suite, which then stops the children.
            self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.log_path.parent,
                                         stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True,
                                         preexec_fn=die_with_parent)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def exit_reason(self) -> str | None:
        """Why the process is down ("the storefront exited with status 1"), or None."""
        if self.proc is None or self.proc.poll() is None:
            return None
        return f"the {self.name} exited with status {self.proc.returncode}"

    def wait_ready(self, base: str, path: str, within: float, also: Iterable[Process] = ()) -> None:
        """Until `path` answers 200 from *this* process: a dead child means the answer came from
        someone else's port. `also`: processes it needs, whose exit ends the wait as well."""
        end = time.monotonic() + within
        while time.monotonic() < end:
            for process in (self, *also):
                if why := process.exit_reason():
                    raise SetupError(f"{why} during start-up:\n{process.log_tail()}")
            if get_status(base, path, timeout=5) == 200 and self.alive():
                return
            time.sleep(0.2)
        raise SetupError(f"the {self.name} did not answer {path} within {within:.0f} s:\n"
                         f"{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: a crash, no chance to flush anything."""
        if self.alive():
            self.proc.kill()
            self.proc.wait(timeout=10)

    def terminate(self) -> None:
        if self.alive():
            self.proc.terminate()

    def wait_stopped(self) -> None:
        """Up to 5 s for a terminated process to exit, then SIGKILL."""
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_bytes().decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])


def stop_all(processes: Iterable[Process]) -> None:
    """All asked to stop first, then waited for: the slowest one sets the time, not the sum."""
    processes = list(processes)
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait_stopped()


def emulator_process(binary: Path, workdir: Path, port: int) -> Process:
    """The Wix emulator with its admin API, its SQLite file in the work dir (a restart on the same
    port and file keeps every cart). Paths absolute: the process runs in the work dir."""
    argv = [str(binary.resolve()), "--listen", f"{HOST}:{port}",
            "--db", str(workdir / "emulator.sqlite"), "--admin"]
    env = dict(os.environ, RUST_LOG="warn", NO_COLOR="1")
    return Process("emulator", argv, env, workdir / "emulator.log")


def storefront_process(binary: Path, workdir: Path, env: dict[str, str]) -> Process:
    return Process("storefront", [str(binary.resolve())], env, workdir / "storefront.log")


def storefront_env(port: int, emulator_base: str, site_root: Path, workdir: Path, *,
                   client_id: str, session_secret: str, **settings: str) -> dict[str, str]:
    """The storefront's environment: the emulator as its Wix, served over http on
    127.0.0.1:`port`, writing only into the work dir. `settings` add or override variables."""
    env = dict(
        os.environ,
        WIX_CLIENT_ID=client_id,
        WIX_API_BASE_URL=emulator_base,
        SESSION_SECRET=session_secret,
        PUBLIC_URL=base_url(port),
        LEPTOS_SITE_ADDR=f"{HOST}:{port}",
        LEPTOS_SITE_ROOT=str(site_root.resolve()),  # the process runs in the work dir
        LEPTOS_OUTPUT_NAME="wix-storefront",
        RUST_LOG="warn",
        NO_COLOR="1",
        WIX_DATA_DIR=str(workdir / "store-data"),  # nothing written into the repo
        # Every request comes from one address, far faster than a shopper: the per-address
        # limits (20 posts/s, 60 new visitors/min by default) would answer 429.
        RATE_LIMIT_POSTS_PER_SECOND="10000",
        RATE_LIMIT_NEW_VISITORS_PER_MINUTE="100000",
    )
    env.update(settings)
    return env


# ---------------------------------------------------------------------------------------------
# Cookies

MAX_AGE_ZERO = re.compile(r"max-age\s*=\s*0\b", re.I)


class CookieJar:
    """The cookies one browser holds for the store (one host, one run: no domains, paths or
    expiry). As in a browser the latest Set-Cookie wins, and Max-Age=0 or an empty value
    deletes."""

    def __init__(self, cookies: dict[str, str] | None = None):
        self.cookies = dict(cookies or {})

    def receive(self, set_cookies: Iterable[str]) -> list[str]:
        """Takes an answer's Set-Cookie lines; gives the names that got a new value."""
        changed = []
        for line in set_cookies:
            pair, _, attributes = line.partition(";")
            name, _, value = pair.partition("=")
            name, value = name.strip(), value.strip()
            if not value or MAX_AGE_ZERO.search(attributes):
                self.cookies.pop(name, None)
            elif self.cookies.get(name) != value:
                self.cookies[name] = value
                changed.append(name)
        return changed

    def header(self) -> str:
        """The `Cookie` header value ("" without cookies)."""
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())
