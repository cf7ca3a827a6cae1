/**
 * Credit estimator figures (issue 6: "every credit estimator over 1 000 000 decisions ≤ 1 s") and the cost of sending
 * 1 000 000 credits host → webview as JSON vs as a typed array. Synthetic groups: 8 rollouts of 4..8 decisions by
 * 3 agents, with the nulled re-runs difference / exact Shapley need, fan-out [2, 4] for counterfactual.
 * Prints figures; never passes or fails on time. Usage: node bench/trajectory/credit-bench.mjs [--decisions=N]
 */
import { MessageChannel } from 'node:worker_threads';
import { serialize } from 'node:v8';
import { computeCreditBatch, KNOWN_METHODS } from '../../analysis/credit/index.js';
import { recomputeCredit, type CreditRecord } from '../../analysis/credit/from-records.js';
import { criticCredit } from '../../analysis/critic/transcript.js';
import type { CreditGroup, CreditParams } from '../../protocol/credit.js';

const arg = process.argv.find((a) => a.startsWith('--decisions='));
const TARGET = arg ? Number(arg.split('=')[1]) : 1_000_000;
const AGENTS = ['planner', 'solver', 'verifier'];
const SUBSETS = [
    ['planner'],
    ['solver'],
    ['verifier'],
    ['planner', 'solver'],
    ['planner', 'verifier'],
    ['solver', 'verifier'],
    AGENTS,
];
const cpuNow = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
};
const wallNow = (): number => Number(process.hrtime.bigint()) / 1e6;

function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Groups of 8 rollouts until `target` decisions; every rollout has re-runs for each non-empty nulled agent set. */
function syntheticGroups(target: number): { groups: CreditGroup[]; records: CreditRecord[]; decisions: number } {
    const next = random(11);
    const groups: CreditGroup[] = [],
        records: CreditRecord[] = [];
    let decisions = 0,
        rollout = 0;
    while (decisions < target) {
        const g = groups.length;
        const group: CreditGroup = { rollouts: [] };
        for (let sample = 0; sample < 8; sample++, rollout++) {
            const n = 4 + Math.floor(next() * 5);
            const reward = Math.round(next() * 100) / 100;
            const decisionList = Array.from({ length: n }, (_, t) => ({
                agent: AGENTS[t % 3]!,
                turn: t,
                reward: null,
            }));
            const counterfactuals = SUBSETS.map((nulled) => ({ nulled, reward: Math.round(next() * 100) / 100 }));
            group.rollouts.push({ decisions: decisionList, reward, counterfactuals });
            records.push({
                rollout,
                group: g,
                sample,
                reward,
                counterfactuals,
                turns: decisionList.map((d) => ({ index: d.turn, agent: d.agent })) as CreditRecord['turns'],
                decision_turns: decisionList.map((d) => d.turn),
                decision_rewards: decisionList.map(() => null),
            });
            decisions += n;
        }
        groups.push(group);
    }
    return { groups, records, decisions };
}

function time<T>(run: () => T): { wall: number; cpu: number; result: T } {
    const w = wallNow(),
        c = cpuNow();
    const result = run();
    return { wall: wallNow() - w, cpu: cpuNow() - c, result };
}

const { groups, records, decisions } = syntheticGroups(TARGET);
console.log(
    `synthetic credit input: ${groups.length} groups × 8 rollouts, ${decisions} decisions, 3 agents, 7 nulled re-runs per rollout`,
);
const PARAMS: Record<string, CreditParams> = { counterfactual: { fanout: [2, 4] } };
for (const method of KNOWN_METHODS) {
    const runs = [0, 1, 2].map(() => time(() => computeCreditBatch(method, groups, PARAMS[method] ?? {})));
    const credits = runs[0]!.result.reduce((s, g) => s + g.reduce((t, r) => t + r.length, 0), 0);
    console.log(
        `${method.padEnd(17)} first ${runs[0]!.wall.toFixed(0)} ms (CPU ${runs[0]!.cpu.toFixed(0)}), then ${runs
            .slice(1)
            .map((r) => `${r.wall.toFixed(0)} ms (CPU ${r.cpu.toFixed(0)})`)
            .join(', ')} — ${credits} credits (target ≤ 1000 ms)`,
    );
}
const values = groups.map((g) => g.rollouts.map((r) => r.decisions.map(() => Math.random())));
for (let k = 0; k < 3; k++) {
    const run = time(() =>
        groups.map((g, gi) =>
            g.rollouts.map((r, ri) =>
                criticCredit(
                    r.decisions.map((d) => d.reward ?? 0),
                    values[gi]![ri]!,
                ),
            ),
        ),
    );
    console.log(`critic (given values) ${run.wall.toFixed(0)} ms (CPU ${run.cpu.toFixed(0)})`);
}
for (const method of ['outcome', 'turn_level']) {
    const run = time(() => recomputeCredit(method, records, {}));
    console.log(
        `recomputeCredit('${method}') from ${records.length} trajectory records (groups built from records + estimator): ${run.wall.toFixed(0)} ms (CPU ${run.cpu.toFixed(0)})`,
    );
}

// Host → webview: 1 000 000 credits as JSON text (what a number[] costs) vs a typed array (structured clone).
const credits = new Float64Array(1_000_000).map(() => Math.round((Math.random() * 2 - 1) * 1e6) / 1e6);
const asArray = Array.from(credits);
let json = '';
const enc = time(() => {
    json = JSON.stringify({ values: asArray });
});
const dec = time(() => JSON.parse(json));
console.log(
    `1 000 000 credits as JSON number[]: ${(json.length / 1e6).toFixed(1)} MB, stringify ${enc.wall.toFixed(0)} ms, parse ${dec.wall.toFixed(0)} ms`,
);
for (const typed of [credits, Float32Array.from(credits)]) {
    const name = typed.constructor.name;
    const bytes = serialize({ values: typed }).length;
    const clone = time(() => structuredClone({ values: typed }));
    console.log(
        `1 000 000 credits as ${name}: ${(bytes / 1e6).toFixed(1)} MB serialised (v8 structured clone), structuredClone ${clone.wall.toFixed(1)} ms`,
    );
}
const channel = new MessageChannel();
for (const [label, payload] of [
    ['JSON-shaped number[]', { values: asArray }],
    ['Float64Array', { values: credits }],
] as const) {
    const t0 = wallNow();
    await new Promise<void>((resolve) => {
        channel.port2.once('message', () => resolve());
        channel.port1.postMessage(payload);
    });
    console.log(`MessageChannel postMessage round, ${label}: ${(wallNow() - t0).toFixed(1)} ms`);
}
channel.port1.close();
