import { UsageError } from './args.js';
import { checkCommand } from './check-command.js';
import { compileCommand } from './compile-command.js';
import { graphCommand } from './graph-command.js';
import { reportCommand } from './report-command.js';
import { rescoreCommand } from './rescore-command.js';
import { EXIT, type CliIo } from './io.js';

export type { CliIo } from './io.js';

export const USAGE = `Usage: mas <command> [options]

Commands:
  mas check <files|folders>... [--json]     report diagnostics (file:line:col severity code message); exit 1 on errors
  mas compile <file> [-o spec.json]         compile a workflow to its RunSpec (stdout without -o)
  mas graph <file> [--format json|dot]      print the agent graph
  mas report <run-dir> [-o file.html] [--steps a-b] [--max-mb N]
                                            one self-contained HTML file with the run's trajectory view
  mas rescore <run-dir>... --mas <file> [--steps A..B] [--python PATH]
                                            re-score recorded rollouts with the workflow's reward through the
                                            trainer's Python (verifiers included): mean reward, criteria, ranks

Exit codes: 0 success, 1 errors in the input, 2 usage or path problem; mas rescore: the trainer's own exit code
when it fails (trainer/README.md; 130 cancelled).
`;

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
    check: checkCommand,
    compile: compileCommand,
    graph: graphCommand,
    report: reportCommand,
    rescore: rescoreCommand,
};

/** Runs `mas` in-process and returns its exit code; the thin entry `cli.ts` wires it to the real process. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
    const [command, ...rest] = argv;
    if (command === undefined) {
        io.stderr(USAGE);
        return EXIT.usage;
    }
    if (command === 'help' || command === '--help' || command === '-h') {
        io.stdout(USAGE);
        return EXIT.ok;
    }
    const run = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) {
        io.stderr(
            `mas: unknown command "${command}"; the commands are check, compile, graph, report and rescore (mas --help shows how to use them).\n`,
        );
        return EXIT.usage;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(USAGE);
        return EXIT.ok;
    }
    try {
        return await run(rest, io);
    } catch (error) {
        if (error instanceof UsageError) {
            io.stderr(`mas ${command}: ${error.message}\n`);
            return EXIT.usage;
        }
        const message = error instanceof Error ? error.message : String(error);
        io.stderr(
            `mas ${command}: internal error: ${message}. This is a bug in mas; please report it with the input that caused it.\n`,
        );
        return EXIT.internal;
    }
}
