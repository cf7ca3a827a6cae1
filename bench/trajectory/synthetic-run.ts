import { mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import * as path from 'node:path';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';

/** Deterministic pseudo-random numbers (mulberry32), so every bench run reads the same data. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const AGENTS = ['planner', 'solver', 'verifier'];

/**
 * Writes a synthetic run directory: `trajectories` rollouts of ~6 turns over `steps` step files, with the fixture
 * run's run.json. Returns the directory and the number of turns.
 */
export async function writeSyntheticRun(
    root: string,
    fixtureRunJson: string,
    trajectories: number,
    steps: number,
): Promise<{ turns: number; bytes: number }> {
    mkdirSync(path.join(root, 'trajectories'), { recursive: true });
    const runJson = JSON.parse(readFileSync(fixtureRunJson, 'utf8'));
    runJson.spec.agents = AGENTS.map((name) => ({ ...runJson.spec.agents[0], name }));
    writeFileSync(path.join(root, 'run.json'), JSON.stringify(runJson));
    const next = random(7);
    const perStep = Math.ceil(trajectories / steps);
    let turns = 0,
        bytes = 0,
        rollout = 0;
    for (let step = 1; step <= steps; step++) {
        const out = createWriteStream(path.join(root, 'trajectories', `${step}.jsonl`));
        for (let i = 0; i < perStep && rollout < trajectories; i++, rollout++) {
            const n = 4 + Math.floor(next() * 5); // 4..8 turns, mean 6
            const record: TrajectoryRecord = {
                step,
                rollout: i,
                group: Math.floor(i / 8),
                sample: i % 8,
                parent: null,
                branch_turn: 0,
                task: { question: `what is ${i} + ${step}?`, answer: i + step },
                turns: Array.from({ length: n }, (_, t) => {
                    const tokens = 8 + Math.floor(next() * 16);
                    return {
                        index: t,
                        agent: AGENTS[t % 3]!,
                        role: 'R',
                        model: 'base',
                        prompt: `turn ${t} of rollout ${i}`,
                        output: 'x'.repeat(tokens),
                        prompt_tokens: 12,
                        token_ids: Array.from({ length: tokens }, () => Math.floor(next() * 100)),
                        logprobs: Array.from({ length: tokens }, () => -Math.round(next() * 4000) / 1000),
                        started_at: 0,
                        duration_ms: 1,
                        nulled: false,
                    };
                }),
                stop_reason: 'end',
                reward: Math.round(next() * 100) / 100,
                criteria: { answer: 1 },
                criteria_errors: {},
                success: false,
                decision_turns: Array.from({ length: n }, (_, t) => t),
                decision_rewards: Array.from({ length: n }, () => null),
                credit: { outcome: Array.from({ length: n }, () => Math.round((next() * 2 - 1) * 1000) / 1000) },
            };
            turns += n;
            const line = JSON.stringify(record) + '\n';
            bytes += Buffer.byteLength(line);
            if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
        await new Promise<void>((resolve) => out.end(() => resolve()));
    }
    return { turns, bytes };
}
