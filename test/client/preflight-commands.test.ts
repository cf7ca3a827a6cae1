// Pre-flight of "MAS: Start Training" (issue 15 item 5, first-hour bug B6), driven through the stand-in `vscode`
// module and the fake trainer: each refusal says what to do, and no run directory exists afterwards.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CompileResult } from '../../protocol/lsp.js';
import { fakeExtensionRoot, tempDir, testPython } from './helpers.js';
import type { VscodeFake } from './vscode-fake.js';

const fake = vi.hoisted(() => ({ current: undefined as VscodeFake | undefined }));
vi.mock('vscode', async () => {
    const { createVscodeFake } = await import('./vscode-fake.js');
    fake.current = createVscodeFake();
    return fake.current.vscode;
});

const { COMMAND_IDS } = await import('../../protocol/commands.js');
const { commandTable, registerCommandTable } = await import('../../client/src/command-table.js');
const { DisposableScope } = await import('../../client/src/scope.js');
const { Training } = await import('../../client/src/training/training.js');
const { Uri } = await import('./vscode-fake.js');

const cleanups: (() => void)[] = [];
let vs: VscodeFake;
let workspace: string;
let hubCache: string;
let spec: Record<string, unknown>;

beforeEach(() => {
    vs = fake.current!;
    vs.messages.length = 0;
    vs.clipboard.length = 0;
    vs.state.isTrusted = true;
    vs.state.answer = () => undefined;
    process.env['PYTHONDONTWRITEBYTECODE'] = '1';
    const tmp = tempDir('mas-preflight-');
    cleanups.push(tmp.cleanup);
    workspace = path.join(tmp.dir, 'ws');
    hubCache = path.join(tmp.dir, 'hub');
    mkdirSync(workspace);
    process.env['HF_HUB_CACHE'] = hubCache;
    cleanups.push(() => delete process.env['HF_HUB_CACHE']);
    vs.state.workspaceFolders = [{ uri: Uri.file(workspace) }];
    vs.settings.set('mas.trainer.pythonPath', testPython);
    spec = { version: 1, workflow: 'team', train: { steps: 10 }, fake: { mode: 'finish', steps: 1 } };
    const scope = new DisposableScope();
    const compile = async (): Promise<CompileResult> => ({ spec: spec as never });
    const feature = new Training({ extensionUri: Uri.file(fakeExtensionRoot) } as never, compile, scope);
    scope.pushAll(registerCommandTable(commandTable(feature, {} as never), feature.log));
    cleanups.push(() => void scope.dispose());
});
afterEach(() =>
    cleanups
        .splice(0)
        .reverse()
        .forEach((c) => c()),
);

const masPath = (): string => path.join(workspace, 'team.mas');
const start = async () =>
    (await vs.vscode.commands.executeCommand(COMMAND_IDS.startTraining, Uri.file(masPath()).toString())) as {
        started: boolean;
        reason: string;
    };
const runsDir = (): string => path.join(workspace, 'runs');

describe('Start Training pre-flight: refused before any run directory exists', () => {
    it('a dataset file that does not exist: names it and says how to create it', async () => {
        const file = path.join(workspace, 'data', 'tasks.jsonl');
        spec['datasets'] = [{ name: 'tasks', path: file, declared_path: 'data/tasks.jsonl', fields: [] }];
        const result = await start();
        expect(result.started).toBe(false);
        expect(result.reason).toContain(`the dataset file ${file}`);
        expect(result.reason).toContain('does not exist. Create it (one JSON object per line');
        expect(vs.messages.at(-1)).toMatchObject({ level: 'error', text: result.reason });
        expect(existsSync(runsDir())).toBe(false);
    });

    it("a verifier file that does not exist: the language's verifier-file-missing message, no run directory", async () => {
        const file = path.join(workspace, 'verifiers.py');
        spec['verifiers'] = [{ name: 'correct', params: [], returns: 'bool', file, function: 'check_answer' }];
        const result = await start();
        expect(result.started).toBe(false);
        expect(result.reason).toContain(
            `verifier correct: The verifier file ${file} does not exist; create it with a \`def check_answer(...)\``,
        );
        expect(existsSync(runsDir())).toBe(false);
    });

    it("a verifier file without the def: the language's verifier-function-missing message, no run directory", async () => {
        const file = path.join(workspace, 'verifiers.py');
        // Neither an indented def nor an async def counts: the same textual check as the language server.
        writeFileSync(
            file,
            'import math\n\ndef check_answr(x):\n    return True\n\nclass C:\n    def check_answer(self): ...\n',
        );
        spec['verifiers'] = [{ name: 'correct', params: [], returns: 'bool', file, function: 'check_answer' }];
        const result = await start();
        expect(result.started).toBe(false);
        expect(result.reason).toContain(
            `verifier correct: ${file} has no top-level \`def check_answer(...)\` (it defines \`check_answr\`)`,
        );
        expect(existsSync(runsDir())).toBe(false);

        writeFileSync(file, 'def check_answer(x):\n    return True\n');
        expect((await start()).started).toBe(true);
    });

    it('a dataset path that is a folder is not a regular file', async () => {
        mkdirSync(path.join(workspace, 'data'));
        spec['datasets'] = [{ name: 'tasks', path: path.join(workspace, 'data'), declared_path: 'data', fields: [] }];
        expect((await start()).reason).toContain('is not a regular file. Give the path of a JSON Lines file');
        expect(existsSync(runsDir())).toBe(false);
    });

    it('device: cuda without a CUDA GPU (the fake check-env sees none): offers device: auto and writes it', async () => {
        writeFileSync(masPath(), 'workflow team\n\ntrain {\n  steps: 10\n  device: cuda\n}\n');
        spec['train'] = { steps: 10, device: 'cuda' };
        vs.state.answer = (m) => (m.actions.includes('Use device: auto') ? 'Use device: auto' : undefined);
        const result = await start();
        expect(result.reason).toContain(
            'sets device: cuda, but the environment check sees no CUDA GPU. Use device: auto',
        );
        expect(vs.messages.at(-1)?.actions).toEqual(['Use device: auto']);
        expect(existsSync(runsDir())).toBe(false);
        await vi.waitUntil(() => readFileSync(masPath(), 'utf8').includes('device: auto'));
        expect(readFileSync(masPath(), 'utf8')).toBe('workflow team\n\ntrain {\n  steps: 10\n  device: auto\n}\n');
    });

    it('an hf model not in the Hugging Face cache: gives the download command (copied on request); starts once cached', async () => {
        spec['models'] = [{ name: 'base', source: { kind: 'hf', id: 'Qwen/Qwen2.5-0.5B-Instruct' }, adapter: null }];
        vs.state.answer = (m) => (m.actions.includes('Copy Download Command') ? 'Copy Download Command' : undefined);
        const result = await start();
        expect(result.reason).toContain(`not in the Hugging Face cache ${hubCache}`);
        expect(result.reason).toContain('Download it first: hf download Qwen/Qwen2.5-0.5B-Instruct');
        expect(existsSync(runsDir())).toBe(false);
        await vi.waitUntil(() => vs.clipboard.length > 0);
        // `hf download`: huggingface-cli is deprecated (issue 13 item 7).
        expect(vs.clipboard).toEqual(['hf download Qwen/Qwen2.5-0.5B-Instruct']);

        mkdirSync(path.join(hubCache, 'models--Qwen--Qwen2.5-0.5B-Instruct', 'snapshots', 'abc123'), {
            recursive: true,
        });
        vs.state.answer = () => undefined;
        expect((await start()).started).toBe(true);
        expect(existsSync(runsDir())).toBe(true);
    });

    it('an hf source that is neither a hub id nor an existing folder is refused without a command to run', async () => {
        spec['models'] = [{ name: 'base', source: { kind: 'hf', id: '../../etc; rm -rf ~' }, adapter: null }];
        const result = await start();
        expect(result.reason).toContain('neither an existing absolute folder nor a Hugging Face model id');
        expect(vs.messages.at(-1)?.actions).toEqual([]);
        expect(existsSync(runsDir())).toBe(false);
    });
});
