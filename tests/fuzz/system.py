"""The system under test: a Wix emulator and the storefront, on free ports, in a temp dir."""

from __future__ import annotations

import os
from pathlib import Path

from support.harness import (EMULATOR_READY_PATH, SetupError, base_url, emulator_process,
                             free_port, stop_all, storefront_env, storefront_process)

SESSION_SECRET = "fuzz-secret-fuzz-secret-fuzz-secret-0123"
CLIENT_ID = "fuzz"


class System:
    def __init__(self, store_bin: Path, emulator_bin: Path, site_root: Path, workdir: Path):
        self.store_bin, self.emulator_bin, self.site_root = store_bin, emulator_bin, site_root
        self.emu_port, self.store_port = free_port(), free_port()
        self.emulator = emulator_process(emulator_bin, workdir, self.emu_port)
        env = storefront_env(self.store_port, base_url(self.emu_port), site_root, workdir,
                             client_id=CLIENT_ID, session_secret=SESSION_SECRET)
        self.store = storefront_process(store_bin, workdir, env)
        self.store_log = self.store.log_path
        self._log_offset = 0

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.store_port)

    @property
    def public_url(self) -> str:
        return base_url(self.store_port)

    def start(self, timeout: float = 90.0) -> None:
        for binary in (self.store_bin, self.emulator_bin):
            if not os.access(binary, os.X_OK):
                raise SystemExit(f"not an executable: {binary}")
        try:
            self.emulator.start()
            self.emulator.wait_ready(base_url(self.emu_port), EMULATOR_READY_PATH, 30)
            self.store.start()
            self.store.wait_ready(self.public_url, "/search", timeout, also=[self.emulator])
        except SetupError as error:
            raise SystemExit(str(error)) from None

    def dead(self) -> str | None:
        """Why the system is down, or `None` while both processes run."""
        return self.store.exit_reason() or self.emulator.exit_reason()

    def new_log_lines(self) -> list[str]:
        """Storefront log lines written since the last call."""
        with open(self.store_log, "rb") as log:
            log.seek(self._log_offset)
            data = log.read()
        complete = data.rfind(b"\n") + 1
        self._log_offset += complete
        return data[:complete].decode("utf-8", "replace").splitlines()

    def log_tail(self, lines: int = 40) -> str:
        return f"--- last {lines} lines of {self.store_log} ---\n{self.store.log_tail(lines)}"

    def stop(self) -> None:
        stop_all([self.store, self.emulator])
