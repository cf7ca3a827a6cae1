#!/bin/sh
# The whole study (issues 4, 17): lazy-2, fixer, relay, card and lewis with every estimator over 5 seeds, then the lazy team
# at 4 and 8 agents (team-size trend) with outcome and the re-run estimators over 3 seeds (lazy-8: outcome and
# difference only — 9 separate models make every re-run estimator slow on 2 cores), and lazy-4 with a group of 16,
# the smallest tree in which C3 can branch at each of the four workers.
# Output: bench/results/learning/study.log; table: bench/results/learning/table.md and report.py.
# `--after PID` waits for an earlier study process to end first.
set -u
cd "$(dirname "$0")/../.."
PY=trainer/.venv/bin/python
OUT=bench/results/learning
mkdir -p "$OUT"
if [ "${1:-}" = "--after" ]; then
  while kill -0 "$2" 2>/dev/null; do sleep 10; done
fi
{
  $PY bench/learning/study.py --tasks lazy-2 fixer relay card lewis --seeds 5 --jobs 2
  $PY bench/learning/study.py --tasks lazy-1 --methods outcome difference --seeds 5 --jobs 2
  $PY bench/learning/study.py --tasks lazy-4 --methods outcome difference shapley counterfactual --seeds 3 --jobs 2
  $PY bench/learning/study.py --tasks lazy-4-g16 --methods outcome counterfactual difference --seeds 3 --jobs 2
  $PY bench/learning/study.py --tasks lazy-8 --methods outcome difference --seeds 3 --jobs 2
  $PY bench/learning/report.py --markdown "$OUT/table.md"
} >> "$OUT/study.log" 2>&1
