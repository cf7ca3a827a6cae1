import type { DebugProtocol } from '@vscode/debugprotocol';
import { EmptyFileSystem } from 'langium';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { TrajectoryDebugSession, TURN_EVENT } from '../../../client/src/debug/trajectory-session.js';
import type { CompileExpressionParams } from '../../../protocol/lsp.js';
import { handleCompileExpressionRequest } from '../../../server/src/handlers/lsp-requests.js';
import { createMasServices } from '../../../server/src/language/mas-module.js';
import { chatFixtureRun } from '../../analysis/run-dir/chat-fixture.js';
import { DapDriver } from './dap-driver.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const RUN = path.join(REPO, 'test/fixtures/runs/lazy-team-3steps');
const MAS = path.join(REPO, 'examples/lazy-team/lazy-team.mas');
const masLines = async () => (await readFile(MAS, 'utf8')).split('\n');
/** The language server's `mas/compileExpression` handler, in process (the extension sends it over LSP). */
const { Mas } = createMasServices(EmptyFileSystem);
const compileExpression = async (params: CompileExpressionParams) => handleCompileExpressionRequest(params, Mas);
const lineOf = async (text: string) => (await masLines()).findIndex((l) => l.includes(text)) + 1;
const scratch = mkdtempSync(path.join(tmpdir(), 'mas-dap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts a session on step 1, rollout `rollout` of the fixture run, with breakpoints set before launch. */
async function start(
    options: {
        rollout?: number;
        breakpoints?: DebugProtocol.SourceBreakpoint[];
        stopOnEntry?: boolean;
        method?: string;
        compile?: typeof compileExpression;
        runDir?: string;
    } = {},
) {
    const session = new TrajectoryDebugSession({
        reader: new RunDirService(),
        readText: (p) => readFile(p, 'utf8'),
        resolveProgram: (p) => path.resolve(REPO, p),
        compileExpression: options.compile ?? compileExpression,
    });
    const dap = new DapDriver(session);
    await dap.request('initialize', { adapterID: 'mas-trajectory' });
    const bps = await dap.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
        source: { path: MAS },
        breakpoints: options.breakpoints ?? [],
    });
    const stopped = dap.nextEvent('stopped');
    const launched = dap.request('launch', {
        runDir: options.runDir ?? RUN,
        step: 1,
        rollout: options.rollout ?? 0,
        stopOnEntry: options.stopOnEntry ?? true,
        ...(options.method ? { method: options.method } : {}),
    });
    await dap.request('configurationDone');
    expect((await launched).success).toBe(true);
    return { dap, session, bps, first: await dap.whereStopped(await stopped) };
}

describe('mas-trajectory debug adapter', () => {
    it("stops on entry at turn 0, on the acting agent's declaration in the .mas file", async () => {
        const { first } = await start();
        expect(first.reason).toBe('entry');
        expect(first.turn).toBe(0);
        expect(first.frame.source?.path).toBe(MAS);
        expect(first.frame.line).toBe(await lineOf('agent first: First'));
        expect(first.frame.name).toBe('turn 0 · first (First)');
    });

    it('steps forward a turn at a time, steps back, and says where the trajectory ends', async () => {
        const { dap } = await start();
        const turnEvent = dap.nextEvent(TURN_EVENT);
        const second = await dap.stepWith('next');
        expect([second.turn, second.frame.line]).toEqual([1, await lineOf('agent second: Second')]);
        expect((await turnEvent).body).toEqual({ runDir: RUN, step: 1, rollout: 0, turn: 1 });
        expect((await dap.stepWith('stepIn')).turn).toBe(2);
        const end = await dap.stepWith('next');
        expect([end.turn, end.description]).toEqual([2, 'End of trajectory']);
        expect((await dap.stepWith('stepBack')).turn).toBe(1);
        expect((await dap.stepWith('stepBack')).turn).toBe(0);
        expect((await dap.stepWith('stepBack')).description).toBe('Start of trajectory');
    });

    it("breakpoints on agent declarations: continue and reverse continue stop on that agent's turns", async () => {
        const lazyLine = await lineOf('agent lazy: Idle');
        const { dap, bps, first } = await start({
            breakpoints: [{ line: lazyLine + 2 }, { line: 1 }],
            stopOnEntry: true,
        });
        expect(bps.body.breakpoints.map((b) => [b.verified, b.line])).toEqual([
            [true, lazyLine],
            [false, 1],
        ]);
        expect(bps.body.breakpoints[1]!.message).toMatch(/agent declarations/);
        expect(first.reason).toBe('entry');
        const hit = await dap.stepWith('continue');
        expect([hit.reason, hit.turn, hit.frame.line]).toEqual(['breakpoint', 2, lazyLine]);
        const back = await dap.stepWith('reverseContinue');
        expect([back.reason, back.turn]).toEqual(['entry', 0]);
    });

    it("conditional breakpoints take .mas expressions over the turn (credit, output, task, agents' outputs)", async () => {
        const record = JSON.parse((await readFile(path.join(RUN, 'trajectories/1.jsonl'), 'utf8')).split('\n')[0]!);
        const secondOutput: string = record.turns[1].output;
        const firstLine = await lineOf('agent first: First'),
            secondLine = await lineOf('agent second: Second');
        const { dap, bps } = await start({
            breakpoints: [
                { line: firstLine, condition: 'output == "this is never said"' },
                {
                    line: secondLine,
                    condition: `output contains ${JSON.stringify(secondOutput)} and credit <= 0 and length(first.output) == 1`,
                },
            ],
        });
        expect(bps.body.breakpoints.every((b) => b.verified)).toBe(true);
        const hit = await dap.stepWith('continue');
        expect([hit.reason, hit.turn]).toEqual(['breakpoint', 1]);
        const bad = await dap.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
            source: { path: MAS },
            breakpoints: [
                { line: firstLine, condition: 'credit <' },
                { line: firstLine, condition: 'bogus > 1' },
                { line: firstLine, condition: 'foo.output == ""' },
            ],
        });
        expect(bad.body.breakpoints.map((b) => b.verified)).toEqual([false, false, false]);
        expect(bad.body.breakpoints[0]!.message).toMatch(/ends where a value is expected/);
        expect(bad.body.breakpoints[1]!.message).toMatch(/unknown name 'bogus'/);
        expect(bad.body.breakpoints[2]!.message).toBe(
            "Condition: unknown agent 'foo' in foo.output; the workflow's agents are first, second, lazy",
        );
    });

    it('shows the message, prompt, rubric scores and credit per estimator; evaluates expressions', async () => {
        const { dap } = await start();
        const scopes = await dap.request<DebugProtocol.ScopesResponse>('scopes', { frameId: 0 });
        expect(scopes.body.scopes.map((s) => s.name)).toEqual(['Turn', 'Credit', 'Rubric', 'Task', 'Latest outputs']);
        const vars = async (name: string) => {
            const ref = scopes.body.scopes.find((s) => s.name === name)!.variablesReference;
            const r = await dap.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: ref });
            return Object.fromEntries(r.body.variables.map((v) => [v.name, v.value]));
        };
        const turn = await vars('Turn');
        expect(turn['agent']).toBe('"first"');
        expect(turn['prompt']).toBe('"First part for d:"');
        expect(Object.keys(await vars('Credit')).sort()).toEqual(['agent_normalized', 'outcome', 'turn_level']);
        expect(await vars('Rubric')).toMatchObject({
            reward: '0',
            'first_part (weight 0.5)': '0',
            'second_part (weight 0.5)': '0',
        });
        const evaluated = await dap.request<DebugProtocol.EvaluateResponse>('evaluate', {
            expression: 'task.first + "/" + agent',
            context: 'repl',
        });
        expect(evaluated.body.result).toBe('"d/first"');
        const failed = await dap.request('evaluate', { expression: 'nope.output ==', context: 'repl' });
        expect(failed.success).toBe(false);
        // An agent the workflow does not declare is an error, not "" (first-hour bug B8); a declared one that has not
        // spoken yet still reads "".
        const typo = await dap.request('evaluate', { expression: 'foo.output', context: 'repl' });
        expect([typo.success, typo.message]).toEqual([
            false,
            "unknown agent 'foo' in foo.output; the workflow's agents are first, second, lazy",
        ]);
        const silent = await dap.request<DebugProtocol.EvaluateResponse>('evaluate', {
            expression: 'lazy.output',
            context: 'repl',
        });
        expect(silent.body.result).toBe('""');
    });

    it("shows a chat turn's messages (role, content) under Turn, and says why malformed ones are ignored", async () => {
        const runDir = chatFixtureRun(path.join(scratch, 'run'));
        const children = async (dap: DapDriver, reference: number) =>
            (await dap.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: reference })).body
                .variables;
        const { dap } = await start({ runDir });
        const turn = await children(dap, 1);
        const messages = turn.find((v) => v.name === 'messages')!;
        expect(turn.map((v) => v.name).slice(3, 6)).toEqual(['message', 'messages', 'prompt']);
        expect(messages.value).toBe(`"2 (system, user) → the assistant's message"`);
        const list = await children(dap, messages.variablesReference);
        expect(list.map((v) => [v.name, v.value])).toEqual([
            ['[0]', '"system: You are First."'],
            ['[1]', '"user: First part for d:"'],
        ]);
        const user = await children(dap, list[1]!.variablesReference);
        expect(user.map((v) => [v.name, v.value])).toEqual([
            ['role', '"user"'],
            ['content', '"First part for d:"'],
        ]);
        // The evaluation dialect has no lists (protocol/EXPRESSIONS.md): messages are variables, not an expression.
        const evaluated = await dap.request('evaluate', { expression: 'first.messages', context: 'repl' });
        expect(evaluated.success).toBe(false);

        const raw = await start({ runDir, rollout: 1 });
        const ignored = (await children(raw.dap, 1)).find((v) => v.name === 'messages')!;
        expect([ignored.value, ignored.variablesReference]).toEqual([
            `"chat messages ignored: messages[1].role is not 'system' or 'user'; showing the raw prompt"`,
            0,
        ]);
        // A raw run's turn has no messages entry at all.
        const plain = await start();
        expect((await children(plain.dap, 1)).some((v) => v.name === 'messages')).toBe(false);
    });

    it('without a language server a condition is unverified and an evaluation fails, both saying why', async () => {
        const down = async () => {
            throw new Error('the MAS language server is not running');
        };
        const { dap, bps } = await start({
            breakpoints: [{ line: await lineOf('agent first: First'), condition: 'credit < 0' }],
            compile: down,
        });
        expect(bps.body.breakpoints.map((b) => [b.verified, b.message])).toEqual([
            [false, 'Condition: the MAS language server is not running'],
        ]);
        const failed = await dap.request('evaluate', { expression: 'turn', context: 'repl' });
        expect([failed.success, failed.message]).toEqual([false, 'the MAS language server is not running']);
    });

    it('refuses a launch without runDir with a message that says what to set', async () => {
        const session = new TrajectoryDebugSession({
            reader: new RunDirService(),
            readText: (p) => readFile(p, 'utf8'),
            compileExpression,
        });
        const dap = new DapDriver(session);
        await dap.request('initialize', { adapterID: 'mas-trajectory' });
        const terminated = dap.nextEvent('terminated');
        const response = await dap.request('launch', {});
        expect(response.success).toBe(false);
        expect(response.message).toMatch(/needs "runDir"/);
        await terminated;
    });
});
