// Re-scoring through the trainer (issue 16 item 6) at the process boundary: the real trainer scoring the fixture run
// with a rubric that calls a Python verifier, fed into the trajectory view's re-score; a fake trainer for hostile
// output, failures and cancel; the untrusted workspace refused before anything is spawned.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunIndex } from '../../analysis/run-dir/run-index.js';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { runTrainerRescore, type TrainerRescoreOptions } from '../../client/src/training/trainer-rescore.js';
import { trainerEnv } from '../../client/src/training/trainer-args.js';
import { TrajectoryController } from '../../client/src/views/trajectory/controller.js';
import type { RunJson } from '../../protocol/run-dir.js';
import type { RunSpec } from '../../protocol/run-spec.js';
import type { TrajectoryToView } from '../../protocol/trajectory-messages.js';
import { FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';
import { trainerRoot, venvPython } from './trained-run.js';

let dir: string;
let fakeRoot: string;
beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mas-rescore-'));
    // A stand-in for the trainer: prints the file named by FAKE_RESCORE_OUT, then exits with FAKE_RESCORE_EXIT, or
    // (FAKE_RESCORE_HANG) waits for a signal after its output as a verifier call in flight would.
    fakeRoot = path.join(dir, 'fake-trainer');
    mkdirSync(path.join(fakeRoot, 'mas_trainer'), { recursive: true });
    writeFileSync(path.join(fakeRoot, 'mas_trainer', '__init__.py'), '');
    writeFileSync(
        path.join(fakeRoot, 'mas_trainer', '__main__.py'),
        [
            'import os, signal, sys',
            'signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))',
            'sys.stdin.read()',
            'sys.stdout.write(open(os.environ["FAKE_RESCORE_OUT"]).read()); sys.stdout.flush()',
            'sys.stderr.write("error: " + os.environ["FAKE_RESCORE_ERR"] + "\\n") if "FAKE_RESCORE_ERR" in os.environ else None',
            'if "FAKE_RESCORE_HANG" in os.environ:',
            '    signal.pause()',
            'sys.exit(int(os.environ.get("FAKE_RESCORE_EXIT", "0")))',
        ].join('\n'),
    );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runSpec = (): RunSpec => (JSON.parse(readFileSync(path.join(FIXTURE_RUN, 'run.json'), 'utf8')) as RunJson).spec;

/** The fixture run's spec with `second_part` scored by a Python verifier in a file. */
function verifierSpec(): RunSpec {
    const file = path.join(dir, 'checks.py');
    writeFileSync(file, 'def is_lower(text):\n    return text.strip().islower()\n');
    const spec = runSpec();
    spec.verifiers = [
        { name: 'lower', params: [{ name: 'text', type: 'string' }], returns: 'bool', file, function: 'is_lower' },
    ];
    spec.rubrics[0]!.criteria[1]!.expr = { op: 'verifier', name: 'lower', args: [{ op: 'output', agent: 'second' }] };
    return spec;
}

function fake(output: string, env: Record<string, string> = {}, extra: Partial<TrainerRescoreOptions> = {}) {
    const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(out, output);
    return runTrainerRescore({
        python: venvPython,
        trainerRoot: fakeRoot,
        env: { ...trainerEnv(process.env), FAKE_RESCORE_OUT: out, ...env },
        trust: { isTrusted: () => true },
        spec: runSpec(),
        runDirs: [FIXTURE_RUN],
        ...extra,
    });
}

const START = '{"type":"start","version":1,"runs":["r"],"rollouts":1}\n';
const ROLLOUT =
    '{"type":"rollout","run":0,"step":1,"rollout":0,"reward":1,"criteria":{},"errors":{},"decision_rewards":[]}\n';

describe.skipIf(!existsSync(venvPython))('re-scoring through the trainer', () => {
    it("the real trainer scores the run with a Python verifier, and the view's re-score shows its rewards", async () => {
        const spec = verifierSpec();
        const progress: number[] = [];
        const outcome = await runTrainerRescore({
            python: venvPython,
            trainerRoot,
            env: trainerEnv(process.env),
            trust: { isTrusted: () => true },
            spec,
            runDirs: [FIXTURE_RUN],
            onProgress: (p) => progress.push(p.done),
        });
        if (!outcome.ok) throw new Error(outcome.message + outcome.stderr);
        expect(outcome.scores.rollouts).toHaveLength(36);
        expect(progress).toEqual([0, 12, 24, 36]);
        const service = new RunDirService();
        const records = (await service.index(FIXTURE_RUN)).steps.length;
        expect(records).toBe(3);
        for (const score of outcome.scores.rollouts) {
            const record = await service.rollout(FIXTURE_RUN, score.step, score.rollout);
            const second = record.turns.find((t) => t.agent === 'second')!.output;
            expect(score.criteria['second_part']).toBe(
                second.trim() === second.trim().toLowerCase() && /[a-z]/.test(second) ? 1 : 0,
            );
            expect(score.criteria['first_part']).toBe(record.criteria['first_part']);
        }

        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({
            reader: service,
            root: FIXTURE_RUN,
            post: (m) => posted.push(m),
            loadRubric: async (index: RunIndex) => ({
                rubric: spec.rubrics[0]!,
                level: index.run.spec.reward.level,
                source: 'lazy.mas',
                spec,
            }),
            trainerRescore: async () => outcome.scores,
        });
        await controller.handle({ type: 'trajectory/rescore' });
        const answer = posted.at(-1);
        if (answer?.type !== 'trajectory/rescore') throw new Error(JSON.stringify(answer));
        const byKey = new Map(outcome.scores.rollouts.map((r) => [`${r.step}/${r.rollout}`, r.reward]));
        expect(answer.result.rows).toHaveLength(36);
        for (const row of answer.result.rows) expect(row.after).toBe(byKey.get(`${row.step}/${row.rollout}`));
        expect(answer.result.rows.some((r) => r.after !== r.before)).toBe(true);
        expect(answer.result.note).toMatch(/Scored by the trainer's Python/);
        expect(answer.result.agentCredit.map((a) => a.agent).sort()).toEqual(['first', 'lazy', 'second']);
    });

    it('without a trainer the view says why instead of scoring the verifier 0', async () => {
        const spec = verifierSpec();
        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({
            reader: new RunDirService(),
            root: FIXTURE_RUN,
            post: (m) => posted.push(m),
            loadRubric: async () => ({ rubric: spec.rubrics[0]!, level: 'trajectory', source: 'lazy.mas', spec }),
        });
        await controller.handle({ type: 'trajectory/rescore' });
        expect(posted.at(-1)).toEqual({
            type: 'trajectory/rescoreFailed',
            message: expect.stringMatching(/calls Python verifiers, which only the trainer's Python can run/),
        });
    });

    it('a cancelled trainer re-score is reported as cancelled and posts no result', async () => {
        const spec = verifierSpec();
        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({
            reader: new RunDirService(),
            root: FIXTURE_RUN,
            post: (m) => posted.push(m),
            loadRubric: async () => ({ rubric: spec.rubrics[0]!, level: 'trajectory', source: 'lazy.mas', spec }),
            trainerRescore: async () => {
                const abort = new AbortController();
                const outcome = fake(
                    START,
                    { FAKE_RESCORE_HANG: '1' },
                    {
                        signal: abort.signal,
                        onProgress: () => undefined,
                    },
                );
                abort.abort();
                const result = await outcome;
                if (!result.ok) throw new Error(result.cancelled ? 'Re-scoring was cancelled.' : result.message);
                return result.scores;
            },
        });
        await controller.handle({ type: 'trajectory/rescore' });
        expect(posted).toEqual([{ type: 'trajectory/rescoreFailed', message: 'Re-scoring was cancelled.' }]);
    });

    it('cancel ends a trainer waiting on a call: SIGTERM, exit 130, cancelled', async () => {
        const abort = new AbortController();
        let sawStart = false;
        const outcome = fake(
            START + '{"type":"progress","done":0,"total":1}\n',
            { FAKE_RESCORE_HANG: '1' },
            {
                signal: abort.signal,
                onProgress: () => {
                    sawStart = true;
                    abort.abort(); // cancel once the trainer is under way
                },
            },
        );
        const result = await outcome;
        expect(sawStart).toBe(true);
        expect(result).toMatchObject({
            ok: false,
            cancelled: true,
            exitCode: 130,
            message: 'Re-scoring was cancelled.',
        });
    });

    it('hostile output is an error naming the line; the process is stopped and nothing is returned', async () => {
        const result = await fake(START + ROLLOUT.replace('"reward":1', '"reward":"__proto__"') + ROLLOUT, {
            FAKE_RESCORE_HANG: '1',
        });
        expect(result).toMatchObject({ ok: false, cancelled: false });
        if (!result.ok) expect(result.message).toMatch(/output line 2 has a `reward` that is not a finite number/);
    });

    it('an output that stops before `done` and a failing trainer are errors with their reason', async () => {
        const short = await fake(START + ROLLOUT);
        expect(short.ok).toBe(false);
        if (!short.ok) expect(short.message).toMatch(/ended before `done`/);
        const failed = await fake('', {
            FAKE_RESCORE_EXIT: '3',
            FAKE_RESCORE_ERR: 'the file /x/checks.py of verifier `lower` does not exist',
        });
        expect(failed).toMatchObject({
            ok: false,
            exitCode: 3,
            message: 'the file /x/checks.py of verifier `lower` does not exist',
        });
    });

    it('an untrusted workspace spawns nothing', () => {
        expect(() =>
            runTrainerRescore({
                python: '/nonexistent/python',
                trainerRoot,
                env: {},
                trust: { isTrusted: () => false },
                spec: verifierSpec(),
                runDirs: [FIXTURE_RUN],
            }),
        ).toThrow(/untrusted workspace/);
    });
});
