import { resolve } from 'node:path';
import { findMasFiles } from '../language/workspace/find-mas-files.js';
import { loadMasFiles } from '../language/workspace/load-workspace.js';
import { diagnosticsOf } from '../language/workspace/diagnostics.js';
import { parseArgs, UsageError } from './args.js';
import { displayPath, formatDiagnostic, toCliDiagnostic } from './format.js';
import { EXIT, type CliIo } from './io.js';

/** `mas check <files|dirs>... [--json]`: every diagnostic of the files and their imports; exit 1 on errors. */
export async function checkCommand(argv: readonly string[], io: CliIo): Promise<number> {
    const { positionals, flags } = parseArgs('check', argv, { flags: { '--json': 'switch' } });
    if (positionals.length === 0) {
        throw new UsageError('"mas check" needs at least one .mas file or folder, for example: mas check examples');
    }
    const found = await findMasFiles(positionals.map((p) => resolve(io.cwd, p)));
    const workspace = await loadMasFiles(found.files);
    const problems = [...found.problems, ...workspace.problems];
    for (const problem of problems) io.stderr(`mas check: ${problem.message}\n`);
    if (problems.length > 0) return EXIT.usage;
    if (found.files.length === 0) {
        io.stderr(
            `mas check: no .mas files found in ${positionals.join(', ')}; pass a .mas file or a folder that contains some.\n`,
        );
        return EXIT.usage;
    }

    const diagnostics = diagnosticsOf(workspace.all).map((d) => toCliDiagnostic(d, io.cwd));
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    if (flags.has('--json')) {
        const files = workspace.all.map((doc) => displayPath(doc.uri.fsPath, io.cwd));
        io.stdout(`${JSON.stringify({ files, errors, warnings, diagnostics }, null, 2)}\n`);
    } else {
        for (const d of diagnostics) io.stdout(`${formatDiagnostic(d)}\n`);
        const count = workspace.all.length;
        io.stderr(
            `${count} file${count === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.\n`,
        );
    }
    return errors > 0 ? EXIT.errors : EXIT.ok;
}
