// Heatmap and timeline figures in Debian's Chromium (issue 6): 1 000 000-cell heatmap first render and pan/zoom
// redraws (canvas image path); trajectory timeline of 10 000 turns × 560 characters: first paint and long tasks
// while scrolling. Prints figures; never fails on time. Usage: node bench/trajectory/view-bench.mjs
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(repoRoot, 'bench', 'results', 'trajectory-view-page.js');
mkdirSync(dirname(outfile), { recursive: true });
await build({
    entryPoints: [join(repoRoot, 'bench', 'trajectory', 'view-page.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    outfile,
    logLevel: 'warning',
});
const browser = await chromium.launch({
    executablePath: process.env.MAS_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox'],
});
try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ content: readFileSync(outfile, 'utf8') });
    const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    const heat = await page.evaluate(() => window.__heatmapBench(1000, 1000));
    console.log(
        `heatmap 1 000 000 cells (1000 agents × 1000 turns): first render ${heat.first.toFixed(1)} ms (target ≤ 50); pan/zoom redraw median ${pct(heat.redraws, 0.5).toFixed(2)} ms, p95 ${pct(heat.redraws, 0.95).toFixed(2)} ms, max ${Math.max(...heat.redraws).toFixed(2)} ms (target ≤ 16.7); peer Vega-Lite not measured (not installed, no network)`,
    );
    await page.evaluate(() => {
        window.__longTasks = [];
        new PerformanceObserver((list) => {
            for (const e of list.getEntries()) window.__longTasks.push(e.duration);
        }).observe({ type: 'longtask' });
    });
    const timeline = await page.evaluate(() => window.__timelineBench(10000, 560));
    const rendered = await page.evaluate(() => window.__scrollTimeline(100));
    const longTasks = await page.evaluate(() => window.__longTasks);
    console.log(
        `timeline 10 000 turns × 560 chars: first paint ${timeline.first.toFixed(1)} ms (target ≤ 30); rows in the DOM while scrolling: ${rendered}; long tasks (> 50 ms) during 100 scroll frames: ${longTasks.length}${longTasks.length ? ` (max ${Math.max(...longTasks).toFixed(0)} ms)` : ''}`,
    );
} finally {
    await browser.close();
}
