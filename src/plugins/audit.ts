import Boom from '@hapi/boom';
import type { Plugin, Request } from '@hapi/hapi';

import { clientIp } from '../routes/client-ip';
import type { Services } from '../services';
import type { AuditActor } from '../services/staff/audit-trail';

/** How a route's writes appear in the audit trail. */
export interface AuditSetting {
    /** What the route writes: `order`, `refund`, `staff`… */
    readonly subject: string;
    /** The subject's id from the (validated) request; a route that makes its subject names it with `auditSubject` instead. */
    readonly id?: (request: Request) => string | number | undefined;
    /** The subject as the trail keeps it, loaded before the handler runs and again after; never a secret (no hash, no password). */
    readonly snapshot?: (services: Services, id: string) => Promise<unknown>;
}

interface AuditState {
    subjectId?: string;
    before?: unknown;
    actor?: AuditActor;
    /** What a route that writes many subjects at once (a CSV of shipments) did, for `after`. */
    outcome?: unknown;
}

declare module '@hapi/hapi' {
    interface PluginSpecificConfiguration {
        /** The merchant API's writes name their subject here; see src/plugins/audit.ts. */
        audit?: AuditSetting;
    }
    interface RequestApplicationState {
        audit?: AuditState;
    }
}

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

const isAudited = (request: Request) => WRITES.has(request.method) && request.route.path.startsWith('/admin/');

/** The subject a handler made (a new refund, a new staff member): recorded as the write's subject. */
export function auditSubject(request: Request, id: string | number): void {
    request.app.audit = { ...request.app.audit, subjectId: String(id) };
}

/** Who wrote, for a route that authenticates its caller itself (the sign-in). */
export function auditActor(request: Request, actor: AuditActor): void {
    request.app.audit = { ...request.app.audit, actor };
}

/** For a route whose subject is many rows: what it did to each, kept as `after`. */
export function auditOutcome(request: Request, outcome: unknown): void {
    request.app.audit = { ...request.app.audit, outcome };
}

function actorOf(request: Request): AuditActor | undefined {
    const credentials = request.auth.isAuthenticated ? request.auth.credentials : undefined;
    if (credentials?.staff) {
        return { kind: 'staff', id: credentials.staff.id, name: credentials.staff.name };
    }
    if (credentials?.merchant) {
        return { kind: 'api_key' };
    }
    return request.app.audit?.actor;
}

/**
 * Records every write to the merchant API (POST, PUT, PATCH, DELETE under /admin/) made by a
 * staff member or the API key: who, the route and its subject, the request id, the status it
 * ended with (refusals too: a missing crumb, a scope, a 409), and the subject before and after.
 * The row is written before the reply leaves, after the error table has given the final status.
 * A write nobody authenticated (401) is not recorded: anyone can send those.
 */
export const auditPlugin: Plugin<{ trustedProxies: readonly string[] }> = {
    name: 'app-audit',
    dependencies: ['app-services'],
    register(server, { trustedProxies }) {
        server.ext('onPreHandler', async (request, h) => {
            const setting = request.route.settings.plugins?.audit;
            if (!isAudited(request) || setting?.id === undefined) {
                return h.continue;
            }
            const id = setting.id(request);
            const subjectId = id === undefined ? undefined : String(id);
            const before = subjectId !== undefined && setting.snapshot ? await setting.snapshot(request.services(), subjectId) : undefined;
            request.app.audit = { ...request.app.audit, subjectId, before };
            return h.continue;
        });

        server.ext('onPreResponse', async (request, h) => {
            const actor = actorOf(request);
            if (!isAudited(request) || actor === undefined) {
                return h.continue;
            }
            const setting = request.route.settings.plugins?.audit;
            const state = request.app.audit ?? {};
            const response = request.response;
            const statusCode = Boom.isBoom(response) ? response.output.statusCode : response.statusCode;
            try {
                const after = state.outcome ?? (state.subjectId !== undefined && setting?.snapshot ? await snapshotAfter(setting, request, state.subjectId) : undefined);
                await request.services().audit.record({
                    actor, method: request.method, route: request.route.path, path: request.path,
                    subject: setting === undefined ? undefined : { type: setting.subject, id: state.subjectId },
                    requestId: request.app.requestId, statusCode, ip: clientIp(request, trustedProxies),
                    before: state.before, after,
                });
            }
            catch (error) {
                // The write itself happened: its reply still goes out, and the failure is loud.
                request.log(['error', 'audit'], `audit trail not written for ${request.method.toUpperCase()} ${request.path}: ${(error as Error).message}`);
            }
            return h.continue;
        }, { after: ['app-errors', 'app-auth', 'app-staff-auth'] });
    },
};

/** A subject that cannot be read after the write (the database faltered) is noted as such; the write is still recorded. */
async function snapshotAfter(setting: AuditSetting, request: Request, subjectId: string): Promise<unknown> {
    try {
        return await setting.snapshot!(request.services(), subjectId);
    }
    catch (error) {
        return { unreadable: (error as Error).message };
    }
}
