import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A 3-step lazy-team run written by `python -m mas_trainer run` (see test/fixtures/runs/README.md). */
export const FIXTURE_RUN = fileURLToPath(new URL('../../fixtures/runs/lazy-team-3steps', import.meta.url));

/** A scratch copy of the fixture run that a test may damage; `dispose` removes it. */
export function copyFixtureRun(): { root: string; dispose: () => void } {
    const parent = mkdtempSync(path.join(tmpdir(), 'mas-run-'));
    const root = path.join(parent, 'run');
    cpSync(FIXTURE_RUN, root, { recursive: true });
    return { root, dispose: () => rmSync(parent, { recursive: true, force: true }) };
}

/**
 * A copy of the fixture run at `root` whose every record also carries `shapley` and `difference` credit, as a run
 * trained with `credit: shapley` and `record_credit: all` would: the lazy agent (third decision) gets exactly 0 under
 * both, the other two split the rest.
 */
export function copyFixtureRunWithShapley(root: string): string {
    cpSync(FIXTURE_RUN, root, { recursive: true });
    for (const step of [1, 2, 3]) {
        const file = path.join(root, 'trajectories', `${step}.jsonl`);
        const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
        const withShapley = lines.map((line) => {
            const record = JSON.parse(line) as { reward: number; credit: Record<string, number[]> };
            const r = record.reward;
            record.credit['shapley'] = [0.25 + r / 2, 0.25 + r / 2, 0];
            record.credit['difference'] = [0.5 + r, 0.5 + r, 0];
            return JSON.stringify(record);
        });
        writeFileSync(file, withShapley.join('\n') + '\n');
    }
    return root;
}

/**
 * Marks `agent` frozen in a run directory at `root` (a copy): in run.json's spec, and `frozen: true` on its turns, as
 * the trainer writes a run with `model: m frozen`.
 */
export function freezeAgent(root: string, agent: string): string {
    const runJson = path.join(root, 'run.json');
    const run = JSON.parse(readFileSync(runJson, 'utf8')) as { spec: { agents: { name: string; frozen?: boolean }[] } };
    for (const a of run.spec.agents) a.frozen = a.name === agent;
    writeFileSync(runJson, JSON.stringify(run, null, 1));
    for (const step of [1, 2, 3]) {
        const file = path.join(root, 'trajectories', `${step}.jsonl`);
        const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
        const frozen = lines.map((line) => {
            const record = JSON.parse(line) as { turns: { agent: string; frozen?: boolean }[] };
            for (const t of record.turns) if (t.agent === agent) t.frozen = true;
            return JSON.stringify(record);
        });
        writeFileSync(file, frozen.join('\n') + '\n');
    }
    return root;
}
