// Child processes of the e2e suite: each started in its own process group and ended by its pid, and a free
// loopback port. Waits are on real signals (a line printed, the process exiting), never on fixed sleeps.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Started {
    readonly child: ChildProcess;
    readonly pid: number;
    /** Everything the process printed so far (stdout and stderr). */
    output(): string;
    /** Resolves with the first output line matching `pattern`; rejects when the process exits first or on timeout. */
    waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
    /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the leader has exited. */
    stop(graceMs?: number): Promise<void>;
}

export function startProcess(command: string, args: string[], options: SpawnOptions = {}): Started {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    const pid = child.pid;
    let text = '';
    const listeners = new Set<() => void>();
    const onData = (chunk: Buffer) => {
        text += chunk.toString();
        for (const l of listeners) l();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const exited = new Promise<void>((resolve) =>
        child.once('exit', () => {
            for (const l of listeners) l();
            resolve();
        }),
    );

    return {
        child,
        pid,
        output: () => text,
        waitForLine(pattern, timeoutMs) {
            return new Promise((resolve, reject) => {
                const check = () => {
                    const line = text.split('\n').find((l) => pattern.test(l));
                    if (line !== undefined) return done(() => resolve(line));
                    if (child.exitCode !== null || child.signalCode !== null) {
                        done(() =>
                            reject(
                                new Error(
                                    `${command} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${text.slice(-2000)}`,
                                ),
                            ),
                        );
                    }
                };
                const timer = setTimeout(
                    () =>
                        done(() =>
                            reject(
                                new Error(
                                    `no line matching ${pattern} from ${command} within ${timeoutMs} ms:\n${text.slice(-2000)}`,
                                ),
                            ),
                        ),
                    timeoutMs,
                );
                const done = (settle: () => void) => {
                    clearTimeout(timer);
                    listeners.delete(check);
                    settle();
                };
                listeners.add(check);
                check();
            });
        },
        async stop(graceMs = 5000) {
            if (child.exitCode !== null || child.signalCode !== null) return killGroup(pid, 'SIGKILL');
            killGroup(pid, 'SIGTERM');
            const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
            await exited;
            clearTimeout(timer);
            killGroup(pid, 'SIGKILL'); // children that outlived the leader (extension host, language server)
        },
    };
}

/** Signals the whole process group led by `pid` (started detached); a group that is already gone is fine. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
}

/** A loopback port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            server.close(() =>
                typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
            );
        });
    });
}

/** Pids of the live processes in process group `pgid` (Linux /proc), to prove a stopped group left nothing behind. */
export function groupMembers(pgid: number): number[] {
    const members: number[] = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            // Fields after the parenthesised command: state ppid pgrp ...; a zombie (Z) is already dead.
            const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
        } catch {
            // the process ended while we read /proc
        }
    }
    return members;
}

/** True while some process with this pid exists. */
export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** True while `pid` is a live process (Linux /proc): a zombie waiting to be reaped counts as ended. */
export function isRunning(pid: number): boolean {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
    } catch {
        return false;
    }
}

/** The command line of `pid` with spaces between arguments; '' when it has ended. */
export function commandLine(pid: number): string {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
        return '';
    }
}
