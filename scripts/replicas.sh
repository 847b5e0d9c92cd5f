#!/usr/bin/env bash
# Start N=2 app replicas on 127.0.0.1 and nginx in front of them (sticky sessions); Ctrl-C stops all.
# Usage: scripts/replicas.sh [LISTEN_PORT=8600]   (needs Debian's nginx; run `make run` once first to build the index)
# nginx listens on QC_HOST (default 127.0.0.1; QC_HOST=0.0.0.0 to host); the replicas always stay on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
listen=${1:-8600}
host=${QC_HOST:-127.0.0.1}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}  # as `make run`: memory stays flat under load
py=${PY:-.venv/bin/python}
prefix=$(mktemp -d /tmp/qc-nginx.XXXXXX)
mkdir -p "$prefix"/{body,proxy,fastcgi,uwsgi,scgi}
pids=()
cleanup() { nginx -p "$prefix" -c "$prefix/nginx.conf" -s stop 2>/dev/null || true; kill "${pids[@]}" 2>/dev/null || true; rm -rf "$prefix"; }
trap cleanup EXIT INT TERM
for port in $((listen + 1)) $((listen + 2)); do
  "$py" -m streamlit run app.py --server.address 127.0.0.1 --server.port "$port" --server.headless true >/dev/null 2>&1 &
  pids+=($!)
done
sed -e "s|@PREFIX@|$prefix|g" -e "s|@LISTEN@|$host:$listen|" \
    -e "s|@BACKEND_A@|127.0.0.1:$((listen + 1))|" -e "s|@BACKEND_B@|127.0.0.1:$((listen + 2))|" \
    deploy/nginx.conf.template > "$prefix/nginx.conf"
nginx -p "$prefix" -c "$prefix/nginx.conf"
for port in $((listen + 1)) $((listen + 2)); do
  for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/_stcore/health" >/dev/null && break; sleep 1; done
done
echo "replicas ready behind nginx at http://$host:$listen (pids ${pids[*]})"
wait "${pids[@]}"
