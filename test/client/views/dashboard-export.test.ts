// What the dashboard asks the host to save is untrusted: names are reduced to a base name, PNGs must be PNGs,
// sizes are capped; TensorBoard gets the run's own event folder or a sentence saying why not.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { exportFileName, MAX_EXPORT_CHARS, parseDashboardToHost } from '../../../client/src/views/common/messages.js';

vi.mock('vscode', () => ({}));
const { exportBytes } = await import('../../../client/src/views/dashboard/dashboard-export.js');
const { tensorBoardCommand, tensorBoardLogDir } = await import('../../../client/src/views/dashboard/tensorboard.js');

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString('base64');
const scratch = mkdtempSync(join(tmpdir(), 'mas-dash-export-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('dashboard exports', () => {
    it('parses export messages, keeping only a base name with the format’s extension', () => {
        expect(
            parseDashboardToHost({ type: 'dashboard/export', format: 'csv', name: '../../etc/x', content: 'a' }),
        ).toEqual({ type: 'dashboard/export', format: 'csv', name: '_.._etc_x.csv', content: 'a' });
        expect(exportFileName('run.reward.png', 'png')).toBe('run.reward.png');
        expect(exportFileName('...', 'csv')).toBe('export.csv');
        expect(exportFileName('a/b\\c.csv', 'png')).toBe('a_b_c.png');
    });

    it('refuses other formats, non-base64 PNGs and content over the cap', () => {
        const bad = [
            { type: 'dashboard/export', format: 'exe', name: 'x', content: 'a' },
            { type: 'dashboard/export', format: 'png', name: 'x', content: 'not base64!' },
            { type: 'dashboard/export', format: 'csv', name: 'x', content: 'a'.repeat(MAX_EXPORT_CHARS + 1) },
            { type: 'dashboard/export', format: 'csv', name: 3, content: 'a' },
        ];
        for (const message of bad) expect(parseDashboardToHost(message)).toBeUndefined();
        expect(parseDashboardToHost({ type: 'dashboard/openTensorBoard', extra: 1 })).toEqual({
            type: 'dashboard/openTensorBoard',
        });
        expect(parseDashboardToHost({ type: 'dashboard/openStep', step: 12 })).toEqual({
            type: 'dashboard/openStep',
            step: 12,
        });
        for (const step of [-1, 1.5, '3', Number.MAX_VALUE])
            expect(parseDashboardToHost({ type: 'dashboard/openStep', step })).toBeUndefined();
    });

    it('writes a PNG only when the bytes carry the PNG signature', () => {
        const png = exportBytes({ type: 'dashboard/export', format: 'png', name: 'a.png', content: PNG });
        expect(Buffer.isBuffer(png) && png.subarray(1, 4).toString()).toBe('PNG');
        const gif = Buffer.from('GIF89a....').toString('base64');
        expect(exportBytes({ type: 'dashboard/export', format: 'png', name: 'a.png', content: gif })).toEqual({
            refused: 'the chart image is not a PNG',
        });
        expect(exportBytes({ type: 'dashboard/export', format: 'csv', name: 'a.csv', content: 'é,1' })).toEqual(
            Buffer.from('é,1', 'utf8'),
        );
    });

    it('opens TensorBoard on the run’s tensorboard/ folder, or says why it cannot', () => {
        const run = join(scratch, 'run');
        mkdirSync(run);
        expect(tensorBoardLogDir(run)).toMatchObject({ missing: expect.stringContaining('pip install tensorboard') });
        mkdirSync(join(run, 'tensorboard'));
        expect(tensorBoardLogDir(run)).toEqual({ logdir: join(run, 'tensorboard') });
        expect(tensorBoardCommand('/venv/bin/python', '/r/tensorboard')).toEqual({
            shellPath: '/venv/bin/python',
            shellArgs: ['-m', 'tensorboard.main', '--logdir', '/r/tensorboard'],
        });
    });
});
