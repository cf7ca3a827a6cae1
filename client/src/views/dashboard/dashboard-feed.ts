/**
 * What the dashboard shows, kept on the host side without VS Code: a primary run and any number (up to
 * MAX_COMPARE_RUNS) of comparison runs, each heard from the run directory's shared RunFollower, whose events become dashboard messages. The records themselves
 * are not kept here (the view holds them), so following a 100 000-step run costs the host almost nothing;
 * when the view reloads, `resend` reads the files again from the start.
 */
import { runConfig } from '../../../../analysis/run-dir/run-config.js';
import { basename } from 'node:path';
import type { RunJson } from '../../../../protocol/run-dir.js';
import {
    MAX_COMPARE_RUNS,
    type DashboardRunInfo,
    type DashboardSlot,
    type DashboardState,
    type DashboardToView,
} from '../../../../protocol/webview-messages.js';
import type { RunFollowerOptions } from '../../runs/run-follower.js';
import { RunFollowers, type RunSubscription } from '../../runs/run-followers.js';

interface Followed {
    info: DashboardRunInfo;
    subscription: RunSubscription;
}

export class DashboardFeed {
    private readonly slots = new Map<DashboardSlot, Followed>();
    /** The runs shown, the primary first, then the comparison runs in the order they were added. */
    private readonly runDirs = new Map<DashboardSlot, string>();
    private lastCompare = 0;

    /** `followers`: shared with the followed trainers; by default the dashboard's own, polling as `options` say. */
    constructor(
        private readonly post: (message: DashboardToView) => void,
        options: RunFollowerOptions = {},
        private readonly followers = new RunFollowers(options),
    ) {}

    runDir(slot: DashboardSlot): string | undefined {
        return this.runDirs.get(slot);
    }

    /** The comparison runs' slots, in the order they were added. */
    compareSlots(): DashboardSlot[] {
        return [...this.runDirs.keys()].filter((slot) => slot !== 'primary');
    }

    state(hidden: string[] = []): DashboardState {
        return {
            view: 'dashboard',
            primaryRunDir: this.runDirs.get('primary') ?? null,
            compareRunDirs: this.compareSlots().map((slot) => this.runDirs.get(slot)!),
            hidden,
        };
    }

    /** Shows `runDir` in `slot` (from its first record), replacing what the slot showed. */
    setRun(slot: DashboardSlot, runDir: string): void {
        if (slot !== 'primary') this.lastCompare = Math.max(this.lastCompare, compareNumber(slot));
        if (slot === 'primary' && !this.runDirs.has('primary')) {
            // The primary leads the saved order whenever it is set.
            const rest = [...this.runDirs];
            this.runDirs.clear();
            this.runDirs.set('primary', runDir);
            for (const [s, dir] of rest) this.runDirs.set(s, dir);
        } else {
            this.runDirs.set(slot, runDir);
        }
        this.follow(slot, runDir);
    }

    /**
     * Overlays `runDir` as one more comparison run, in a new slot. Returns that slot, the slot already showing the
     * folder (a run is drawn once), or why not (too many runs).
     */
    addCompare(runDir: string): { slot: DashboardSlot } | { refused: string } {
        for (const [slot, dir] of this.runDirs) if (dir === runDir) return { slot };
        if (this.compareSlots().length >= MAX_COMPARE_RUNS)
            return {
                refused: `The dashboard overlays at most ${MAX_COMPARE_RUNS} comparison runs; remove one before adding ${basename(runDir)}.`,
            };
        const slot: DashboardSlot = `compare-${++this.lastCompare}`;
        this.setRun(slot, runDir);
        return { slot };
    }

    clear(slot: DashboardSlot): void {
        if (!this.runDirs.has(slot)) return;
        this.stop(slot);
        this.runDirs.delete(slot);
        this.post({ type: 'dashboard/clear', slot });
    }

    /** Removes every comparison run; the primary stays. */
    clearCompares(): void {
        for (const slot of this.compareSlots()) this.clear(slot);
    }

    /** The view (re)loaded: send every slot again from the start of its files, the primary first. */
    resend(): void {
        for (const [slot, runDir] of this.runDirs) this.follow(slot, runDir);
    }

    dispose(): void {
        for (const slot of [...this.slots.keys()]) this.stop(slot);
    }

    private stop(slot: DashboardSlot): void {
        this.slots.get(slot)?.subscription.dispose();
        this.slots.delete(slot);
    }

    private follow(slot: DashboardSlot, runDir: string): void {
        this.stop(slot);
        const info: DashboardRunInfo = {
            slot,
            name: basename(runDir),
            runDir,
            status: 'unknown',
            stepsCompleted: 0,
            stepsTotal: null,
            error: null,
            config: {},
        };
        this.post({ type: 'dashboard/run', run: { ...info } });
        const subscription = this.followers.follow(runDir, {
            onReset: (cause) => {
                info.stepsCompleted = 0;
                this.post({ type: 'dashboard/run', run: { ...info } });
                if (cause === 'rewritten') {
                    this.post({
                        type: 'dashboard/notice',
                        slot,
                        severity: 'info',
                        message: `${info.name}: metrics.jsonl was rewritten (the run resumed from a checkpoint); curves reloaded.`,
                    });
                }
            },
            onRecords: (records) => {
                const last = records[records.length - 1];
                if (last) info.stepsCompleted = last.step;
                this.post({ type: 'dashboard/metrics', slot, records });
            },
            onIssue: (issue) =>
                this.post({
                    type: 'dashboard/notice',
                    slot,
                    severity: 'warning',
                    message: `${issue.file}:${issue.line}: ${issue.message}`,
                }),
            onRefused: (reason) =>
                this.post({ type: 'dashboard/notice', slot, severity: 'error', message: `${info.name}: ${reason}` }),
            onRunJson: (run, error) => {
                applyRunJson(info, run, error);
                this.post({ type: 'dashboard/status', run: { ...info } });
            },
            onDirectory: (gone) =>
                this.post({
                    type: 'dashboard/notice',
                    slot,
                    severity: gone ? 'error' : 'info',
                    message: gone
                        ? `The run directory ${runDir} was deleted or moved. The curves read so far stay; open another run to continue.`
                        : `The run directory ${runDir} is back; following it again.`,
                }),
        });
        this.slots.set(slot, { info, subscription });
    }
}

function compareNumber(slot: DashboardSlot): number {
    const n = Number(slot.slice('compare-'.length));
    return Number.isSafeInteger(n) ? n : 0;
}

function applyRunJson(info: DashboardRunInfo, run: RunJson | undefined, error: string | undefined): void {
    if (!run) {
        info.status = 'unknown';
        info.error = error ?? null;
        return;
    }
    info.status = run.status;
    info.stepsTotal = typeof run.steps_total === 'number' ? run.steps_total : null;
    info.stepsCompleted = Math.max(
        info.stepsCompleted,
        typeof run.steps_completed === 'number' ? run.steps_completed : 0,
    );
    info.error = typeof run.error === 'string' ? run.error : null;
    info.config = runConfig(run.spec);
}
