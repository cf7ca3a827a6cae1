/**
 * One RunFollower per run directory, shared by whoever shows that run (the dashboard's slots, a followed trainer and
 * through it the status bar): metrics.jsonl is read once however many places show it. A follower starts with its
 * first listener and stops with its last.
 */
import { RunFollower, type RunFollowerOptions, type RunListener } from './run-follower.js';

/** A listener's hold on a run directory's follower. */
export interface RunSubscription {
    /** Reads what is new now (synchronously for metrics.jsonl), instead of waiting for the next poll. */
    poll(): void;
    /** Reads the files again from their start for every listener (a view that reloaded). */
    reread(): void;
    dispose(): void;
}

export class RunFollowers {
    private readonly followers = new Map<string, RunFollower>();

    constructor(private readonly options: RunFollowerOptions = {}) {}

    /** Tells `listener` what `runDir` holds now (before this returns, for metrics.jsonl) and what is appended. */
    follow(runDir: string, listener: RunListener): RunSubscription {
        let follower = this.followers.get(runDir);
        if (!follower) {
            follower = new RunFollower(runDir, this.options);
            this.followers.set(runDir, follower);
        }
        const shared = follower;
        shared.add(listener);
        let held = true;
        return {
            poll: () => { if (held) void shared.poll(); },
            reread: () => { if (held) shared.reread(); },
            dispose: () => {
                if (!held) return;
                held = false;
                shared.remove(listener);
                if (shared.listenerCount > 0) return;
                shared.dispose();
                if (this.followers.get(runDir) === shared) this.followers.delete(runDir);
            },
        };
    }

    /** How many run directories are followed (for tests: each is read once, whoever shows it). */
    get size(): number {
        return this.followers.size;
    }

    dispose(): void {
        for (const follower of this.followers.values()) follower.dispose();
        this.followers.clear();
    }
}
