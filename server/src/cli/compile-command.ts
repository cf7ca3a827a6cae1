import { resolve } from 'node:path';
import { compileFile } from '../compile/compile-file.js';
import { parseArgs, UsageError } from './args.js';
import { formatDiagnostic, toCliDiagnostic } from './format.js';
import { EXIT, writeOutputFile, type CliIo } from './io.js';

/** `mas compile <file> [-o spec.json]`: the RunSpec on stdout or in a file; refused with diagnostics (exit 1) on errors. */
export async function compileCommand(argv: readonly string[], io: CliIo): Promise<number> {
    const { positionals, flags } = parseArgs('compile', argv, {
        flags: { '--output': 'value' },
        aliases: { '-o': '--output' },
    });
    if (positionals.length !== 1) {
        throw new UsageError(
            `"mas compile" takes exactly one .mas file (got ${positionals.length}), for example: mas compile team.mas -o spec.json`,
        );
    }
    const outcome = await compileFile(resolve(io.cwd, positionals[0]!));
    if (!outcome.ok) {
        if ('problem' in outcome) {
            io.stderr(`mas compile: ${outcome.problem}\n`);
            return EXIT.usage;
        }
        for (const d of outcome.diagnostics) io.stderr(`${formatDiagnostic(toCliDiagnostic(d, io.cwd))}\n`);
        io.stderr(
            `mas compile: ${positionals[0]} was not compiled because of the errors above; fix them and compile again.\n`,
        );
        return EXIT.errors;
    }
    // Warnings do not stop a compile, but a user piping the spec into the trainer should still see them.
    for (const d of outcome.warnings) io.stderr(`${formatDiagnostic(toCliDiagnostic(d, io.cwd))}\n`);
    const json = `${JSON.stringify(outcome.spec, null, 2)}\n`;
    const output = flags.get('--output');
    if (typeof output !== 'string') {
        io.stdout(json);
        return EXIT.ok;
    }
    if (!(await writeOutputFile(io, 'compile', output, json))) return EXIT.usage;
    io.stderr(`mas compile: wrote ${output}\n`);
    return EXIT.ok;
}
