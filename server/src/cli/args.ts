/** Command-line parsing for `mas`: small and strict, so that a typo is a clear usage error, never a guess. */

export class UsageError extends Error {}

export interface ParsedArgs {
    positionals: string[];
    flags: Map<string, string | true>;
}

/** Flags a command accepts: `true` for a switch, `'value'` for one that takes an argument; aliases map to names. */
export interface FlagSpec {
    flags: Record<string, 'switch' | 'value'>;
    aliases?: Record<string, string>;
}

export function parseArgs(command: string, argv: readonly string[], spec: FlagSpec): ParsedArgs {
    const positionals: string[] = [];
    const flags = new Map<string, string | true>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === '--') {
            positionals.push(...argv.slice(i + 1));
            break;
        }
        if (!arg.startsWith('-') || arg === '-') {
            positionals.push(arg);
            continue;
        }
        const [rawName, inlineValue] = arg.includes('=')
            ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
            : [arg, undefined];
        const name = spec.aliases?.[rawName] ?? rawName;
        const kind = spec.flags[name];
        if (!kind) {
            const known = Object.keys(spec.flags).join(', ') || 'none';
            throw new UsageError(`Unknown option ${rawName} for "mas ${command}"; its options are: ${known}.`);
        }
        if (kind === 'switch') {
            if (inlineValue !== undefined) throw new UsageError(`The option ${name} takes no value; write it alone.`);
            flags.set(name, true);
            continue;
        }
        const value = inlineValue ?? argv[++i];
        if (value === undefined || value === '') {
            throw new UsageError(`The option ${name} needs a value; write it as ${name} <value>.`);
        }
        flags.set(name, value);
    }
    return { positionals, flags };
}
