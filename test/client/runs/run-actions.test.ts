// The Runs view's report export and delete, through a stand-in `vscode`: the report is the same file `mas report`
// writes; a run a trainer of this window is writing is never deleted; delete asks first and uses the trash.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { FIXTURE_RUN } from '../../analysis/run-dir/fixture-run.js';
import { buildReportBundles, embeddedData, scratchDir } from '../../cli/report-helpers.js';

const ui = vi.hoisted(() => ({
    saveTo: undefined as string | undefined,
    confirm: undefined as string | undefined,
    deleted: [] as { path: string; options: unknown }[],
    warnings: [] as string[],
}));
vi.mock('vscode', () => {
    const file = (fsPath: string) => ({ fsPath, scheme: 'file' });
    return {
        Uri: { file },
        ProgressLocation: { Notification: 15 },
        env: { openExternal: async () => true },
        window: {
            showSaveDialog: async () => (ui.saveTo ? file(ui.saveTo) : undefined),
            withProgress: async (_options: unknown, task: () => Promise<unknown>) => task(),
            showInformationMessage: async () => undefined,
            showWarningMessage: async (message: string) => {
                ui.warnings.push(message);
                return ui.confirm;
            },
        },
        workspace: {
            fs: {
                delete: async (uri: { fsPath: string }, options: unknown) => {
                    ui.deleted.push({ path: uri.fsPath, options });
                },
            },
        },
    };
});
const { deleteRun, exportRunReport } = await import('../../../client/src/runs/run-actions.js');

const scratch = scratchDir();
const webviewDir = path.join(scratch, 'webview');
const reader = new RunDirService();
const deps = (running: string[] = []) => ({ reader, webviewDir, running: () => running });

describe('Runs view actions', () => {
    beforeAll(async () => buildReportBundles(webviewDir), 60_000);
    afterAll(async () => {
        await reader.dispose();
        rmSync(scratch, { recursive: true, force: true });
    });

    it('Export Report writes the report mas report writes, where the user picked', async () => {
        ui.saveTo = path.join(scratch, 'picked.html');
        const result = await exportRunReport(deps(), FIXTURE_RUN);
        expect(result).toEqual({ report: ui.saveTo });
        const data = embeddedData(readFileSync(ui.saveTo, 'utf8'));
        expect(data.steps.map((s) => s.step)).toEqual([1, 2, 3]);
        expect(data.header.workflow).toBe('LazyTeam');
        ui.saveTo = undefined;
        expect(await exportRunReport(deps(), FIXTURE_RUN)).toEqual({}); // cancelled: nothing written
    });

    it('Export Report says why when the bundles are missing, and writes nothing', async () => {
        ui.saveTo = path.join(scratch, 'unbuilt.html');
        const result = await exportRunReport({ ...deps(), webviewDir: path.join(scratch, 'nowhere') }, FIXTURE_RUN);
        expect(result.error).toMatch(/^MAS: cannot write the report: .*trajectory\.js is missing/);
        expect(existsSync(ui.saveTo)).toBe(false);
    });

    it('Delete refuses a run that is training, asks first, and moves the folder to the trash', async () => {
        ui.deleted = [];
        expect(await deleteRun(deps(['/runs/a']), '/runs/a')).toEqual({
            error: 'MAS: a is training; stop it before deleting it.',
        });
        ui.confirm = undefined;
        expect(await deleteRun(deps(), '/runs/b')).toEqual({});
        expect(ui.deleted).toEqual([]);
        ui.confirm = 'Move to Trash';
        expect(await deleteRun(deps(), '/runs/b')).toEqual({ deleted: '/runs/b' });
        expect(ui.deleted).toEqual([{ path: '/runs/b', options: { recursive: true, useTrash: true } }]);
        expect(ui.warnings.at(-1)).toContain('Delete the run b?');
    });
});
