import { hashPassword, passwordMatches, ARGON2_OPTIONS } from '../src/services/staff/passwords';

// npm run bench:argon2: what one staff sign-in costs in argon2id at the app's parameters
// (src/services/staff/passwords.ts), as wall time and CPU time per hash and per check.

const ROUNDS = 10;

async function measure(what: string, work: () => Promise<unknown>): Promise<void> {
    const walls: number[] = [];
    const cpu = process.cpuUsage();
    for (let round = 0; round < ROUNDS; round += 1) {
        const started = process.hrtime.bigint();
        await work();
        walls.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const { user, system } = process.cpuUsage(cpu);
    walls.sort((a, b) => a - b);
    const median = walls[Math.floor(walls.length / 2)]!;
    process.stdout.write(`${what.padEnd(6)} median ${median.toFixed(1)} ms, min ${walls[0]!.toFixed(1)} ms, max ${walls.at(-1)!.toFixed(1)} ms wall; `
        + `${((user + system) / 1000 / ROUNDS).toFixed(1)} ms CPU each (${ROUNDS} rounds)\n`);
}

async function main(): Promise<void> {
    const { memoryCost, timeCost, parallelism } = ARGON2_OPTIONS;
    process.stdout.write(`argon2id m=${memoryCost} KiB (${memoryCost / 1024} MiB), t=${timeCost}, p=${parallelism}\n`);
    const hash = await hashPassword('Correct-Horse-Battery-42');
    await measure('hash', () => hashPassword('Correct-Horse-Battery-42'));
    await measure('check', () => passwordMatches(hash, 'Correct-Horse-Battery-42'));
}

void main();
