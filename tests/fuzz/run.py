#!/usr/bin/env python3
"""Black-box HTTP fuzzer for the storefront (Python 3.11 standard library only).

Starts a Wix emulator and the storefront from built binaries on free ports, learns the store
(server-function paths, products, a real session cookie), then sends generated and mutated
requests at three targets — session cookies, query strings, server-function bodies — mixed
with valid shopper visits. It fails (exit 1) on any 5xx, a request without an answer, a slow
answer, an empty or truncated HTML page, a wrong status where one is certain (the search page
is always 200, a foreign or null origin always 403, oversized arguments 413), a tampered
session cookie that is not dropped, a session's page in the shared page cache or a cart on a
page sent without a cookie, an off-site redirect, a 429 without Retry-After, a panic in the
log, or a storefront that dies or stops serving /search.

    python3 tests/fuzz/run.py                  # CI size: 1500 cases
    python3 tests/fuzz/run.py --cases 50000    # full size
    python3 tests/fuzz/run.py --seed 7 --only-case 1234   # replay one case

Every case draws from its own generator seeded with (seed, case number), so a case replays
alone with `--only-case`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # the shared harness: tests/support
from checks import Failure, FailureClass, problems, signature, statuses  # noqa: E402
from client import Request, Response, abbreviate, describe, send  # noqa: E402
from discover import SERVER_FNS, Context, Discovery  # noqa: E402
from shrink import shrink  # noqa: E402
from system import System  # noqa: E402
from targets import TARGETS  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# Failures whose cause is time or the process, not the request: not worth shrinking.
UNSHRINKABLE = {"no answer", "slow", "panic", "process died", "liveness"}


class Died(Exception):
    """The storefront or the emulator exited: nothing more can be tested."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=20240611, help="generator seed (default: %(default)s)")
    parser.add_argument("--cases", type=int, default=1500, help="number of cases (default: %(default)s; full: 50000)")
    parser.add_argument("--first-case", type=int, default=0, help="number of the first case")
    parser.add_argument("--only-case", type=int, action="append", help="run only this case (repeatable)")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated subset of: %(default)s")
    parser.add_argument("--jobs", type=int, default=1, help="concurrent cases (default: %(default)s)")
    parser.add_argument("--batch", type=int, default=100, help="cases between health checks")
    parser.add_argument("--slow", type=float, default=5.0, help="seconds after which an answer is a failure")
    parser.add_argument("--hang", type=float, default=20.0, help="seconds to wait for an answer at all")
    parser.add_argument("--shrink-budget", type=int, default=300, help="tries to shrink each failure class (0: off)")
    parser.add_argument("--show", type=int, default=10, help="failing requests listed per class")
    parser.add_argument("--store-bin", type=Path, default=REPO / "target/debug/wix-storefront",
                        help="storefront binary (default: target/debug/wix-storefront)")
    parser.add_argument("--emulator-bin", type=Path, default=REPO / "target/debug/wix-emulator",
                        help="Wix emulator binary (default: target/debug/wix-emulator)")
    parser.add_argument("--site-root", type=Path, default=REPO / "target/site",
                        help="the site dir with pkg/ (default: target/site)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs, database) on success")
    args = parser.parse_args()
    unknown = set(args.targets.split(",")) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    return args


class Fuzzer:
    def __init__(self, system: System, ctx: Context, args: argparse.Namespace, failure_dir: Path):
        self.system, self.ctx, self.args = system, ctx, args
        self.failure_dir = failure_dir
        self.targets = args.targets.split(",")
        self.lock = threading.Lock()
        self.cases: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.checked: Counter[str] = Counter()  # how often each invariant was really tested
        self.slowest: tuple[float, int, str, Request | None] = (0.0, -1, "", None)
        self.classes: dict[tuple, FailureClass] = {}
        self.failed = 0

    # ------------------------------------------------------------------------- running cases

    def run(self, numbers: list[int]) -> None:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=self.args.jobs) as pool:
            for start in range(0, len(numbers), self.args.batch):
                batch = numbers[start:start + self.args.batch]
                try:
                    list(pool.map(self.run_case, batch))
                except Died as died:
                    self.record("process died", str(died), batch[-1], "health", Request("GET", b"/search"), None)
                    return
                if not self.healthy(batch):
                    return
                print(f"  {start + len(batch)}/{len(numbers)} cases, {self.failed} failures, "
                      f"{time.monotonic() - started:.0f} s", flush=True)

    def run_case(self, number: int) -> None:
        rng = random.Random(f"{self.args.seed}/{number}")
        weights = [TARGETS[t][1] for t in self.targets]
        target = rng.choices(self.targets, weights=weights)[0]
        with self.lock:
            self.cases[target] += 1
        TARGETS[target][0](rng, self.ctx, lambda request: self.perform(number, target, request))

    def perform(self, case: int, target: str, request: Request) -> Response:
        response = send(self.system.address, request, self.args.hang)
        found = problems(request, response, self.args.slow, self.ctx.public_url)
        with self.lock:
            self.requests[target] += 1
            self.statuses[str(response.status or "no answer")] += 1
            self.count_checks(request, response)
            if response.elapsed > self.slowest[0]:
                self.slowest = (response.elapsed, case, target, request)
            found += [("panic", line) for line in self.system.new_log_lines() if "panicked" in line]
        for kind, detail in found:
            self.record(kind, detail, case, target, request, response)
        if response.status is None and (why := self.system.dead()):
            raise Died(f"{why} after case {case} [{target}]: {request.method} {abbreviate(request.target, 120)}")
        return response

    def count_checks(self, request: Request, response: Response) -> None:
        self.checked["answer below 500"] += 1
        if request.expect is not None:
            self.checked[f"status in {statuses(request.expect)}"] += 1
        if request.page:
            self.checked["HTML page complete"] += 1
        if request.fresh_session:
            self.checked["tampered session dropped"] += 1
        if request.local_redirect and response.header("location"):
            self.checked["redirect stays on the site"] += 1
        if request.session_page:
            self.checked["session page not cached"] += 1
        if request.anonymous_page:
            self.checked["no cart on an anonymous page"] += 1
        if request.same_origin:
            self.checked["same-origin call not refused"] += 1

    def record(self, kind: str, detail: str, case: int, target: str, request: Request,
               response: Response | None) -> None:
        answer = response or Response(None, [], b"", 0.0)
        failure = Failure(kind, detail, case, target, request, answer.status, answer.body[:2048], answer.elapsed)
        with self.lock:
            self.failed += 1
            if (group := self.classes.get(failure.signature)) is None:
                self.classes[failure.signature] = FailureClass.of(failure)
            else:
                group.add(failure, self.args.show)
            self.log_failure(failure)

    def log_failure(self, failure: Failure) -> None:
        """Every failure, abbreviated, in failures.txt (the console shows a few per class)."""
        self.failure_dir.mkdir(parents=True, exist_ok=True)
        with open(self.failure_dir / "failures.txt", "a") as out:
            out.write(f"case {failure.case} [{failure.target}] {failure.kind}: {failure.detail}\n"
                      f"  {failure.request.note}\n")
            out.write("".join(f"  {line}\n" for line in describe(failure.request)))
            out.write(f"  answer: {failure.status} in {failure.elapsed:.2f} s: {abbreviate(failure.body, 300)}\n\n")

    def healthy(self, batch: list[int]) -> bool:
        """Still running and still serving the search page after the batch."""
        probe = Request("GET", b"/search", expect=frozenset({200}), page=True)
        if why := self.system.dead():
            detail = f"{why} (during cases {batch[0]}–{batch[-1]})"
            self.record("process died", detail, batch[-1], "health", probe, None)
            return False
        response = send(self.system.address, probe, self.args.hang)
        if response.status != 200:
            detail = f"/search answered {response.status or response.error} after cases {batch[0]}–{batch[-1]}"
            self.record("liveness", detail, batch[-1], "health", probe, response)
            return False
        return True

    # ------------------------------------------------------------------------------ shrinking

    def shrink_all(self) -> dict[tuple, tuple[Request, int]]:
        """A minimal request per failure class (while the store still runs)."""
        shrunk = {}
        if self.args.shrink_budget <= 0 or self.system.dead():
            return shrunk
        for sig, group in self.classes.items():
            reproduces = self.reproducer(sig)
            if sig[0] not in UNSHRINKABLE and reproduces(group.smallest.request):
                shrunk[sig] = shrink(group.smallest.request, reproduces, self.args.shrink_budget)
        return shrunk

    def reproducer(self, sig: tuple):
        def reproduces(request: Request) -> bool:
            response = send(self.system.address, request, self.args.hang)
            return any(signature(kind, request, response.status, response.body) == sig
                       for kind, _ in problems(request, response, self.args.slow, self.ctx.public_url))
        return reproduces


# ---------------------------------------------------------------------------------- reporting

def print_discovery(ctx: Context) -> None:
    print(f"server functions: {len(ctx.fns)}/{len(SERVER_FNS)} found")
    for name in SERVER_FNS:
        print(f"  {name:17} {ctx.fns.get(name, 'NOT FOUND: not fuzzed')}  ({ctx.fn_sources.get(name, '-')})")
    options = sum(1 for p in ctx.products if p.options)
    print(f"products: {len(ctx.products)} ({options} with options), categories: {len(ctx.categories)}, "
          f"real sessions: {len(ctx.sessions)}, cart lines: {len(ctx.line_ids)}, cursors: {len(ctx.cursors)}")


def print_summary(fuzzer: Fuzzer, seconds: float) -> None:
    print("\n== summary ==")
    print("cases per target: " + ", ".join(
        f"{t} {fuzzer.cases[t]} ({fuzzer.requests[t]} requests)" for t in fuzzer.targets))
    ordered = sorted(fuzzer.statuses.items(), key=lambda kv: (not kv[0].isdigit(), kv[0]))
    print("status codes:     " + ", ".join(f"{status} ×{count}" for status, count in ordered))
    print("checks:           " + ", ".join(f"{name} ×{count}" for name, count in fuzzer.checked.most_common()))
    elapsed, case, target, request = fuzzer.slowest
    if request is not None:
        print(f"slowest request:  {elapsed:.2f} s, case {case} [{target}] "
              f"{request.method} {abbreviate(request.target, 120)}")
    print(f"time:             {seconds:.0f} s")


def print_failures(fuzzer: Fuzzer, shrunk: dict, seed: int) -> None:
    print(f"\n== FAILED: {fuzzer.failed} failing requests in {len(fuzzer.classes)} classes ==")
    for index, (sig, group) in enumerate(sorted(fuzzer.classes.items(), key=lambda kv: kv[1].cases[0]), 1):
        first = group.examples[0]
        status = f" → {first.status}" if first.status else ""
        print(f"\n[{index}] {first.kind}: {first.request.method} {sig[2]}{status}  ({len(group.cases)} requests)")
        for detail, count in group.details.most_common(8):
            print(f"    {detail[:160]}  (×{count})")
        if sig in shrunk:
            minimal, tries = shrunk[sig]
            print(f"    minimal request (shrunk in {tries} tries):")
            print("\n".join("      " + line for line in describe(minimal)))
        for failure in group.examples:
            print(f"    case {failure.case} [{failure.target}] {failure.request.note}")
            print("\n".join("      " + line for line in describe(failure.request)))
        if len(group.cases) > len(group.examples):
            rest = sorted(set(group.cases) - {f.case for f in group.examples})
            more = ", ".join(map(str, rest[:30])) + (", …" if len(rest) > 30 else "")
            print(f"    and in cases {more}")
        print(f"    replay: python3 tests/fuzz/run.py --seed {seed} --only-case {first.case}")
    print(f"\nevery failing request: {fuzzer.failure_dir / 'failures.txt'}; raw HTTP of the examples: "
          f"{fuzzer.failure_dir}/*.http")


def save_examples(fuzzer: Fuzzer, shrunk: dict, host: str) -> None:
    """The examples and minimal requests as raw HTTP, to replay byte for byte."""
    for index, (sig, group) in enumerate(fuzzer.classes.items(), 1):
        for failure in group.examples:
            (fuzzer.failure_dir / f"class{index}-case{failure.case}.http").write_bytes(failure.request.raw(host))
        if sig in shrunk:
            (fuzzer.failure_dir / f"class{index}-minimal.http").write_bytes(shrunk[sig][0].raw(host))


# ------------------------------------------------------------------------------------- main

def main() -> int:
    args = parse_args()
    # SIGTERM ends the run like Ctrl-C does, so the processes are always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="storefront-fuzz-"))
    system = System(args.store_bin.resolve(), args.emulator_bin.resolve(), args.site_root.resolve(), workdir)
    failed = True
    try:
        print(f"storefront fuzz: seed {args.seed}, work dir {workdir}")
        system.start()
        print(f"storefront on :{system.store_port}, emulator on :{system.emu_port}")
        ctx = Discovery(system.address, system.public_url, args.site_root.resolve(), args.hang).run()
        print_discovery(ctx)
        numbers = args.only_case or list(range(args.first_case, args.first_case + args.cases))
        fuzzer = Fuzzer(system, ctx, args, workdir / "failures")
        started = time.monotonic()
        fuzzer.run(numbers)
        seconds = time.monotonic() - started
        shrunk = fuzzer.shrink_all() if fuzzer.failed else {}
        print_summary(fuzzer, seconds)
        failed = bool(fuzzer.failed)
        if failed:
            save_examples(fuzzer, shrunk, f"127.0.0.1:{system.store_port}")
            print_failures(fuzzer, shrunk, args.seed)
            print(system.log_tail())
        else:
            print("\nno failures")
        return 1 if failed else 0
    except KeyboardInterrupt:
        print("\ninterrupted")
        return 130
    finally:
        system.stop()
        if failed or args.keep:
            print(f"work dir kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
