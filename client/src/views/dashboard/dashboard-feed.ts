/**
 * What the dashboard shows, kept on the host side without VS Code: a primary run and an optional comparison
 * run, each heard from the run directory's shared RunFollower, whose events become dashboard messages. The records themselves
 * are not kept here (the view holds them), so following a 100 000-step run costs the host almost nothing;
 * when the view reloads, `resend` reads the files again from the start.
 */
import { runConfig } from '../../../../analysis/run-dir/run-config.js';
import { basename } from 'node:path';
import type { RunJson } from '../../../../protocol/run-dir.js';
import type {
    DashboardRunInfo,
    DashboardSlot,
    DashboardState,
    DashboardToView,
} from '../../../../protocol/webview-messages.js';
import type { RunFollowerOptions } from '../../runs/run-follower.js';
import { RunFollowers, type RunSubscription } from '../../runs/run-followers.js';

interface Followed {
    info: DashboardRunInfo;
    subscription: RunSubscription;
}

export class DashboardFeed {
    private readonly slots: Partial<Record<DashboardSlot, Followed>> = {};
    private readonly runDirs: Partial<Record<DashboardSlot, string>> = {};

    /** `followers`: shared with the followed trainers; by default the dashboard's own, polling as `options` say. */
    constructor(
        private readonly post: (message: DashboardToView) => void,
        options: RunFollowerOptions = {},
        private readonly followers = new RunFollowers(options),
    ) {}

    runDir(slot: DashboardSlot): string | undefined {
        return this.runDirs[slot];
    }

    state(hidden: string[] = []): DashboardState {
        return {
            view: 'dashboard',
            primaryRunDir: this.runDirs.primary ?? null,
            compareRunDir: this.runDirs.compare ?? null,
            hidden,
        };
    }

    /** Shows `runDir` in `slot` (from its first record), replacing what the slot showed. */
    setRun(slot: DashboardSlot, runDir: string): void {
        this.runDirs[slot] = runDir;
        this.follow(slot, runDir);
    }

    clear(slot: DashboardSlot): void {
        this.stop(slot);
        delete this.runDirs[slot];
        this.post({ type: 'dashboard/clear', slot });
    }

    /** The view (re)loaded: send every slot again from the start of its files. */
    resend(): void {
        for (const slot of ['primary', 'compare'] as const) {
            const runDir = this.runDirs[slot];
            if (runDir) this.follow(slot, runDir);
        }
    }

    dispose(): void {
        this.stop('primary');
        this.stop('compare');
    }

    private stop(slot: DashboardSlot): void {
        this.slots[slot]?.subscription.dispose();
        delete this.slots[slot];
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
        this.slots[slot] = { info, subscription };
    }
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
