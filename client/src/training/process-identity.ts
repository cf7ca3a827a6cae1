/**
 * Is the process with this pid still *our* trainer? A pid alone is not enough: after the trainer exits the
 * kernel may give its pid to any other process. Linux: the start time in /proc/<pid>/stat must match the one
 * recorded at launch and /proc/<pid>/cmdline must end with the recorded arguments (the interpreter itself may
 * differ: a pyenv shim execs the real python under the same pid). Elsewhere the identity cannot be proven, so
 * the answer is 'unknown' and callers neither re-attach nor signal.
 */
import { readFileSync } from 'node:fs';

export type Liveness = 'alive' | 'dead' | 'unknown';

export interface ProcessIdentity {
    pid: number;
    /** Arguments after the interpreter, as passed to spawn. */
    args: readonly string[];
    /** From /proc/<pid>/stat at launch; null skips the start-time check (the command line still must match). */
    startTicks: number | null;
}

export interface ProcFs {
    /** Contents of /proc/<pid>/<name>, or undefined when the process (or /proc) does not exist. */
    read(pid: number, name: 'stat' | 'cmdline'): string | undefined;
    available: boolean;
}

export const linuxProcFs: ProcFs = {
    available: process.platform === 'linux',
    read(pid, name) {
        try {
            return readFileSync(`/proc/${pid}/${name}`, 'latin1');
        } catch {
            return undefined;
        }
    },
};

/** State letter and start time (fields 3 and 22) of /proc/<pid>/stat; the command name may hold spaces and ')'. */
export function parseStat(stat: string): { state: string; startTicks: number } | undefined {
    const close = stat.lastIndexOf(')');
    if (close < 0) return undefined;
    const fields = stat.slice(close + 2).split(' ');
    const state = fields[0];
    const start = Number(fields[19]);
    if (!state || !Number.isSafeInteger(start)) return undefined;
    return { state, startTicks: start };
}

export function readStartTicks(pid: number, proc: ProcFs = linuxProcFs): number | null {
    if (!proc.available) return null;
    const stat = proc.read(pid, 'stat');
    return stat ? (parseStat(stat)?.startTicks ?? null) : null;
}

/** /proc/<pid>/cmdline is NUL-separated with a trailing NUL; bytes are compared as UTF-8 text. */
export function parseCmdline(raw: string): string[] {
    const text = Buffer.from(raw, 'latin1').toString('utf8');
    const parts = text.split('\0');
    if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts;
}

export function cmdlineMatches(cmdline: readonly string[], args: readonly string[]): boolean {
    if (args.length === 0 || cmdline.length <= args.length) return false;
    const tail = cmdline.slice(cmdline.length - args.length);
    return tail.every((arg, i) => arg === args[i]);
}

export function liveness(identity: ProcessIdentity, proc: ProcFs = linuxProcFs): Liveness {
    if (!Number.isSafeInteger(identity.pid) || identity.pid <= 1) return 'dead';
    if (!proc.available) return 'unknown';
    const stat = proc.read(identity.pid, 'stat');
    if (stat === undefined) return 'dead';
    const parsed = parseStat(stat);
    // Zombie ('Z') or dead ('X'): it has exited and waits to be reaped.
    if (!parsed || parsed.state === 'Z' || parsed.state === 'X') return 'dead';
    if (identity.startTicks !== null && parsed.startTicks !== identity.startTicks) return 'dead';
    const cmdline = proc.read(identity.pid, 'cmdline');
    if (cmdline === undefined) return 'dead';
    return cmdlineMatches(parseCmdline(cmdline), identity.args) ? 'alive' : 'dead';
}
