import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ReportSource } from '../../protocol/report-data.js';
import { readRegularFile } from './safe-file.js';

/** A workflow larger than this is not a .mas file anyone wrote by hand: it is left out of the report. */
export const MAX_REPORT_SOURCE_BYTES = 1_000_000;

/** RunSpec `source.sha256` of a file with no imports: its text then a NUL (server/src/compile/compile-workflow.ts sourceHash). */
const singleFileHash = (bytes: Buffer): string => createHash('sha256').update(bytes).update('\0').digest('hex');

/**
 * The `.mas` source a report embeds. The run records the path and sha256 of the file it was compiled from
 * (RunSpec `source`), but run.json may come from anyone and a report is shared: it must not embed whatever local
 * file a crafted run.json names. The recorded file is embedded only when its bytes have the recorded sha256 —
 * whoever wrote that hash already knew the contents. A workflow with imports hashes them too, so its recorded file
 * cannot be checked alone: the user names the file with `--source` (their choice, embedded as given, with a note
 * when it differs from what was trained).
 */
export async function reportSource(
    recorded: { file: string; sha256: string } | undefined,
    given: string | undefined,
): Promise<ReportSource> {
    const file = given ?? recorded?.file;
    const name = file ? path.basename(file) : 'unknown';
    if (!file) return { file: name, omitted: 'the run does not record its source file; pass --source <file.mas>' };
    let bytes: Buffer;
    try {
        bytes = await readRegularFile(file);
    } catch (error) {
        const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message;
        return { file: name, omitted: `${file}: ${why}; pass --source <file.mas> to include it` };
    }
    if (bytes.length > MAX_REPORT_SOURCE_BYTES)
        return { file: name, omitted: `${file} is larger than ${MAX_REPORT_SOURCE_BYTES} bytes` };
    const matches = recorded !== undefined && singleFileHash(bytes) === recorded.sha256;
    if (given !== undefined)
        return matches
            ? { file: name, text: bytes.toString('utf8') }
            : {
                  file: name,
                  text: bytes.toString('utf8'),
                  note: 'not checked against the run: this file (or its imports) may differ from what was trained',
              };
    if (!matches)
        return {
            file: name,
            omitted: `${file} is not the file the run recorded (its sha256 differs: it changed, or the workflow has imports); pass --source <file.mas> to include it`,
        };
    return { file: name, text: bytes.toString('utf8') };
}
