// Figures measured by the e2e scenarios: printed, and appended to test-results/e2e/figures.jsonl.
// They are reported, never asserted on (wall-clock time depends on the machine).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOT_DIR } from './workbench.js';

export function recordFigure(name: string, value: number, unit: string): void {
    console.log(`FIGURE ${name}: ${value} ${unit}`);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    appendFileSync(
        join(SCREENSHOT_DIR, 'figures.jsonl'),
        `${JSON.stringify({ name, value, unit, at: new Date().toISOString() })}\n`,
    );
}
