#!/usr/bin/env python3
"""Newsdesk's benchmark, side by side with the machine's limits, in one run.

    .venv/bin/python bench/run.py [--duration 10] [--big 100000] [--quick]

Serves, one after another on 127.0.0.1, and loads each with wrk (-t1, 32 and 128
connections, after a 3 s warm-up):
  1. nginx serving the demo article page's exact bytes as a static file (the limit);
  2. a bare WSGI app returning those bytes from memory under gunicorn (the Python floor);
  3. `newsdesk serve` (gunicorn): article and front page cached, uncached, and a mix;
  4. nginx in front of `newsdesk serve` with a one-second proxy cache (microcache).
Then times uncached front and article renders at 1,000 and at --big articles.
Prints a table with each Newsdesk figure as a ratio to the nginx and floor figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
NEWSDESK = [str(PYTHON), "-m", "newsdesk"]
WORKERS = str(os.cpu_count() or 2)

NGINX_CONF = """
worker_processes auto;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 100000;
    open_file_cache max=100 inactive=60s;
    client_body_temp_path {run}/tmp/body;
    proxy_temp_path {run}/tmp/proxy;
    fastcgi_temp_path {run}/tmp/fastcgi;
    uwsgi_temp_path {run}/tmp/uwsgi;
    scgi_temp_path {run}/tmp/scgi;
    proxy_cache_path {run}/cache levels=1:2 keys_zone=pages:10m max_size=100m;
    upstream newsdesk {{ server 127.0.0.1:{app_port}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port} backlog=4096 reuseport;
        root {www};
        location = /static-article {{ try_files /article.html =404; }}
        location /popularity/ {{ proxy_pass http://newsdesk; }}
        location / {{
            proxy_pass http://newsdesk;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # Microcache: at most a second behind Newsdesk, whose own cache is exact.
            proxy_cache pages;
            proxy_ignore_headers Cache-Control Expires;
            proxy_cache_valid 200 1s;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_background_update on;
            proxy_cache_bypass $cookie_sessionid;
            proxy_no_cache $cookie_sessionid;
        }}
    }}
}}
"""

MIX_LUA = """
paths = {{{paths}}}
counter = 0
request = function()
    counter = counter + 1
    return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


class Server:
    def __init__(self, command: list[str], url: str, env: dict | None = None) -> None:
        self.process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(url)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def wrk(url: str, connections: int, duration: int, script: str | None = None) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", script]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", output)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def load(name: str, url: str, duration: int, results: list, script: str | None = None):
    wrk(url, 32, 3, script)  # warm-up, discarded
    for connections in (32, 128):
        figure = wrk(url, connections, duration, script)
        results.append({"name": name, "c": connections, **figure})
        print(
            f"  {name:<44} c={connections:<4} {figure['rps']:>9,.0f} req/s  "
            f"p50 {figure['p50']:.2f} ms  p99 {figure['p99']:.2f} ms",
            flush=True,
        )


def newsdesk_env(data: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env | {
        "SECRET_KEY": "bench-" + "x" * 40,
        "NEWSDESK_DATA_DIR": str(data),
        "NEWSDESK_WEATHER_CITY": "",
        "NEWSDESK_LOG_LEVEL": "WARNING",
        **extra,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="3 s runs, 10k articles")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.big = 3, 10_000
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is missing: apt-get install {tool}")

    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    os.chmod(work, 0o755)
    data = work / "data"
    env = newsdesk_env(data)
    subprocess.run([*NEWSDESK, "demo", "--no-serve"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    article_path = subprocess.run(
        [*NEWSDESK, "shell", "-c",
         "from newsdesk.content.models import Article; print(Article.objects.get("
         "slug='china-russia-strategic-security-consultations').get_absolute_url())"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    results: list[dict] = []
    app_port, nginx_port, floor_port = 8401, 8402, 8403
    base = f"http://127.0.0.1:{app_port}"

    # The exact bytes of the article page, as Newsdesk serves them.
    app = Server([*NEWSDESK, "serve", "--port", str(app_port), "--workers", WORKERS],
                 f"{base}/healthz", env)  # fmt: skip
    www = work / "www"
    www.mkdir()
    with urllib.request.urlopen(base + article_path) as response:
        page = response.read()
    (www / "article.html").write_bytes(page)
    os.chmod(www, 0o755)
    paths = [article_path, "/", "/china/", "/world/", "/technology/", "/tag/diplomacy/"]
    for link in re.findall(rb'href="(/[a-z-]+/\d{4}/\d\d/\d\d/[^"]+/)"', page)[:10]:
        paths.append(link.decode())
    mix = work / "mix.lua"
    mix.write_text(MIX_LUA.format(paths=", ".join(f'"{p}"' for p in paths)))
    print(
        f"Article page: {article_path} ({len(page):,} bytes); mix of {len(paths)} pages"
    )

    run = work / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    (run / "nginx.conf").write_text(
        NGINX_CONF.format(run=run, www=www, port=nginx_port, app_port=app_port)
    )
    nginx_cmd = ["nginx", "-e", str(run / "error.log"), "-p", str(run),
                 "-c", str(run / "nginx.conf")]  # fmt: skip

    print("1. The limit: nginx, static file")
    nginx = Server(nginx_cmd, f"http://127.0.0.1:{nginx_port}/static-article", None)
    load("nginx static file", f"http://127.0.0.1:{nginx_port}/static-article",
         args.duration, results)  # fmt: skip
    print("4. nginx microcache in front of newsdesk serve")
    load(
        "nginx microcache -> newsdesk, article",
        f"http://127.0.0.1:{nginx_port}{article_path}",
        args.duration,
        results,
    )
    nginx.stop()

    print("3. newsdesk serve (gunicorn, page cache on)")
    load("newsdesk cached, article", base + article_path, args.duration, results)
    load("newsdesk cached, front page", base + "/", args.duration, results)
    load("newsdesk cached, mix", base + "/", args.duration, results, str(mix))
    app.stop()
    uncached = Server(
        [*NEWSDESK, "serve", "--port", str(app_port), "--workers", WORKERS],
        f"{base}/healthz", newsdesk_env(data, NEWSDESK_PAGE_CACHE="false"),
    )  # fmt: skip
    load("newsdesk uncached, article", base + article_path, args.duration, results)
    load("newsdesk uncached, front page", base + "/", args.duration, results)
    load("newsdesk uncached, mix", base + "/", args.duration, results, str(mix))
    uncached.stop()
    cold = Server(
        [*NEWSDESK, "serve", "--port", str(app_port), "--workers", WORKERS],
        f"{base}/healthz",
        newsdesk_env(data, NEWSDESK_PAGE_CACHE="false", NEWSDESK_FRAGMENT_CACHE="false"),
    )  # fmt: skip
    load("newsdesk cold (no caches), article", base + article_path, args.duration,
         results)  # fmt: skip
    load("newsdesk cold (no caches), front page", base + "/", args.duration, results)
    cold.stop()

    print("2. The Python floor: bare WSGI app under gunicorn")
    floor = Server(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", WORKERS, "-b",
         f"127.0.0.1:{floor_port}", "--chdir", str(ROOT / "bench"), "floor:application"],
        f"http://127.0.0.1:{floor_port}/",
        os.environ | {"BENCH_PAGE": str(www / "article.html")},
    )  # fmt: skip
    load("bare WSGI bytes, gunicorn", f"http://127.0.0.1:{floor_port}/",
         args.duration, results)  # fmt: skip
    floor.stop()

    print(f"5. Uncached render time, 1,000 vs {args.big:,} articles")
    renders = {}
    for size in (1_000, args.big):
        sized = work / f"data-{size}"
        sized_env = newsdesk_env(sized)
        subprocess.run([*NEWSDESK, "migrate", "-v0"], env=sized_env, check=True)
        subprocess.run([*NEWSDESK, "collectstatic", "--noinput", "-v0"], env=sized_env,
                       check=True)  # fmt: skip
        subprocess.run([*NEWSDESK, "seed-data", "--articles", str(size)],
                       env=sized_env, check=True, capture_output=True)  # fmt: skip
        for mode, fragments in (("warm", "true"), ("cold", "false")):
            output = subprocess.run(
                [str(PYTHON), str(ROOT / "bench" / "render_time.py"), "100"],
                env=sized_env | {"NEWSDESK_FRAGMENT_CACHE": fragments},
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            timing = json.loads(output.strip().splitlines()[-1])
            renders[f"{mode}-{size}"] = timing
            print(f"  {size:>9,} articles, {mode}: front "
                  f"{timing['front']['median_ms']:.2f} ms, article "
                  f"{timing['article']['median_ms']:.2f} ms (median)")  # fmt: skip

    report(results, renders, args)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def report(results: list[dict], renders: dict, args) -> None:
    def find(name: str, c: int) -> dict:
        return next(r for r in results if r["name"] == name and r["c"] == c)

    print("\n| config | c | req/s | p50 ms | p99 ms | × nginx static | × bare WSGI |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in results:
        nginx = find("nginx static file", row["c"])["rps"]
        floor = find("bare WSGI bytes, gunicorn", row["c"])["rps"]
        print(
            f"| {row['name']} | {row['c']} | {row['rps']:,.0f} | {row['p50']:.2f} | "
            f"{row['p99']:.2f} | {row['rps'] / nginx:.3f} | {row['rps'] / floor:.2f} |"
        )
    print(f"\n| render, page cache off (median) | 1,000 articles | {args.big:,} | ratio |")
    print("|---|---:|---:|---:|")
    for mode in ("warm", "cold"):
        small, big = renders[f"{mode}-1000"], renders[f"{mode}-{args.big}"]
        for page in ("front", "article"):
            a, b = small[page]["median_ms"], big[page]["median_ms"]
            print(f"| {page}, {mode} | {a:.2f} ms | {b:.2f} ms | {b / a:.2f} |")
    errors = sum(r["errors"] for r in results)
    print(f"\nNon-2xx responses in all runs: {errors}")
    Path(ROOT / "bench" / "results.json").write_text(
        json.dumps({"loads": results, "renders": renders}, indent=1)
    )


if __name__ == "__main__":
    sys.exit(main())
