"""Peer figures for issue 6: pandas read_json(lines=True) and DuckDB read_json over the bench's synthetic run.

Not part of any test or requirements: run with a throwaway venv that has pandas and duckdb, e.g.
  python3 -m venv /tmp/bench-peers && /tmp/bench-peers/bin/pip install pandas duckdb
  node bench/trajectory/write-run.mjs /tmp/run && /tmp/bench-peers/bin/python bench/trajectory/peers.py /tmp/run
Prints wall-clock figures (never asserts on time): the first page of a trajectory by id (each peer must parse the
step file that holds it; it has no byte offsets) and the whole-run heatmap aggregate (mean `outcome` credit per agent
x turn index), cold from the JSONL files.
"""
import glob
import os
import sys
import time

import duckdb
import pandas as pd

root = sys.argv[1]
files = sorted(glob.glob(os.path.join(root, "trajectories", "*.jsonl")))
with open(files[0], "rb") as first:
    per_step = sum(1 for _ in first)
targets = [(1 + (k * 37) % len(files), (k * 101) % per_step) for k in range(5)]


def timed(label, run, repeat=3, per=1):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - t0) * 1000 / per)
    print(f"{label}: median {sorted(times)[len(times) // 2]:.1f} ms (runs: {', '.join(f'{t:.0f}' for t in times)})", flush=True)
    return result


def pandas_page():
    for step, rollout in targets:
        frame = pd.read_json(os.path.join(root, "trajectories", f"{step}.jsonl"), lines=True)
        row = frame[frame["rollout"] == rollout]
        assert len(row) == 1
    return row


def duckdb_page():
    con = duckdb.connect()
    for step, rollout in targets:
        path = os.path.join(root, "trajectories", f"{step}.jsonl")
        row = con.execute(f"SELECT * FROM read_json('{path}') WHERE rollout = ? LIMIT 1", [rollout]).fetchall()
        assert len(row) == 1
    return row


HEATMAP_SQL = """
SELECT d.agent, d.turn, avg(d.credit) AS mean, count(*) AS n FROM (
  SELECT unnest(list_transform(range(len(decision_turns)), i -> struct_pack(
      agent := turns[decision_turns[i + 1] + 1].agent, turn := decision_turns[i + 1], credit := credit.outcome[i + 1]))) AS d
  FROM read_json('{glob}', columns = {{decision_turns: 'BIGINT[]', turns: 'STRUCT(agent VARCHAR)[]',
                                       credit: 'STRUCT(outcome DOUBLE[])'}})
) GROUP BY ALL ORDER BY ALL
"""


def duckdb_heatmap():
    return duckdb.connect().execute(HEATMAP_SQL.format(glob=os.path.join(root, "trajectories", "*.jsonl"))).fetchall()


def pandas_heatmap():
    cells = {}
    for path in files:
        frame = pd.read_json(path, lines=True)
        for turns, decisions, credit in zip(frame["turns"], frame["decision_turns"], frame["credit"]):
            for j, turn in enumerate(decisions):
                key = (turns[turn]["agent"], turn)
                s, n = cells.get(key, (0.0, 0))
                cells[key] = (s + credit["outcome"][j], n + 1)
    return sorted((a, t, s / n, n) for (a, t), (s, n) in cells.items())


print(f"peers over {len(files)} step files in {root}; pandas {pd.__version__}, duckdb {duckdb.__version__}", flush=True)
timed(f"first page of a trajectory by id, pandas read_json(lines=True) of its step file + filter, per lookup (mean of {len(targets)})", pandas_page, per=len(targets))
timed(f"first page of a trajectory by id, DuckDB read_json of its step file WHERE rollout = id, per lookup (mean of {len(targets)})", duckdb_page, per=len(targets))
ours = timed("whole-run heatmap aggregate cold, DuckDB read_json over all step files", duckdb_heatmap)
theirs = timed("whole-run heatmap aggregate cold, pandas read_json(lines=True) of every step file + Python loop", pandas_heatmap, repeat=1)
worst = max(abs(a[2] - b[2]) for a, b in zip(ours, theirs))
print(f"heatmap cells: {len(ours)} (DuckDB) vs {len(theirs)} (pandas), max |mean difference| {worst:.2e}")
