/**
 * A password from the person at the terminal, typed twice without echo (the two must match), or,
 * when stdin is not a terminal (a script, a pipe), its first line.
 */
export async function readPassword(prompt: string, again: string): Promise<string> {
    if (!process.stdin.isTTY) {
        return firstLine(await readAll(process.stdin));
    }
    const first = await readHidden(prompt);
    const second = await readHidden(again);
    if (first !== second) {
        throw new Error('the two passwords differ');
    }
    return first;
}

function firstLine(text: string): string {
    return text.split(/\r?\n/, 1)[0] ?? '';
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
        chunks.push(Buffer.from(chunk as Buffer));
    }
    return Buffer.concat(chunks).toString('utf8');
}

/** Raw mode: nothing typed is echoed; Enter ends, Backspace erases, Ctrl-C or Ctrl-D gives up. */
function readHidden(prompt: string): Promise<string> {
    const input = process.stdin;
    process.stderr.write(prompt);
    return new Promise((resolve, reject) => {
        let typed = '';
        const done = (error?: Error) => {
            input.setRawMode(false);
            input.pause();
            input.off('data', onData);
            process.stderr.write('\n');
            if (error) {
                reject(error);
            }
            else {
                resolve(typed);
            }
        };
        const onData = (chunk: Buffer) => {
            for (const character of chunk.toString('utf8')) {
                if (character === '\r' || character === '\n') {
                    done();
                    return;
                }
                if (character === '\u0003' || character === '\u0004') {
                    done(new Error('cancelled'));
                    return;
                }
                typed = character === '\u007f' || character === '\b' ? typed.slice(0, -1) : typed + character;
            }
        };
        input.setRawMode(true);
        input.resume();
        input.on('data', onData);
    });
}
