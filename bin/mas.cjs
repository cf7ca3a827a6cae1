#!/usr/bin/env node
// The `mas` command: runs the bundled CLI (`npm run build` writes out/cli.cjs).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'out', 'cli.cjs');
if (!fs.existsSync(bundle)) {
    process.stderr.write(`mas: ${bundle} is missing; run "npm run build" first.\n`);
    process.exit(2);
}
require(bundle);
