// `npm run setup`: everything a fresh clone needs — node_modules, a generated-code check, the bundles,
// and the trainer's Python environment when trainer/ has a pyproject.
import { ensureNodeModules, ensureTrainerVenv, npmCommand, runOrExit } from './lib.mjs';

ensureNodeModules();
runOrExit(process.execPath, ['scripts/check-generated.mjs']);
runOrExit(npmCommand, ['run', 'build']);
ensureTrainerVenv();
console.log('\nsetup: done.');
