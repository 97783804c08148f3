#!/usr/bin/env bash
# Compare gunicorn and granian serving the demo's uncached article page.
#   bench/servers.sh [SECONDS]   (needs wrk: apt-get install wrk)
# Runs each server with one worker per core on the demo database in a temporary
# directory, warms it up, then runs wrk twice per server, alternating.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
export NEWSDESK_DEMO=true NEWSDESK_DATA_DIR=$(mktemp -d) NEWSDESK_WEATHER_CITY=
.venv/bin/pip install -q -e '.[bench]' >/dev/null
.venv/bin/newsdesk demo --no-serve >/dev/null
path=$(.venv/bin/newsdesk shell -c "from newsdesk.content.models import Article; print(Article.objects.get(slug='china-russia-strategic-security-consultations').get_absolute_url())" 2>/dev/null | tail -1)
workers=$(nproc)
port=8391

run() {
    local name=$1; shift
    "$@" >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port$path" && break; sleep 0.2; done
    wrk -t2 -c16 -d3s "http://127.0.0.1:$port$path" >/dev/null  # warm-up
    echo "== $name ($workers workers): $path"
    wrk -t2 -c16 -d"${duration}s" --latency "http://127.0.0.1:$port$path" |
        grep -E "Requests/sec|  50%|  99%|Non-2xx"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

for round in 1 2; do
    run gunicorn .venv/bin/gunicorn -w "$workers" -b "127.0.0.1:$port" newsdesk.wsgi:application
    run granian .venv/bin/granian --interface wsgi --workers "$workers" --host 127.0.0.1 --port "$port" newsdesk.wsgi:application
done
rm -rf "$NEWSDESK_DATA_DIR"
