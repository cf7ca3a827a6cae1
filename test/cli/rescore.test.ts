// `mas rescore` (issue 16 item 6): the workflow compiled, the run's rollouts scored by the trainer's Python with a
// verifier from a file, and a summary per run (mean reward, criteria, rank changes, verifier errors).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../server/src/cli/main.js';
import { FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';

const trainerRoot = path.resolve('trainer');
const venvPython = path.join(trainerRoot, '.venv', 'bin', 'python');

let dir: string;
beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mas-cli-rescore-'));
    cpSync(path.resolve('examples/lazy-team/data'), path.join(dir, 'data'), { recursive: true });
    const mas = readFileSync(path.resolve('examples/lazy-team/lazy-team.mas'), 'utf8')
        .replace(
            'reward team:',
            'verifier all_lower(text: string) -> bool from "checks.py" function is_lower\n\nreward team:',
        )
        .replace(/criterion second_part weight 0\.5: .*/, 'criterion second_part weight 0.5: all_lower(second.output)');
    writeFileSync(path.join(dir, 'team.mas'), mas);
    writeFileSync(path.join(dir, 'checks.py'), 'def is_lower(text):\n    return text.strip().islower()\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function mas(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
        cwd: dir,
        stdout: (text) => void (stdout += text),
        stderr: (text) => void (stderr += text),
        writeFile: (file, text) => writeFile(file, text, 'utf8'),
        trainerRoot,
    };
    return { code: await runCli(argv, io), stdout, stderr };
}

describe.skipIf(!existsSync(venvPython))('mas rescore', () => {
    it('re-scores a run with a Python verifier through the trainer and prints the summary', async () => {
        const { code, stdout, stderr } = await mas(
            'rescore',
            FIXTURE_RUN,
            FIXTURE_RUN,
            '--mas',
            'team.mas',
            '--steps',
            '2..3',
        );
        expect(code, stderr).toBe(0);
        const runs = stdout.split('\n').filter((line) => line.includes('rollouts re-scored'));
        expect(runs).toHaveLength(2); // the same run twice: two run directories at once
        expect(runs[0]).toMatch(/24 rollouts re-scored with reward team \(rubric parts\)/);
        expect(stdout).toMatch(/mean reward +\d\.\d{3} -> \d\.\d{3}/);
        expect(stdout).toMatch(/criterion first_part +(\d\.\d{3}) -> \1/); // unchanged criterion: same mean
        expect(stdout).toMatch(/criterion second_part +\d\.\d{3} -> \d\.\d{3}/);
        expect(stdout).toMatch(/rank changes +\d+ of 24 rollouts/);
        expect(stdout).toMatch(/verifier errors: none/);
        expect(stderr).toMatch(/48\/48 rollouts scored/);
    });

    it('a bad step range is a usage error and a trainer failure passes its exit code and reason on', async () => {
        expect((await mas('rescore', FIXTURE_RUN, '--mas', 'team.mas', '--steps', '3-1')).code).toBe(2);
        const missing = await mas('rescore', path.join(dir, 'no-run'), '--mas', 'team.mas');
        expect(missing.code).toBe(7);
        expect(missing.stderr).toMatch(/re-scoring reads the trajectories a run recorded/);
    });
});
