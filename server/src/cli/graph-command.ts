import { resolve } from 'node:path';
import { buildGraphModel } from '../language/graph/graph-model.js';
import { graphToDot } from '../language/graph/graph-dot.js';
import { loadMasFiles } from '../language/workspace/load-workspace.js';
import { parseArgs, UsageError } from './args.js';
import { EXIT, type CliIo } from './io.js';

const FORMATS = ['json', 'dot'];

/** `mas graph <file> [--format json|dot]`: the agent graph, with diagnostics as markers in the JSON form. */
export async function graphCommand(argv: readonly string[], io: CliIo): Promise<number> {
    const { positionals, flags } = parseArgs('graph', argv, { flags: { '--format': 'value' } });
    if (positionals.length !== 1) {
        throw new UsageError(
            `"mas graph" takes exactly one .mas file (got ${positionals.length}), for example: mas graph team.mas --format dot`,
        );
    }
    const format = flags.get('--format') ?? 'json';
    if (typeof format !== 'string' || !FORMATS.includes(format)) {
        throw new UsageError(`Unknown graph format "${String(format)}"; use --format json or --format dot.`);
    }
    const workspace = await loadMasFiles([resolve(io.cwd, positionals[0]!)]);
    const root = workspace.roots[0];
    if (!root) {
        io.stderr(
            `mas graph: ${workspace.problems[0]?.message ?? `${positionals[0]} cannot be read; check the path.`}\n`,
        );
        return EXIT.usage;
    }
    const model = buildGraphModel(root, workspace.shared.workspace.LangiumDocuments);
    io.stdout(format === 'dot' ? graphToDot(model) : `${JSON.stringify(model, null, 2)}\n`);
    return EXIT.ok;
}
