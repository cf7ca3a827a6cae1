/**
 * The check of a verifier's Python file, shared by the language server (`verifier-file-missing`,
 * `verifier-function-missing` in server/src/language/validation/verifier-validator.ts) and the editor's Start
 * Training pre-flight (client/src/training/preflight.ts), so both say the same thing about the same file. Textual
 * on purpose: the file is untrusted code, read and never run.
 */

/** Python files larger than this are not read for the `def` check (a generated file is not a verifier module). */
export const MAX_CHECKED_VERIFIER_BYTES = 2_000_000;

/**
 * The names of a Python file's top-level functions, read textually (`def name(` at the start of a line). An
 * `async def` is left out on purpose: the worker calls the function and needs its value, not a coroutine.
 */
export function pythonFunctionNames(text: string): string[] {
    return [...text.matchAll(/^def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm)].map((match) => match[1]!);
}

/** `verifier-file-missing`: the resolved path is a folder or does not exist. */
export function verifierFileMissingMessage(resolvedPath: string, state: 'directory' | 'missing', fn: string): string {
    return state === 'directory'
        ? `The verifier file resolves to the folder ${resolvedPath}; give the path of a Python file, relative to this .mas file.`
        : `The verifier file ${resolvedPath} does not exist; create it with a \`def ${fn}(...)\` or correct the path, which is relative to this .mas file.`;
}

/** `verifier-function-missing`: the file has no top-level `def` of the function; names the ones it has. */
export function verifierFunctionMissingMessage(
    resolvedPath: string,
    wanted: string,
    defined: readonly string[],
): string {
    const others = defined.length > 0 ? ` (it defines ${defined.map((name) => `\`${name}\``).join(', ')})` : '';
    return `${resolvedPath} has no top-level \`def ${wanted}(...)\`${others}; add the function, or name the one to call with \`function <name>\` after the file.`;
}
