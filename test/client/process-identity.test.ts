// A pid is the trainer only while start time and command line match launch.json (a reused pid never is).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
    cmdlineMatches,
    liveness,
    parseCmdline,
    parseStat,
    readStartTicks,
    type ProcFs,
} from '../../client/src/training/process-identity.js';

describe('process identity', () => {
    it('parses /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
        const stat = '4242 (python (my) x) S 1 4242 4242 0 -1 4194560 ' + '0 '.repeat(8) + '20 0 1 0 987654 12345 100';
        expect(parseStat(stat)).toEqual({ state: 'S', startTicks: 987654 });
        expect(parseStat('garbage')).toBeUndefined();
    });

    it('matches the recorded arguments at the end of the command line (a pyenv shim may change argv[0])', () => {
        const args = ['-m', 'mas_trainer', 'run', '--spec=/r/spec.json', '--run-dir=/r'];
        expect(cmdlineMatches(['/usr/bin/python3.11', ...args], args)).toBe(true);
        expect(cmdlineMatches(['bash', '/root/.pyenv/shims/python3', ...args], args)).toBe(true);
        expect(cmdlineMatches(['python3', ...args.slice(0, 4), '--run-dir=/other'], args)).toBe(false);
        expect(cmdlineMatches(args, args)).toBe(false); // no interpreter in front: not our launch
        expect(parseCmdline('python\0-m\0mas_trainer\0')).toEqual(['python', '-m', 'mas_trainer']);
    });

    it('a reused pid (other start time or other command) is dead; a zombie is dead; no /proc is unknown', () => {
        const args = ['-m', 'mas_trainer', 'run'];
        const fake = (stat: string | undefined, cmdline: string | undefined): ProcFs => ({
            available: true,
            read: (_pid, name) => (name === 'stat' ? stat : cmdline),
        });
        const stat = (state: string, start: number): string => `77 (python) ${state} ` + '1 '.repeat(18) + `${start} 0`;
        expect(
            liveness({ pid: 77, args, startTicks: 500 }, fake(stat('S', 500), 'python\0-m\0mas_trainer\0run\0')),
        ).toBe('alive');
        expect(
            liveness({ pid: 77, args, startTicks: 500 }, fake(stat('S', 501), 'python\0-m\0mas_trainer\0run\0')),
        ).toBe('dead');
        expect(liveness({ pid: 77, args, startTicks: 500 }, fake(stat('S', 500), 'bash\0'))).toBe('dead');
        expect(liveness({ pid: 77, args, startTicks: 500 }, fake(stat('Z', 500), ''))).toBe('dead');
        expect(liveness({ pid: 77, args, startTicks: 500 }, fake(undefined, undefined))).toBe('dead');
        expect(liveness({ pid: 77, args, startTicks: null }, { available: false, read: () => undefined })).toBe(
            'unknown',
        );
        expect(liveness({ pid: 1, args, startTicks: null }, fake(stat('S', 1), 'init\0'))).toBe('dead');
    });

    it.runIf(process.platform === 'linux')(
        'against real processes: alive while running, dead once it exited',
        async () => {
            const args = ['-e', 'setInterval(() => {}, 1000)', 'marker-arg'];
            const child = spawn(process.execPath, args, { stdio: 'ignore' });
            await new Promise((r) => child.once('spawn', r));
            const identity = { pid: child.pid!, args, startTicks: readStartTicks(child.pid!) };
            expect(identity.startTicks).toBeTypeOf('number');
            expect(liveness(identity)).toBe('alive');
            expect(liveness({ ...identity, startTicks: identity.startTicks! + 1 })).toBe('dead');
            expect(liveness({ ...identity, args: ['-e', 'other'] })).toBe('dead');
            const exited = new Promise((r) => child.once('exit', r));
            child.kill('SIGKILL');
            await exited;
            expect(liveness(identity)).toBe('dead');
        },
    );
});
