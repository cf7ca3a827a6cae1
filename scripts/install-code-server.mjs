// Installs code-server (a real VS Code served on localhost) into a cache OUTSIDE the repository, keyed by
// version, so CI and the next run reuse it: `node scripts/install-code-server.mjs` prints the install folder.
// code-server's own postinstall downloads things (ripgrep, prebuilt binaries, Node headers); nothing but the
// package registries can be reached here, so the install runs with scripts off and then does, offline, what
// the postinstall would: Debian's `rg` in place of the download, native modules rebuilt against the local
// Node headers, the node_modules.asar link and the bin links.
import {
    copyFileSync,
    existsSync,
    mkdirSync,
    readdirSync,
    renameSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, codeServerDir, codeServerEntry } from './code-server-paths.mjs';
import { npmCommand, run } from './lib.mjs';

/** Native modules of code-server's VS Code (lib/vscode) that must be compiled for this Node. */
const VSCODE_NATIVE_MODULES = [
    'kerberos',
    '@parcel/watcher',
    '@vscode/spdlog',
    'native-watchdog',
    'node-pty',
    '@vscode/deviceid',
];

function fail(message) {
    console.error(`install-code-server: ${message}`);
    process.exit(1);
}

function which(command) {
    for (const dir of (process.env.PATH ?? '').split(':')) {
        if (dir && existsSync(join(dir, command))) return join(dir, command);
    }
    return undefined;
}

/** node-gyp would download Node's headers; Debian's and the official Node packages ship them next to node. */
function localNodeDir() {
    const prefix = resolve(dirname(process.execPath), '..');
    if (!existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
        fail(
            `Node headers not found under ${prefix}/include/node; install the Node package that ships them (nodejs with headers).`,
        );
    }
    return prefix;
}

function npm(args, cwd, env) {
    if (run(npmCommand, args, { cwd, env }) !== 0) fail(`\`npm ${args.join(' ')}\` failed in ${cwd}`);
}

/** Places Debian's ripgrep wherever @vscode/ripgrep expects its downloaded binary. */
function placeRipgrep(root, rg) {
    const candidates = [];
    const walk = (dir, depth) => {
        if (depth > 6 || !existsSync(dir)) return;
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
            if (!entry.isDirectory() || entry.name === 'out' || entry.name === 'src') continue;
            const full = join(dir, entry.name);
            if (entry.name === 'ripgrep' && dir.endsWith('@vscode')) candidates.push(full);
            else walk(full, depth + 1);
        }
    };
    walk(root, 0);
    if (candidates.length === 0) fail(`@vscode/ripgrep was not installed under ${root}`);
    for (const pkg of candidates) {
        mkdirSync(join(pkg, 'bin'), { recursive: true });
        copyFileSync(rg, join(pkg, 'bin', 'rg'));
    }
}

/** Deletes half-finished installs left by an interrupted run (their installer process is gone). */
function removeAbandonedPartials(finalDir) {
    const parent = dirname(finalDir);
    if (!existsSync(parent)) return;
    const prefix = `${basename(finalDir)}.partial-`;
    for (const name of readdirSync(parent)) {
        if (!name.startsWith(prefix)) continue;
        const pid = Number(name.slice(prefix.length));
        let alive = false;
        try {
            process.kill(pid, 0);
            alive = pid !== process.pid;
        } catch {
            alive = false;
        }
        if (!alive) rmSync(join(parent, name), { recursive: true, force: true });
    }
}

function link(target, path) {
    rmSync(path, { recursive: true, force: true });
    symlinkSync(target, path);
}

export function installCodeServer() {
    const finalDir = codeServerDir();
    if (existsSync(codeServerEntry(finalDir))) {
        console.log(`code-server ${CODE_SERVER_VERSION} is cached in ${finalDir}`);
        return finalDir;
    }
    if (process.platform !== 'linux')
        fail('the e2e setup supports Linux only (Debian packages: chromium, libkrb5-dev, ripgrep).');
    const rg = which('rg');
    if (!rg) fail('ripgrep (`rg`) is not on PATH: `apt-get install ripgrep` (see .ci/run).');
    if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h'))
        fail('Kerberos headers are missing: `apt-get install libkrb5-dev` (see .ci/run).');

    const started = Date.now();
    removeAbandonedPartials(finalDir);
    const work = `${finalDir}.partial-${process.pid}`;
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'mas-e2e-code-server', private: true }));
    const env = {
        ...process.env,
        npm_config_unsafe_perm: 'true',
        npm_config_yes: 'true',
        npm_config_nodedir: localNodeDir(),
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
    };
    const install = ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'];
    npm([...install, `code-server@${CODE_SERVER_VERSION}`], work, env);
    // argon2 (password hashing) is loaded at start-up even with --auth none.
    npm(['rebuild', 'argon2', '--build-from-source'], work, env);

    const vscode = join(work, 'node_modules', 'code-server', 'lib', 'vscode');
    npm(install.slice(0, 3), vscode, env); // its npm-shrinkwrap.json pins the versions
    placeRipgrep(join(vscode, 'node_modules'), rg);
    npm(['rebuild', ...VSCODE_NATIVE_MODULES, '--build-from-source'], vscode, env);
    link('node_modules', join(vscode, 'node_modules.asar'));
    link('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
    link('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
    npm(install.slice(0, 3), join(vscode, 'extensions'), env);

    rmSync(finalDir, { recursive: true, force: true });
    renameSync(work, finalDir); // the cache entry appears whole or not at all
    console.log(
        `code-server ${CODE_SERVER_VERSION} installed in ${finalDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return finalDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) installCodeServer();
