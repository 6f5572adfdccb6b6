import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadConfig } from '../../src/config';
import { createLogger, logFormat } from '../../src/logger';
import { PRODUCTION_ENV } from '../helpers/production-env';

// Readable coloured lines for a developer at a terminal; JSON everywhere else.

describe('log format', () => {
    const production = PRODUCTION_ENV;

    it('is pretty in development at a terminal', () => {
        assert.equal(logFormat(loadConfig({}), true), 'pretty');
    });

    it('is JSON when stdout is not a terminal, under CI, in production and in tests', () => {
        assert.equal(logFormat(loadConfig({}), false), 'json');
        for (const ci of ['true', '1', 'woodpecker']) {
            assert.equal(logFormat(loadConfig({ CI: ci }), true), 'json', `CI=${ci}`);
        }
        assert.equal(logFormat(loadConfig({ CI: 'false' }), true), 'pretty');
        assert.equal(logFormat(loadConfig(production), true), 'json');
        assert.equal(logFormat(loadConfig({ NODE_ENV: 'test' }), true), 'json');
    });

    it('follows LOG_PRETTY when it is set', () => {
        assert.equal(logFormat(loadConfig({ LOG_PRETTY: 'false' }), true), 'json');
        assert.equal(logFormat(loadConfig({ NODE_ENV: 'test', LOG_PRETTY: 'true' }), true), 'pretty');
    });

    it('writes one JSON object per line to a given destination', () => {
        const lines: string[] = [];
        createLogger(loadConfig({}), { write: (line: string) => void lines.push(line) }).info({ event: 'order.paid' }, 'order paid');
        const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
        assert.equal(entry.msg, 'order paid');
        assert.equal(entry.event, 'order.paid');
    });
});
