#!/usr/bin/env python3
"""Scale-out suite: storefront replicas behind nginx, restarted one at a time under load.

Starts the Wix emulator, N storefront replicas (one SESSION_SECRET, no sticky sessions) and nginx
in front of them (the Debian package, installed if missing) with a shared page cache, the way a
CDN or a caching balancer would run, then:

  1  rolling deploy: the reliability suite's concurrent visitors (tests/reliability: cart
     actions with short-lived tokens, every /cart view checked against the visitor's model) go
     through nginx while each replica in turn is taken out of the balancer, sent SIGTERM,
     started again and put back, as an orchestrator does. Required: every request answered, no
     5xx, no lost cart updates, no cross-visitor leaks; every replica exits 0 and serves again;
     requests spread over every replica.
  2  shared cache: an anonymous catalog page is served from nginx's cache on the second ask;
     a visitor with a session cookie gets their own page, never a stored one; nothing stored
     carries Set-Cookie, a private Cache-Control or a visitor's cart; across the whole run no
     request with a session cookie was answered from the cache.

Exit status: 0 all passed, 1 a check failed, 2 setup failed. Standard library only; ports,
processes and cookies come from tests/support/harness.py.

  tests/scaleout/run.py            # reduced (make test): debug build, 3 replicas, 8 visitors
  tests/scaleout/run.py --full     # the release in dist/ (make release), 60 visitors x 20 ops,
                                   # three rolling rounds (make scale-out)
"""

from __future__ import annotations

import argparse
import atexit
import collections
import http.client
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True
sys.path.insert(1, str(REPO / "tests"))
from support.harness import (  # noqa: E402
    HOST, CookieJar, Process, SetupError, base_url, free_port, stop_all, storefront_env,
    storefront_process)


def load_reliability():
    """The reliability suite's visitors, checks and report, without running that suite."""
    spec = importlib.util.spec_from_file_location("reliability", REPO / "tests/reliability/run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["reliability"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


rel = load_reliability()
log = rel.log

SESSION_SECRET = "scale-out-suite-shared-secret-0123456789abcdef"
# How long an orchestrator leaves a replica out of the balancer before SIGTERM (the manifest's
# preStop pause, shortened).
PRE_STOP_PAUSE = 0.5
# A replica's drain: the same as production's default would make a stuck request hold the run.
SHUTDOWN_GRACE_SECS = 10
# Stored pages must outlive the checks of part 2.
CATALOG_CACHE_TTL_SECS = 30
BADGE = re.compile(r"(\d+) items? in cart")
# Cache answers that come from what nginx stored.
FROM_CACHE = {"HIT", "STALE", "UPDATING", "REVALIDATED"}

NGINX_CONF = """\
{user}daemon off;
master_process on;
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    # Which requests carry a session (either cookie name) and which answers set a cookie: logged
    # as 0/1, never the values.
    map $http_cookie $has_session {{
        "~(^|;)\\s*(__Host-)?wix_session=" 1;
        default 0;
    }}
    map $upstream_http_set_cookie $sets_cookie {{
        "" 0;
        default 1;
    }}
    log_format scaleout '$request_method|$uri|$status|upstream=$upstream_addr|'
                        'cache=$upstream_cache_status|session=$has_session|sets_cookie=$sets_cookie';
    access_log {work}/nginx-access.log scaleout;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;

    # The shared cache: it keeps what the store marks public (s-maxage), never an answer with
    # Set-Cookie or a private Cache-Control (nginx's defaults), and is bypassed outright for
    # requests with a session cookie, as the README asks of any CDN in front of the store.
    proxy_cache_path {work}/nginx-cache levels=1:2 keys_zone=pages:10m max_size=256m
                     inactive=10m use_temp_path=off;

    upstream storefront {{
{servers}
    }}

    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://storefront;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A replica that refuses the connection: the next one (nginx never resends a POST
            # that reached a replica).
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            proxy_cache pages;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_bypass $has_session;
            proxy_no_cache $has_session;
            proxy_cache_lock on;
            proxy_cache_background_update on;
            proxy_cache_use_stale updating;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""


# ---------------------------------------------------------------------------------------------
# nginx


def find_or_install_nginx() -> str:
    """nginx from PATH or /usr/sbin; else the Debian package, installed here (apt-get, as root
    or through sudo)."""
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    if found := shutil.which("nginx", path=search):
        return found
    apt = ["apt-get", "install", "-y", "--no-install-recommends", "nginx-light"]
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log("installing nginx (Debian package nginx-light)")
    if subprocess.run(sudo + apt, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        # A fresh machine may have no package lists yet.
        subprocess.run(sudo + ["apt-get", "update"], env=env, stdout=subprocess.DEVNULL)
        if subprocess.run(sudo + apt, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            raise SetupError("could not install nginx: apt-get install nginx-light failed")
    if found := shutil.which("nginx", path=search):
        return found
    raise SetupError("nginx was installed but is not on PATH or in /usr/sbin")


class Balancer:
    """nginx in front of the replicas: round robin, no stickiness, a shared page cache."""

    def __init__(self, binary: str, workdir: Path, port: int, replica_ports: list[int]):
        self.binary, self.workdir, self.port = binary, workdir, port
        self.base = base_url(port)
        self.replica_ports = replica_ports
        self.down: set[int] = set()
        self.conf = workdir / "nginx.conf"
        for sub in ["body", "proxy", "fastcgi", "uwsgi", "scgi"]:
            (workdir / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
        self.write_conf()
        self.process = Process("nginx", [binary, "-c", str(self.conf), "-p", str(workdir)],
                               dict(os.environ), workdir / "nginx.log")

    def write_conf(self) -> None:
        servers = "\n".join(
            f"        server {HOST}:{p}{' down' if p in self.down else ''};"
            for p in self.replica_ports)
        # Started by root, nginx's workers would become `nobody`, who cannot enter the work dir.
        user = "user root;\n" if os.geteuid() == 0 else ""
        self.conf.write_text(NGINX_CONF.format(user=user, work=self.workdir, servers=servers,
                                               host=HOST, port=self.port))

    def start(self) -> None:
        check = subprocess.run([self.binary, "-t", "-q", "-c", str(self.conf),
                                "-p", str(self.workdir)], capture_output=True, text=True)
        if check.returncode != 0:
            raise SetupError(f"nginx refused its configuration:\n{check.stderr}")
        self.process.start()
        self.process.wait_ready(self.base, "/healthz", 30)

    def set_down(self, port: int, down: bool) -> None:
        """Takes a replica out of (or back into) rotation: new configuration, graceful reload."""
        (self.down.add if down else self.down.discard)(port)
        self.write_conf()
        reload = subprocess.run([self.binary, "-c", str(self.conf), "-p", str(self.workdir),
                                 "-s", "reload"], capture_output=True, text=True)
        if reload.returncode != 0:
            raise SetupError(f"nginx reload failed: {reload.stderr}")

    def access_log(self) -> list[dict[str, str]]:
        lines = []
        for line in (self.workdir / "nginx-access.log").read_text().splitlines():
            method, uri, status, *fields = line.split("|")
            entry = dict(field.split("=", 1) for field in fields)
            entry.update(method=method, uri=uri, status=status)
            lines.append(entry)
        return lines

    def stored_pages(self) -> list[bytes]:
        return [path.read_bytes() for path in (self.workdir / "nginx-cache").rglob("*")
                if path.is_file()]


# ---------------------------------------------------------------------------------------------
# Replicas


class Replica:
    def __init__(self, index: int, args, workdir: Path, emulator_base: str, public_url: str):
        self.name = f"replica-{index}"
        self.port = free_port()
        self.base = base_url(self.port)
        env = storefront_env(
            self.port, emulator_base, args.site_root, workdir,
            client_id="scale-out",
            session_secret=SESSION_SECRET,
            # Every replica is the same store, at the balancer's address.
            PUBLIC_URL=public_url,
            TRUSTED_PROXY_HEADER="x-forwarded-for",
            SHUTDOWN_GRACE_SECS=str(SHUTDOWN_GRACE_SECS),
            CATALOG_CACHE_TTL_SECS=str(CATALOG_CACHE_TTL_SECS),
            WIX_RENEW_MARGIN_SECS="1",
            WIX_DATA_DIR=str(workdir / f"{self.name}-data"),
        )
        self.process = storefront_process(args.store_bin, workdir, env)
        self.process.name = self.name
        self.process.log_path = workdir / f"{self.name}.log"

    def start(self, emulator: Process) -> None:
        self.process.start()
        self.process.wait_ready(self.base, "/readyz", 60, also=[emulator])


def rolling_deploy(balancer: Balancer, replicas: list[Replica], emulator: Process,
                   rounds: int) -> list[tuple[str, int | None, float]]:
    """Each replica in turn: out of the balancer, SIGTERM, wait for its exit, start, back in.
    Gives (replica, exit status or None if killed, seconds from SIGTERM to exit)."""
    outcomes = []
    for _ in range(rounds):
        for replica in replicas:
            balancer.set_down(replica.port, True)
            time.sleep(PRE_STOP_PAUSE)
            began = time.monotonic()
            replica.process.terminate()
            try:
                code = replica.process.proc.wait(timeout=SHUTDOWN_GRACE_SECS + 10)
            except subprocess.TimeoutExpired:
                replica.process.kill()
                code = None
            outcomes.append((replica.name, code, time.monotonic() - began))
            replica.start(emulator)
            balancer.set_down(replica.port, False)
            time.sleep(1.0)
    return outcomes


# ---------------------------------------------------------------------------------------------
# Checks


def check_rolling_deploy(ctx, balancer: Balancer, replicas: list[Replica], emulator) -> None:
    # Visitors keep coming in waves until the last replica is back, so every restart happens
    # under load. The restarts run on this thread: a child started by a thread is sent SIGTERM
    # when that thread ends (the harness's parent-death signal).
    deployed = threading.Event()
    waves = []

    def load() -> None:
        try:
            while not deployed.is_set() or not waves:
                waves.append(len(waves) + 1)
                rel.check_concurrent_visitors(ctx, f"1 wave {waves[-1]}", f"w{waves[-1]}")
        except Exception as error:  # shown in the report, not lost in a thread
            ctx.report.add("1 visitors", False, f"{type(error).__name__}: {error}")

    visitors = threading.Thread(target=load, daemon=True)
    visitors.start()
    failure = None
    try:
        outcomes = rolling_deploy(balancer, replicas, emulator.process, ctx.args.rounds)
    except SetupError as error:
        outcomes, failure = [], str(error)
    deployed.set()
    visitors.join()
    report = ctx.report
    expected = ctx.args.rounds * len(replicas)
    clean = [o for o in outcomes if o[1] == 0]
    report.add("1 restarts under load", failure is None and len(clean) == expected,
               f"{len(clean)}/{expected} replicas stopped with status 0 after SIGTERM and served "
               f"again (drain {max((o[2] for o in outcomes), default=0):.1f} s at most), "
               f"during {len(waves)} wave(s) of visitors"
               + (f"; {failure}" if failure else "")
               + "".join(f"; {name} exit {code}" for name, code, _ in outcomes if code != 0))
    served = collections.Counter(
        entry["upstream"].split(",")[-1].strip() for entry in balancer.access_log()
        if entry["upstream"] != "-")
    spread = {f"{HOST}:{r.port}": served.get(f"{HOST}:{r.port}", 0) for r in replicas}
    report.add("1 no stickiness", all(spread.values()),
               f"requests per replica {sorted(spread.values())} (round robin, one shared secret)")


def cache_request(balancer: Balancer, path: str, jar: CookieJar | None = None):
    """GET through nginx: status, headers (X-Cache-Status among them) and body."""
    headers = {"accept": "text/html"}
    if jar and jar.cookies:
        headers["cookie"] = jar.header()
    conn = http.client.HTTPConnection(HOST, balancer.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, response.headers, body
    finally:
        conn.close()


def badge(body: str) -> int | None:
    match = BADGE.search(body)
    return int(match.group(1)) if match else None


def check_shared_cache(ctx, balancer: Balancer) -> None:
    report = ctx.report
    path = f"/search?q=mug&scale-out={int(time.time())}"
    first = cache_request(balancer, path)
    second = cache_request(balancer, path)
    statuses = [first[1].get("x-cache-status"), second[1].get("x-cache-status")]
    report.add("2 anonymous pages from the shared cache",
               first[0] == second[0] == 200 and statuses == ["MISS", "HIT"]
               and first[2] == second[2] and badge(second[2]) == 0,
               f"two anonymous asks: {first[0]}/{second[0]}, cache {statuses}, "
               f"cache-control {first[1].get('cache-control')!r}")

    # A shopper adds a product through the balancer, then asks for the very page just stored.
    shopper = rel.Visitor(ctx, "cache-shopper", ctx.products)
    product = ctx.products[0]
    added = shopper.add(product, 2)
    status, headers, body = cache_request(balancer, path, shopper.jar)
    report.add("2 a visitor with a cart never gets a stored page",
               added and status == 200 and headers.get("x-cache-status") == "BYPASS"
               and badge(body) == 2,
               f"add {'done' if added else 'failed'}; their ask: {status}, cache "
               f"{headers.get('x-cache-status')}, badge {badge(body)} (2 expected)")

    entries = balancer.access_log()
    from_cache_with_session = [e for e in entries
                               if e["session"] == "1" and e["cache"] in FROM_CACHE]
    hits = sum(1 for e in entries if e["cache"] in FROM_CACHE)
    report.add("2 no session request answered from the cache", not from_cache_with_session,
               f"{len(entries)} requests through nginx, {hits} from its cache, "
               f"{len(from_cache_with_session)} of those carried a session cookie")

    stored = balancer.stored_pages()
    bad = []
    for page in stored:
        head, _, body = page.partition(b"\r\n\r\n")
        head = head.lower()
        personal = (b"\nset-cookie:" in head or b"private" in head
                    or b"public" not in head or badge(body.decode("utf-8", "replace")) != 0)
        if personal:
            key = re.search(rb"KEY: ([^\n]*)", page)
            bad.append(key.group(1).decode("utf-8", "replace") if key else "?")
    report.add("2 nothing personal stored", stored and not bad,
               f"{len(stored)} pages stored; {len(bad)} with Set-Cookie, private, or a cart: "
               f"{bad[:3]}")


# ---------------------------------------------------------------------------------------------
# Main


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--full", action="store_true",
                   help="the release in dist/, 60 visitors x 20 ops, three rolling rounds")
    p.add_argument("--replicas", type=int, default=3)
    p.add_argument("--visitors", type=int, help="concurrent visitors per wave (8; full 60)")
    p.add_argument("--ops", type=int, help="actions per visitor (6; full 20)")
    p.add_argument("--rounds", type=int, help="rolling restarts of every replica (1; full 3)")
    p.add_argument("--seed", default="1")
    p.add_argument("--store-bin", type=Path, help="default: target/debug (full: dist/)")
    p.add_argument("--site-root", type=Path, help="default: target/site (full: dist/site)")
    p.add_argument("--emulator-bin", type=Path, default=REPO / "target/debug/wix-emulator")
    p.add_argument("--keep-workdir", action="store_true")
    args = p.parse_args(argv)
    full = args.full
    args.visitors = args.visitors or (60 if full else 8)
    args.ops = args.ops or (20 if full else 6)
    args.rounds = args.rounds or (3 if full else 1)
    args.store_bin = args.store_bin or REPO / ("dist/wix-storefront" if full
                                               else "target/debug/wix-storefront")
    args.site_root = args.site_root or REPO / ("dist/site" if full else "target/site")
    # What the reliability suite's visitors and check 1 read.
    args.token_ttl, args.max_think = 3, 1.2
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    for path, what in [(args.store_bin, "storefront binary"), (args.site_root, "site root"),
                       (args.emulator_bin, "emulator binary")]:
        if not path.exists():
            log(f"setup failed: {what} not found: {path}")
            return 2
    workdir = Path(tempfile.mkdtemp(prefix="wix-scaleout-"))
    started: list[Process] = []
    atexit.register(stop_all, started)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    report = rel.Report()
    try:
        nginx = find_or_install_nginx()
        emulator = rel.Emulator(args.emulator_bin, workdir, free_port())
        started.append(emulator.process)
        emulator.start()
        balancer_port = free_port()
        replicas = [Replica(i, args, workdir, emulator.base, base_url(balancer_port))
                    for i in range(args.replicas)]
        for replica in replicas:
            started.append(replica.process)
            replica.start(emulator.process)
        balancer = Balancer(nginx, workdir, balancer_port, [r.port for r in replicas])
        started.append(balancer.process)
        balancer.start()
        log(f"emulator {emulator.base}, {len(replicas)} replicas, nginx {balancer.base}, "
            f"work dir {workdir}")
        front = type("Front", (), {"base": balancer.base, "emulator": emulator})()
        products = [rel.discover_product(front, slug) for slug in rel.SIMPLE_PRODUCTS]
        ctx = rel.Context(args, emulator, front, products, report)
        timed = rel.timed
        timed(report, "1 rolling deploy", check_rolling_deploy, ctx, balancer, replicas, emulator)
        timed(report, "2 shared cache", check_shared_cache, ctx, balancer)
    except SetupError as error:
        log(f"setup failed: {error}")
        return 2
    except KeyboardInterrupt:
        rel.STOP.set()
        log("interrupted")
        return 130
    finally:
        stop_all(reversed(started))
        report.timings.append(("total", time.monotonic() - began))
        if report.rows:
            report.print()
        if args.keep_workdir or report.failed():
            print(f"work dir kept: {workdir} (nginx and replica logs)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if report.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
