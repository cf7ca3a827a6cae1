// A small real run of the lazy team, trained once by the trainer in trainer/.venv, for the tests that need a run
// directory with complete checkpoints (Export Trained Agents, at the process boundary and through the command).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { trainerEnv, trainerRunArgs } from '../../client/src/training/trainer-args.js';

export const venvPython = path.resolve('trainer/.venv/bin/python');
export const trainerRoot = path.resolve('trainer');
const fixtures = path.resolve('trainer/tests/fixtures');

/** Trains the lazy-team fixture spec into `runDir` for `steps` steps, a checkpoint every 2 (batch 2 × group 2). */
export function trainLazyRun(workDir: string, runDir: string, steps: number): void {
    const spec = JSON.parse(readFileSync(path.join(fixtures, 'lazy-team.spec.json'), 'utf8')) as {
        datasets: { path: string }[];
        train: Record<string, unknown> & { algorithm: Record<string, unknown> };
    };
    spec.datasets[0]!.path = path.join(fixtures, 'lazy-team.jsonl');
    Object.assign(spec.train, { steps, checkpoint_every: 2, batch: 2 });
    spec.train.algorithm['group'] = 2;
    const specFile = path.join(workDir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const trained = spawnSync(venvPython, trainerRunArgs({ specFile, runDir, trainerRoot }), {
        env: trainerEnv(process.env),
        encoding: 'utf8',
    });
    expect(trained.status, trained.stderr).toBe(0);
}
