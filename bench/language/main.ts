import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createMasServices } from '../../server/src/language/mas-module.js';
import { EmptyFileSystem } from 'langium';
import { createPeerServices } from '../peer-domainmodel/peer-module.js';
import { masGenerator, peerGenerator } from './generate.js';
import { coldStart, completion, editToDiagnostics, errorStorm, fullBuild, type LanguageUnderTest } from './harness.js';
import { jsonSchemaFigure } from './json-schema.js';
import { ms, verdict, type Measure } from './stats.js';

/** Benchmarks of the .mas language services against the peer; prints figures, asserts nothing. */
const repoRoot = resolve(process.argv[2] ?? '.');
const quick = process.argv.includes('--quick');
/** `--only=full,edit,single,completion,cold,errors,json` runs just those figures (for profiling). */
const only = process.argv
    .find((arg) => arg.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
const wanted = (figure: string): boolean => !only || only.includes(figure);

const mas: LanguageUnderTest = {
    name: 'mas',
    generator: masGenerator,
    create: () => {
        const { shared, Mas } = createMasServices(EmptyFileSystem);
        return { shared, language: Mas };
    },
};
const peer: LanguageUnderTest = { name: 'domainmodel (peer)', generator: peerGenerator, create: createPeerServices };

/** One figure: wall-clock time of both languages and their ratio, then the same for CPU time. */
function row(label: string, m: Measure, p: Measure, target: string): void {
    console.log(
        `${label.padEnd(44)} mas ${ms(m.wall).padStart(10)}   peer ${ms(p.wall).padStart(10)}   ` +
            `peer/mas ${(p.wall / m.wall).toFixed(2)}x   ${target}`,
    );
    console.log(
        `${'  (CPU time)'.padEnd(44)} mas ${ms(m.cpu).padStart(10)}   peer ${ms(p.cpu).padStart(10)}   peer/mas ${(p.cpu / m.cpu).toFixed(2)}x`,
    );
}

console.log(
    "Peer: a re-implementation (bench/peer-domainmodel/) of the grammar of Langium's `domainmodel` example, " +
        'default Langium services, same harness, same process. Published peer package found on npm: ' +
        'langium-domainmodel-dsl@3.0.0 (Langium 3; not installed).',
);
// Wall-clock figures on a shared machine grow with its load: print it, so that runs can be compared.
const load = () =>
    loadavg()
        .map((value) => value.toFixed(1))
        .join(' ');
console.log(
    `node ${process.version}; ${cpus().length} cores; load average ${load()}; ${quick ? 'QUICK run (fewer samples)' : 'full run'}\n`,
);

const runs = quick ? 5 : 15;
if (wanted('full')) {
    const m = (await fullBuild(mas, 10_000, 100, runs)).percentile(50);
    const p = (await fullBuild(peer, 10_000, 100, runs)).percentile(50);
    row(
        'full build, 10 000 lines / 100 files, p50',
        m,
        p,
        `target <= 60 ms: ${verdict(m.wall, 60)}; >= 1.3x peer speed: ${p.wall / m.wall >= 1.3 ? 'met' : 'NOT met'}`,
    );
}
if (wanted('edit')) {
    const m = await editToDiagnostics(mas, 1_000, 20, quick ? 30 : 100);
    const p = await editToDiagnostics(peer, 1_000, 20, quick ? 30 : 100);
    row(
        'edit -> diagnostics, 1 000 files, p50',
        m.percentile(50),
        p.percentile(50),
        `target <= 10 ms: ${verdict(m.percentile(50).wall, 10)}`,
    );
    row(
        'edit -> diagnostics, 1 000 files, p95',
        m.percentile(95),
        p.percentile(95),
        `target <= 20 ms: ${verdict(m.percentile(95).wall, 20)}`,
    );
}
if (wanted('single')) {
    const m = await editToDiagnostics(mas, 1, 5_000, quick ? 20 : 50);
    const p = await editToDiagnostics(peer, 1, 5_000, quick ? 20 : 50);
    row(
        'edit -> diagnostics, one 5 000-line file, p95',
        m.percentile(95),
        p.percentile(95),
        `target <= 60 ms: ${verdict(m.percentile(95).wall, 60)}`,
    );
}
if (wanted('completion')) {
    const m = await completion(mas, 20_000, quick ? 10 : 30);
    const p = await completion(peer, 20_000, quick ? 10 : 30);
    row(
        'completion, 20 000 symbols in scope, p50',
        m.samples.percentile(50),
        p.samples.percentile(50),
        `target <= 10 ms: ${verdict(m.samples.percentile(50).wall, 10)}`,
    );
    row(
        'completion, 20 000 symbols in scope, p95',
        m.samples.percentile(95),
        p.samples.percentile(95),
        `target <= 25 ms: ${verdict(m.samples.percentile(95).wall, 25)}`,
    );
    console.log(
        `  (completion items returned: mas ${m.items} (capped; the list is incomplete and narrows as the user types), peer ${p.items})`,
    );
}
if (wanted('cold')) {
    const m = await coldStart(mas, 1_000, 10);
    const p = await coldStart(peer, 1_000, 10);
    row('cold start -> first diagnostics, 1 000 files', m, p, `target <= 800 ms: ${verdict(m.wall, 800)}`);
    console.log(
        '  (measured in-process: services creation + first full build of 1 000 in-memory files of 10 lines; ' +
            'excludes Node start-up, module loading and LSP transport)',
    );
}
if (wanted('errors')) {
    const m = await errorStorm(mas, 100_000, quick ? 1 : 3);
    const p = await errorStorm(peer, 100_000, quick ? 1 : 3);
    row('100 000 lines, error-free build', m.clean.p50, p.clean.p50, '');
    const ratio = m.broken.p50.wall / m.clean.p50.wall;
    row(
        '100 000 lines, 50 000 syntax errors, build',
        m.broken.p50,
        p.broken.p50,
        `no crash: met; <= 3x error-free: ${verdict(ratio, 3)} (${ratio.toFixed(2)}x; CPU ${(m.broken.p50.cpu / m.clean.p50.cpu).toFixed(2)}x)`,
    );
    console.log(`  (diagnostics: mas ${m.broken.diagnostics}, peer ${p.broken.diagnostics})`);
}
console.log('');
const workflow =
    masGenerator.file('json', 60).replace(/^/, 'workflow Bench\n') +
    '\ntrain {\n  algorithm: grpo(group: 8, clip: 0.2, kl: 0.01)\n  credit: outcome\n  steps: 200  batch: 16  lr: 2e-5  seed: 7\n}\n';
for (const line of wanted('json') ? await jsonSchemaFigure(repoRoot, workflow, quick ? 20 : 200) : []) {
    console.log(line);
}
console.log(`\nload average at the end: ${load()}`);
