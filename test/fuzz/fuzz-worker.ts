import { parentPort } from 'node:worker_threads';
import { EmptyFileSystem } from 'langium';
import { createMasServices } from '../../server/src/language/mas-module.js';
import { runPipeline } from './pipeline.js';

/** A mutant sent by the fuzz driver. */
export interface FuzzJob {
    index: number;
    name: string;
    text: string;
    offsetSeed: number;
}

/** The worker's answer: problems found, or the exception thrown. */
export interface FuzzJobResult {
    index: number;
    problems: string[];
    error?: string;
}

// One set of services per worker, reused across documents as the language server does.
const services = createMasServices(EmptyFileSystem);

parentPort!.on('message', async (job: FuzzJob) => {
    let result: FuzzJobResult;
    try {
        const report = await runPipeline(services, job.text, job.name, job.offsetSeed);
        result = { index: job.index, problems: report.problems };
    } catch (error) {
        result = { index: job.index, problems: [], error: error instanceof Error ? `${error.stack}` : String(error) };
    }
    parentPort!.postMessage(result);
});
