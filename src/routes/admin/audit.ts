import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import type { AuditEvent } from '../../models';
import { AUDIT_ACTOR_KINDS, type AuditActorKind } from '../../models/audit-event';
import { adminAccess } from '../../plugins/staff-auth';
import { SCOPES } from '../../services/staff/roles';
import { keysetPageSchema, keysetQuery, swaggerDocs } from '../schemas';

const snapshot = Joi.any().allow(null).required();

export const auditEventSchema = Joi.object({
    id: Joi.number().integer().required(),
    at: Joi.date().required(),
    actor: Joi.object({
        kind: Joi.string().valid(...AUDIT_ACTOR_KINDS).required().label('AuditActorKind').description('staff: a signed-in member; api_key: a machine with ADMIN_API_KEY'),
        staff_id: Joi.number().integer().allow(null).required(),
        staff_name: Joi.string().allow(null).required(),
    }).required().label('AuditActor'),
    action: Joi.string().required().description('the method and route: POST /admin/orders/{orderId}/refunds').example('POST /admin/orders/{orderId}/shipments'),
    path: Joi.string().required().example('/admin/orders/12/shipments'),
    subject: Joi.object({ type: Joi.string().required(), id: Joi.string().allow(null).required() }).allow(null).required().label('AuditSubject'),
    request_id: Joi.string().required().description("the request's x-request-id, to find its log lines"),
    status_code: Joi.number().integer().required().description('how the write ended (403: a missing crumb or scope; 409: refused by a rule…)'),
    ip: Joi.string().allow(null).required(),
    before: snapshot.description('the subject before the write (null: none, or a new subject)'),
    after: snapshot.description('the subject after it'),
}).label('AuditEvent');

export function toAuditView(event: AuditEvent) {
    return {
        id: event.id,
        at: event.createdAt,
        actor: { kind: event.actorKind, staff_id: event.staffId, staff_name: event.staffName },
        action: event.action,
        path: event.path,
        subject: event.subjectType === null ? null : { type: event.subjectType, id: event.subjectId },
        request_id: event.requestId,
        status_code: event.statusCode,
        ip: event.ip,
        before: event.before === null ? null : JSON.parse(event.before),
        after: event.after === null ? null : JSON.parse(event.after),
    };
}

/** The audit trail: read, page by page, by owners. Nothing changes or deletes it: no route here writes. */
export const adminAuditRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/audit',
        options: {
            auth: adminAccess(SCOPES.audit),
            tags: ['api', 'staff'],
            description: 'The audit trail: every write to the merchant API, newest first',
            notes: 'Append-only: recorded before each write is answered, never changed or deleted through the API. Filter by staff member, '
                + 'by actor kind, or by subject (subject_type=order&subject_id=12).',
            plugins: swaggerDocs({ admin: true, errors: [400] }),
            validate: {
                query: keysetQuery.keys({
                    staff_id: Joi.number().integer().min(1).description("one member's writes"),
                    actor: Joi.string().valid(...AUDIT_ACTOR_KINDS).description('staff or api_key'),
                    subject_type: Joi.string().max(32).description('order, refund, refund_request, staff, shipment_import'),
                    subject_id: Joi.string().max(64).description('with subject_type'),
                }).with('subject_id', 'subject_type'),
            },
            response: { schema: keysetPageSchema(auditEventSchema, 'AuditPage') },
            handler: async (request) => {
                const query = request.query as { staff_id?: number; actor?: AuditActorKind; subject_type?: string; subject_id?: string; before?: number; limit: number };
                const page = await request.services().audit.page({
                    staffId: query.staff_id, actorKind: query.actor, subjectType: query.subject_type, subjectId: query.subject_id, beforeId: query.before,
                }, query.limit);
                return { results: page.results.map(toAuditView), next: page.next };
            },
        },
    },
];
