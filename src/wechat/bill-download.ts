import { performance } from 'node:perf_hooks';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';

// A bill download read as it arrives: never held whole, however large the day. Which answer it
// is (WeChat's XML, or the bill, gzipped or not) is told from its first bytes, as WeChat sends
// both with HTTP 200.

/** A refusal (XML instead of a bill) is read to at most this: WeChat's are a few hundred bytes. */
const MAX_XML_BYTES = 64 * 1024;
/** After this long reading without a pause, the event loop serves other requests before the next chunk. */
const SLICE_MS = 10;
const GZIP_MAGIC = [0x1f, 0x8b];

export interface BillDownloadLimits {
    /** The most bytes read: of the download, and of the text it inflates to. */
    readonly maxBytes: number;
    /** The longest wait for the next chunk. */
    readonly idleMs: number;
}

export interface BillDownloadErrors {
    /** Past maxBytes. */
    tooLarge(): Error;
    /** No chunk for idleMs. */
    stalled(): Error;
}

/** downloadbill's answer: XML (the caller reads WeChat's words), or the bill's text, one line at a time without its line end. */
export type BillBody =
    | { readonly kind: 'xml'; readonly text: string }
    | { readonly kind: 'bill'; readonly lines: AsyncIterable<string> };

/**
 * Opens downloadbill's answer: a gzip file (tar_type=GZIP) is inflated as it is read, a plain
 * CSV read as it is. The lines must be read to their end, or the loop over them left (which
 * closes the download). A chunk that takes longer than idleMs, or more than maxBytes in all,
 * destroys the download with the matching error.
 */
export async function openBillBody(body: Readable, limits: BillDownloadLimits, errors: BillDownloadErrors): Promise<BillBody> {
    const chunks = watched(body, limits, errors);
    let head = Buffer.alloc(0);
    while (head.length < GZIP_MAGIC.length) {
        const next = await chunks.next();
        if (next.done) {
            break;
        }
        head = Buffer.concat([head, next.value]);
    }
    const rest = prepend(head, chunks);
    if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
        const inflated = pipeline(Readable.from(rest), createGunzip(), () => undefined);
        return { kind: 'bill', lines: textLines(inflated, limits.maxBytes, errors) };
    }
    if (/^(?:\uFEFF)?\s*</.test(head.toString('utf8'))) {
        return { kind: 'xml', text: await smallText(rest) };
    }
    return { kind: 'bill', lines: textLines(rest, limits.maxBytes, errors) };
}

/** The body's chunks, each within idleMs of the last, at most maxBytes in all; leaving the loop closes the download. */
async function* watched(body: Readable, { maxBytes, idleMs }: BillDownloadLimits, errors: BillDownloadErrors): AsyncGenerator<Buffer> {
    const watchdog = setTimeout(() => body.destroy(errors.stalled()), idleMs);
    let bytes = 0;
    try {
        for await (const chunk of body) {
            watchdog.refresh();
            bytes += (chunk as Buffer).length;
            if (bytes > maxBytes) {
                throw errors.tooLarge();
            }
            yield chunk as Buffer;
        }
    }
    finally {
        clearTimeout(watchdog);
        body.destroy();
    }
}

/** The first bytes, read to tell what the answer is, then the rest. */
async function* prepend(head: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
    try {
        yield head;
        yield* rest;
    }
    finally {
        await rest.return(undefined);
    }
}

async function smallText(chunks: AsyncGenerator<Buffer>): Promise<string> {
    const read: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of chunks) {
        read.push(chunk);
        bytes += chunk.length;
        if (bytes > MAX_XML_BYTES) {
            break;
        }
    }
    return Buffer.concat(read).toString('utf8');
}

/**
 * UTF-8 text split into lines (\r\n or \n), a character split across two chunks kept whole.
 * Every SLICE_MS of work (this loop's and its reader's) it lets the event loop turn, so the
 * other requests of the process keep their latency while a large bill is read.
 */
async function* textLines(source: AsyncIterable<Buffer>, maxBytes: number, errors: BillDownloadErrors): AsyncGenerator<string> {
    const decoder = new StringDecoder('utf8');
    let bytes = 0;
    let partial = '';
    let sliceStarted = performance.now();
    for await (const chunk of source) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
            throw errors.tooLarge();
        }
        const lines = (partial + decoder.write(chunk)).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
            yield withoutCarriageReturn(line);
        }
        if (performance.now() - sliceStarted >= SLICE_MS) {
            await nextTurn();
            sliceStarted = performance.now();
        }
    }
    const last = partial + decoder.end();
    if (last !== '') {
        yield withoutCarriageReturn(last);
    }
}

function withoutCarriageReturn(line: string): string {
    return line.endsWith('\r') ? line.slice(0, -1) : line;
}
