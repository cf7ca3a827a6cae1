import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportAssets } from './report-html.js';

/** The built files a report inlines, by their names in out/webview/ (scripts/webview-bundles.mjs builds them). */
const FILES: Record<keyof ReportAssets, string> = {
    viewScript: 'trajectory.js',
    viewStyle: 'trajectory.css',
    shimScript: 'report-shim.js',
    shimStyle: 'report-shim.css',
};

/** Reads the bundles; a clear error naming the first missing file and how to build it. */
export async function loadReportAssets(webviewDir: string | undefined): Promise<ReportAssets> {
    if (!webviewDir)
        throw new Error('the trajectory view bundle was not found; run "npm run build" to build out/webview/ first.');
    const assets: Partial<ReportAssets> = {};
    for (const [key, name] of Object.entries(FILES) as [keyof ReportAssets, string][]) {
        const file = join(webviewDir, name);
        try {
            assets[key] = await readFile(file, 'utf8');
        } catch {
            throw new Error(`${file} is missing; run "npm run build" to build the webview bundles first.`);
        }
    }
    return assets as ReportAssets;
}
