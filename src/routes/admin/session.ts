import Boom from '@hapi/boom';
import type { Request, ResponseToolkit, ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { auditActor, auditSubject, type AuditSetting } from '../../plugins/audit';
import { CRUMB_COOKIE, crumbOf, STAFF_ONLY, type StaffCookie, type StaffCredentials } from '../../plugins/staff-auth';
import { WRONG_NAME_OR_PASSWORD } from '../../services/staff/accounts';
import { MAX_PASSWORD_LENGTH } from '../../services/staff/passwords';
import { clientIp } from '../client-ip';
import { swaggerDocs } from '../schemas';
import { scopesOf, scopesSchema, staffSchema, toStaffView } from '../staff-view';

const SESSION_TAGS = ['api', 'staff'];

const sessionSchema = Joi.object({
    staff: staffSchema.required(),
    scopes: scopesSchema.required(),
    crumb: Joi.string().required().description('send it back in X-CSRF-Token with every POST, PUT, PATCH and DELETE'),
    idle_timeout_minutes: Joi.number().integer().required().description('the session ends after this long without a request'),
    expires_at: Joi.date().required().description('the session ends then, however busy'),
}).label('StaffSession');

const password = Joi.string().min(1).max(MAX_PASSWORD_LENGTH);

/** The signed-in member's writes are about themselves. */
const auditSelf: AuditSetting = {
    subject: 'staff',
    id: (request) => request.auth.credentials?.staff?.id,
    snapshot: async (services, id) => toStaffView(await services.staff.get(Number(id))),
};

function signedIn(request: Request): StaffCredentials {
    const staff = request.auth.credentials.staff;
    if (!staff) {
        throw Boom.unauthorized();
    }
    return staff;
}

async function sessionView(request: Request, h: ResponseToolkit, staffId: number, signedInAt: Date) {
    const staff = await request.services().staff.get(staffId);
    const { idleTimeoutMs, absoluteTimeoutMs } = request.server.app.config.staff;
    return {
        staff: toStaffView(staff),
        scopes: scopesOf(staff),
        crumb: crumbOf(request, h),
        idle_timeout_minutes: idleTimeoutMs / 60_000,
        expires_at: new Date(signedInAt.getTime() + absoluteTimeoutMs),
    };
}

/** Signs out of this browser: the session's row ends, its cookies go. */
function forgetCookies(request: Request, h: ResponseToolkit): void {
    request.staffCookie.clear();
    h.unstate(CRUMB_COOKIE);
}

/** Staff sign-in and the session's own routes. */
export const adminSessionRoutes: ServerRoute[] = [
    {
        method: 'POST',
        path: '/admin/session',
        options: {
            auth: false,
            tags: SESSION_TAGS,
            description: 'Signs a staff member in: sets the sealed session cookie and returns the crumb',
            notes: `A wrong name, a wrong password and a disabled account all answer 401 "${WRONG_NAME_OR_PASSWORD}", after the same work. `
                + 'Limited per name tried and per address (RATE_LIMIT_STAFF_LOGIN_PER_NAME, _PER_IP): 429 with Retry-After. A member whose password '
                + 'was set by an owner gets a session with no scope until PUT /admin/session/password.',
            plugins: {
                ...swaggerDocs({ errors: [400, 401, 429] }),
                rateLimit: { rule: 'staffLogin', user: (request) => (request.payload as { name: string }).name },
                audit: { subject: 'staff' },
            },
            validate: {
                payload: Joi.object({
                    name: Joi.string().trim().lowercase().min(1).max(64).required().example('alice'),
                    password: password.required(),
                }).label('StaffSignIn'),
            },
            response: { schema: sessionSchema },
            handler: async (request, h) => {
                const { name, password: given } = request.payload as { name: string; password: string };
                const { staff: accounts, staffSessions } = request.services();
                const staff = await accounts.authenticate(name, given);
                if (staff === undefined) {
                    request.log(['warn', 'staff'], { event: 'staff.sign_in_refused' });
                    throw Boom.unauthorized(WRONG_NAME_OR_PASSWORD);
                }
                const now = new Date();
                const token = await staffSessions.open(staff, {
                    ip: clientIp(request, request.server.app.config.server.trustedProxies),
                    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
                }, now);
                request.staffCookie.set({ token } satisfies StaffCookie);
                auditActor(request, { kind: 'staff', id: staff.id, name: staff.name });
                auditSubject(request, staff.id);
                return sessionView(request, h, staff.id, now);
            },
        },
    },
    {
        method: 'GET',
        path: '/admin/session',
        options: {
            auth: STAFF_ONLY,
            tags: SESSION_TAGS,
            description: 'The signed-in member, what they may do, and the crumb for their writes',
            plugins: swaggerDocs({ staff: true }),
            response: { schema: sessionSchema },
            handler: async (request, h) => {
                const staff = signedIn(request);
                const [session] = (await request.services().staffSessions.openOf(staff.id)).filter((one) => one.id === staff.sessionId);
                return sessionView(request, h, staff.id, session?.createdAt ?? new Date());
            },
        },
    },
    {
        method: 'DELETE',
        path: '/admin/session',
        options: {
            auth: STAFF_ONLY,
            tags: SESSION_TAGS,
            description: 'Signs out of this browser',
            plugins: { ...swaggerDocs({ staff: true, errors: [403] }), audit: auditSelf },
            handler: async (request, h) => {
                await request.services().staffSessions.end((request.auth.artifacts as unknown as StaffCookie).token, 'signed_out');
                forgetCookies(request, h);
                return h.response().code(204);
            },
        },
    },
    {
        method: 'POST',
        path: '/admin/session/logout-everywhere',
        options: {
            auth: STAFF_ONLY,
            tags: SESSION_TAGS,
            description: "Ends every one of the member's sessions, this one included",
            plugins: { ...swaggerDocs({ staff: true, errors: [403] }), audit: auditSelf },
            response: { schema: Joi.object({ ended: Joi.number().integer().required().description('sessions ended') }).label('SessionsEnded') },
            handler: async (request, h) => {
                const ended = await request.services().staffSessions.endAllOf(signedIn(request).id, 'signed_out_everywhere');
                forgetCookies(request, h);
                return { ended };
            },
        },
    },
    {
        method: 'PUT',
        path: '/admin/session/password',
        options: {
            auth: STAFF_ONLY,
            tags: SESSION_TAGS,
            description: "Changes the member's own password (the current one is asked); their other sessions end",
            notes: 'At least 12 characters, not one of the most common passwords, not containing the name. Required before anything else after an owner set the password.',
            plugins: { ...swaggerDocs({ staff: true, errors: [400, 403] }), audit: auditSelf },
            validate: {
                payload: Joi.object({ current_password: password.required(), new_password: password.required() }).label('StaffPasswordChange'),
            },
            response: { schema: sessionSchema },
            handler: async (request, h) => {
                const staff = signedIn(request);
                const { current_password, new_password } = request.payload as { current_password: string; new_password: string };
                await request.services().staff.changeOwnPassword(staff.id, current_password, new_password);
                await request.services().staffSessions.endOthersOf(staff.id, staff.sessionId, 'password_changed');
                const [session] = (await request.services().staffSessions.openOf(staff.id)).filter((one) => one.id === staff.sessionId);
                return sessionView(request, h, staff.id, session?.createdAt ?? new Date());
            },
        },
    },
];
