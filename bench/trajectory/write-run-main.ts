/** Writes the synthetic run of the trajectory bench into a directory that is kept, for peer tools (peers.py).
 *  Usage (bundled by write-run.mjs): node write-run.mjs <dir> [trajectories] */
import * as path from 'node:path';
import { writeSyntheticRun } from './synthetic-run.js';

const [repo, dir, count] = process.argv.slice(2);
if (!repo || !dir)
    throw new Error('usage: node bench/trajectory/write-run.mjs <output dir> [trajectories, default 100000]');
const { turns, bytes } = await writeSyntheticRun(
    dir,
    path.join(repo, 'test/fixtures/runs/lazy-team-3steps/run.json'),
    Number(count ?? 100_000),
    100,
);
console.log(`wrote ${dir}: ${turns} turns, ${(bytes / 1e6).toFixed(1)} MB`);
