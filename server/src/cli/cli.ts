import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runCli } from './main.js';

/** Entry point of the `mas` command (bundled to out/cli.cjs): real process streams, files and exit code. */
runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    writeFile: (path, text) => writeFile(path, text, 'utf8'),
    // Bundled to out/cli.cjs, where import.meta.url names that file: the webview bundles are beside it.
    webviewDir: fileURLToPath(new URL('./webview/', import.meta.url)),
    // The package's trainer/ beside out/: `mas rescore` runs it as the extension does.
    trainerRoot: fileURLToPath(new URL('../trainer/', import.meta.url)),
}).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(`mas: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 3;
    },
);
