import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { STAFF_NAME_PATTERN, type StaffRole } from '../../models/staff';
import { auditSubject } from '../../plugins/audit';
import { adminAccess } from '../../plugins/staff-auth';
import { SCOPES } from '../../services/staff/roles';
import { idParam, swaggerDocs } from '../schemas';
import { staffRoleSchema, staffSchema, toStaffView } from '../staff-view';
import { auditStaff } from './audited';

const staffParams = Joi.object({ staffId: idParam('staff member') });

const issuedSchema = Joi.object({
    staff: staffSchema.required(),
    temporary_password: Joi.string().required()
        .description('shown this once and stored nowhere (the audit trail neither): hand it to the member, who must choose their own at sign-in'),
}).label('StaffWithTemporaryPassword');

const TEMPORARY_NOTE = 'The temporary password is in this reply only; the member signs in with it and must choose their own '
    + '(PUT /admin/session/password) before anything else.';

/** Staff accounts, for owners: the first owner is made by `npm run staff -- create`, never here. */
export const adminStaffRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/staff',
        options: {
            auth: adminAccess(SCOPES.staff),
            tags: ['api', 'staff'],
            description: 'Every staff member, disabled ones too',
            plugins: swaggerDocs({ admin: true }),
            response: { schema: Joi.array().items(staffSchema).label('StaffList') },
            handler: async (request) => (await request.services().staff.list()).map(toStaffView),
        },
    },
    {
        method: 'POST',
        path: '/admin/staff',
        options: {
            auth: adminAccess(SCOPES.staff),
            tags: ['api', 'staff'],
            description: 'Makes a staff member with a temporary password',
            notes: `${TEMPORARY_NOTE} 409: the name is taken.`,
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 409] }), audit: { ...auditStaff, id: undefined } },
            validate: {
                payload: Joi.object({
                    name: Joi.string().pattern(STAFF_NAME_PATTERN).required().description('2-32 of a-z 0-9 . _ -, starting with a letter or digit').example('olga'),
                    role: staffRoleSchema.required(),
                }).label('NewStaff'),
            },
            response: { status: { 201: issuedSchema } },
            handler: async (request, h) => {
                const { name, role } = request.payload as { name: string; role: StaffRole };
                const issued = await request.services().staff.create({ name, role });
                auditSubject(request, issued.staff.id);
                return h.response({ staff: toStaffView(issued.staff), temporary_password: issued.temporaryPassword! }).code(201);
            },
        },
    },
    {
        method: 'PATCH',
        path: '/admin/staff/{staffId}',
        options: {
            auth: adminAccess(SCOPES.staff),
            tags: ['api', 'staff'],
            description: "Changes a member's role, or disables (or enables) them",
            notes: 'A role change holds from the member\'s next request; disabling ends their sessions at once. 409: the last active owner cannot be demoted or disabled.',
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404, 409] }), audit: auditStaff },
            validate: {
                params: staffParams,
                payload: Joi.object({ role: staffRoleSchema, disabled: Joi.boolean() }).or('role', 'disabled').label('StaffChange'),
            },
            response: { schema: staffSchema },
            handler: async (request) => {
                const id = request.params.staffId as number;
                const { role, disabled } = request.payload as { role?: StaffRole; disabled?: boolean };
                const accounts = request.services().staff;
                if (role !== undefined) {
                    await accounts.changeRole(id, role);
                }
                return toStaffView(disabled === undefined ? await accounts.get(id) : await accounts.setDisabled(id, disabled));
            },
        },
    },
    {
        method: 'POST',
        path: '/admin/staff/{staffId}/password-reset',
        options: {
            auth: adminAccess(SCOPES.staff),
            tags: ['api', 'staff'],
            description: "Resets a member's password to a temporary one and ends their sessions",
            notes: TEMPORARY_NOTE,
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404] }), audit: auditStaff },
            validate: { params: staffParams },
            response: { schema: issuedSchema },
            handler: async (request) => {
                const issued = await request.services().staff.resetPassword(request.params.staffId as number);
                return { staff: toStaffView(issued.staff), temporary_password: issued.temporaryPassword! };
            },
        },
    },
    {
        method: 'POST',
        path: '/admin/staff/{staffId}/logout-everywhere',
        options: {
            auth: adminAccess(SCOPES.staff),
            tags: ['api', 'staff'],
            description: "Ends every one of a member's sessions (a lost laptop)",
            plugins: { ...swaggerDocs({ admin: true, errors: [400, 404] }), audit: auditStaff },
            validate: { params: staffParams },
            response: { schema: Joi.object({ ended: Joi.number().integer().required() }).label('StaffSessionsEnded') },
            handler: async (request) => {
                const staff = await request.services().staff.get(request.params.staffId as number);
                return { ended: await request.services().staffSessions.endAllOf(staff.id) };
            },
        },
    },
];
