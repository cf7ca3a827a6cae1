/**
 * How the extension and the `mas` command line start the trainer's Python (client/src/training/trainer-args.ts says
 * why): `<python> ...TRAINER_ISOLATED_FLAGS -c TRAINER_BOOTSTRAP <trainer folder> <mas_trainer arguments>`. Recorded
 * in launch.json (protocol/launch.ts) and read back on re-attach, so both sides must agree on it: it lives here.
 */
export const TRAINER_MODULE = 'mas_trainer';

/** argv[1] is the trainer's folder (taken off argv), the rest are mas_trainer's own arguments. */
export const TRAINER_BOOTSTRAP = [
    'import runpy, sys',
    'sys.path.insert(0, sys.argv.pop(1))',
    `runpy.run_module('${TRAINER_MODULE}', run_name='__main__', alter_sys=True)`,
].join('; ');

/** Isolated mode (-I), unbuffered output (-u), UTF-8 text (-X utf8). */
export const TRAINER_ISOLATED_FLAGS: readonly string[] = ['-I', '-u', '-X', 'utf8'];
