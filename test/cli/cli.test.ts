import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSpecValidator } from '../compile/run-spec-schema.js';
import { runCli } from '../../server/src/cli/main.js';
import { BROKEN_TEAM, folderWith, mas, VALID_TEAM } from './cli-helpers.js';

describe('mas check', () => {
    it('passes a clean folder, searching it recursively', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM, 'tasks.jsonl': '', 'notes.txt': 'not a workflow' });
        mkdirSync(join(dir, 'nested'));
        const result = await mas(dir, 'check', '.');
        expect(result).toMatchObject({ code: 0, stdout: '' });
        expect(result.stderr).toBe('1 file checked: 0 errors, 0 warnings.\n');
    });

    it('prints file:line:col severity code message and exits 1 on errors', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM, 'broken.mas': BROKEN_TEAM });
        const result = await mas(dir, 'check', 'team.mas', 'broken.mas');
        expect(result.code).toBe(1);
        const lines = result.stdout.trim().split('\n');
        expect(lines).toContainEqual(expect.stringMatching(/^broken\.mas:3:13 error linking-error .*Nobody/));
        expect(lines.every((line) => /^(broken|team)\.mas:\d+:\d+ (error|warning|info|hint) \S+ \S/.test(line))).toBe(
            true,
        );
        expect(result.stderr).toMatch(/^2 files checked: [1-9]\d* errors?, \d+ warnings?\.\n$/);
    });

    it('writes JSON with --json', async () => {
        const dir = folderWith({ 'broken.mas': BROKEN_TEAM });
        const result = await mas(dir, 'check', '--json', dir);
        expect(result.code).toBe(1);
        const report = JSON.parse(result.stdout);
        expect(report.files).toEqual(['broken.mas']);
        expect(report.errors).toBeGreaterThan(0);
        expect(report.diagnostics).toContainEqual(
            expect.objectContaining({
                file: 'broken.mas',
                line: 3,
                column: 13,
                severity: 'error',
                code: 'linking-error',
            }),
        );
    });

    it('refuses a path that does not exist, an empty folder and unknown options with exit 2', async () => {
        const dir = folderWith({});
        const missing = await mas(dir, 'check', 'nowhere.mas');
        expect(missing.code).toBe(2);
        expect(missing.stderr).toContain('nowhere.mas does not exist');
        const empty = await mas(dir, 'check', '.');
        expect(empty).toMatchObject({ code: 2, stderr: expect.stringContaining('no .mas files found') });
        const flag = await mas(dir, 'check', '--strict', '.');
        expect(flag).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('Unknown option --strict for "mas check"'),
        });
        const none = await mas(dir, 'check');
        expect(none).toMatchObject({ code: 2, stderr: expect.stringContaining('at least one .mas file or folder') });
    });

    it('checks a binary file without crashing, escaping control characters', async () => {
        const dir = folderWith({ 'noise.mas': '\u0000\u00ff garbage {{{ "' });
        const result = await mas(dir, 'check', 'noise.mas');
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(/^noise\.mas:1:1 error lexing-error /);
        expect(result.stdout).not.toContain('\u0000');
        expect(result.stdout).toContain('\\u0000');
    });

    it.skipIf(process.platform === 'win32')('refuses a FIFO instead of blocking on it', async () => {
        const dir = folderWith({});
        execFileSync('mkfifo', [join(dir, 'pipe.mas')]);
        const result = await mas(dir, 'check', 'pipe.mas');
        expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a regular file') });
    });

    it.skipIf(process.getuid?.() === 0)('reports an unreadable file without a stack trace', async () => {
        const dir = folderWith({ 'locked.mas': VALID_TEAM });
        chmodSync(join(dir, 'locked.mas'), 0o000);
        const result = await mas(dir, 'check', 'locked.mas');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('permission denied');
        expect(result.stderr).not.toMatch(/\n\s+at /);
    });
});

describe('mas compile', () => {
    it('prints a schema-valid RunSpec on stdout', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM });
        const result = await mas(dir, 'compile', 'team.mas');
        expect(result.code).toBe(0);
        const spec = JSON.parse(result.stdout);
        expect(runSpecValidator()(spec)).toBe(true);
        expect(spec.workflow).toBe('Pair');
        expect(spec.datasets[0].path).toBe(join(dir, 'tasks.jsonl'));
    });

    it('writes the spec with -o and --output=', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM });
        expect((await mas(dir, 'compile', 'team.mas', '-o', 'spec.json')).code).toBe(0);
        expect(JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')).version).toBe(1);
        expect((await mas(dir, 'compile', '--output=other.json', 'team.mas')).code).toBe(0);
        expect(JSON.parse(readFileSync(join(dir, 'other.json'), 'utf8')).workflow).toBe('Pair');
    });

    it('compiles despite warnings, and prints them on stderr', async () => {
        const team = VALID_TEAM.replace('criterion exact weight 1:', 'criterion exact weight 2:');
        expect(team).not.toBe(VALID_TEAM);
        const result = await mas(folderWith({ 'team.mas': team }), 'compile', 'team.mas');
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout).rubrics[0].criteria[0].weight).toBe(2);
        expect(result.stderr).toMatch(/^team\.mas:\d+:\d+ warning weights-not-normalized /m);
    });

    it('refuses a file with errors, printing its diagnostics', async () => {
        const dir = folderWith({ 'broken.mas': BROKEN_TEAM });
        const result = await mas(dir, 'compile', 'broken.mas');
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^broken\.mas:3:13 error linking-error/m);
        expect(result.stderr).toContain('was not compiled because of the errors above');
    });

    it('explains bad paths and arguments with exit 2', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM });
        expect(await mas(dir, 'compile', '.')).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('is a directory; pass a .mas file'),
        });
        expect(await mas(dir, 'compile', 'gone.mas')).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('does not exist'),
        });
        expect(await mas(dir, 'compile')).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('exactly one .mas file (got 0)'),
        });
        expect(await mas(dir, 'compile', 'a.mas', 'b.mas')).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('(got 2)'),
        });
        expect(await mas(dir, 'compile', 'team.mas', '-o')).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('needs a value'),
        });
        const unwritable = await mas(dir, 'compile', 'team.mas', '-o', 'no/such/folder/spec.json');
        expect(unwritable).toMatchObject({ code: 2, stderr: expect.stringContaining('check that its folder exists') });
    });
});

describe('mas graph', () => {
    it('prints the graph model as JSON by default', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM });
        const result = await mas(dir, 'graph', 'team.mas');
        expect(result.code).toBe(0);
        const model = JSON.parse(result.stdout);
        expect(model.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'agent:asker', 'agent:answerer', 'end']);
        expect(model.edges.map((e: { id: string }) => e.id)).toEqual([
            'edge:start->agent:asker#0',
            'edge:agent:asker->agent:answerer#0',
            'edge:agent:answerer->agent:asker#0',
            'edge:agent:answerer->end#0',
        ]);
    });

    it('prints DOT with --format dot', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM });
        const result = await mas(dir, 'graph', 'team.mas', '--format', 'dot');
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/^digraph "Pair" \{\n/);
        expect(result.stdout).toContain(
            '"agent:answerer" -> "agent:asker" [label="answerer.output contains \\"?\\" max 3", style=dashed];',
        );
        expect(result.stdout.trimEnd().endsWith('}')).toBe(true);
    });

    it('rejects an unknown format and a missing file', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM });
        expect(await mas(dir, 'graph', 'team.mas', '--format', 'svg')).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('use --format json or --format dot'),
        });
        expect(await mas(dir, 'graph', 'missing.mas')).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('does not exist'),
        });
    });
});

describe('mas usage', () => {
    it('prints usage for --help and no command, and refuses unknown commands', async () => {
        const dir = folderWith({});
        expect(await mas(dir, '--help')).toMatchObject({
            code: 0,
            stdout: expect.stringContaining('Usage: mas <command>'),
        });
        expect(await mas(dir, 'compile', '--help')).toMatchObject({
            code: 0,
            stdout: expect.stringContaining('mas compile <file>'),
        });
        expect(await mas(dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: mas <command>') });
        expect(await mas(dir, 'train')).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('unknown command "train"'),
        });
    });

    it('turns an unexpected failure into one sentence and exit 3, without a stack trace', async () => {
        const dir = folderWith({ 'team.mas': VALID_TEAM });
        let stderr = '';
        const code = await runCli(['graph', 'team.mas'], {
            cwd: dir,
            stdout: () => {
                throw new Error('write EPIPE');
            },
            stderr: (text) => {
                stderr += text;
            },
            writeFile: async () => undefined,
        });
        expect(code).toBe(3);
        expect(stderr).toBe(
            'mas graph: internal error: write EPIPE. This is a bug in mas; please report it with the input that caused it.\n',
        );
    });
});
