#!/usr/bin/env bash
# Side-by-side benchmarks of mulu against its peers and the machine's limits; rewrites
# BENCHMARKS.md at the workspace root.  Not part of CI or `cargo test --workspace`.
#
#   benches/run.sh --quick                 a few minutes on 2 cores
#   benches/run.sh                         full run (under 20 minutes once data is generated)
#   benches/run.sh --quick --thresholds    quick sizes plus the threshold check at 10,000,000 / 9,999,999 persons
#
# Environment: CARGO_TARGET_DIR (default /root/.cache/mulu-target), MULU_BENCH_HOME (data,
# venv and scratch; default ~/.cache/mulu-bench), PYTHON (default python3).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
mode=full
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --thresholds) extra+=(--thresholds) ;;
    --only=*) extra+=(--only "${arg#--only=}") ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/mulu-target}"
home="${MULU_BENCH_HOME:-$HOME/.cache/mulu-bench}"
venv="$home/venv"
mkdir -p "$home"

echo "== building mulu, the generators and the dd-sds peer (release)"
(cd "$root" && cargo build --release --quiet -p scanner -p benches --bin mulu --bin mulu-bench)
cargo build --release --quiet --manifest-path "$here/peer-dd-sds/Cargo.toml"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import presidio_analyzer, duckdb' 2>/dev/null; then
  echo "== installing presidio-analyzer and duckdb into $venv"
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet 'presidio-analyzer==2.2.366' 'duckdb==2.0.0'
fi

echo "== running ($mode)"
start=$(date +%s)
status=0
"${PYTHON:-python3}" "$here/harness.py" --mode "$mode" "${extra[@]}" \
  --target "$CARGO_TARGET_DIR" --venv "$venv" --home "$home" --out "$root/BENCHMARKS.md" || status=$?
echo "== done in $(( $(date +%s) - start )) s; wrote $root/BENCHMARKS.md (exit $status)"
exit $status
