#!/usr/bin/env bash
# Time the whole workflow on a scaled-up synthetic survey (run by hand, not a test).
#
#   bash benchmarks/workflow_scale.sh [SCALE] [CORES]
#
# SCALE multiplies the shipped study's respondents (default 2817: about 1,000,000 patient rows
# and 369,000 expert rows). Works in a temporary copy of the workflow, prints the wall time and
# peak memory of a full run, then of the rerun after one new export batch arrives.
set -euo pipefail
scale=${1:-2817}
cores=${2:-2}
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo"/{Snakefile,config,workflow,profiles} "$work"/
mkdir -p "$work/resources"
cd "$work"
"$python" -m likertflow_tools generate config/synthetic/bmjopen2020.yaml --out resources/raw --scale "$scale"
echo "rows per questionnaire:"; for s in resources/raw/*; do
  printf '  %s: %s\n' "$(basename "$s")" "$(cat "$s"/*.csv | wc -l)"; done

timed() {  # label, command...: wall seconds, and the peak RSS of the largest single process
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %M KB peak RSS" "$@" >/dev/null 2>"$work/time.log" \
    || { cat "$work/time.log"; exit 1; }
  tail -n 1 "$work/time.log"
}
timed "full run" "$python" -m snakemake --cores "$cores"
# A new export arrives: a copy of one week's batch under a new name (all its ids repeated).
first=$(ls resources/raw/patients/*.csv | head -n 1)
cp "$first" resources/raw/patients/export_9999-12-31.csv
timed "rerun after a new batch" "$python" -m snakemake --cores "$cores"
