import { TLSSocket } from 'node:tls';

import type { Request } from '@hapi/hapi';

/** Why /secapi refuses a call before reading it, as WeChat's nginx words it. */
export type CertificateProblem = 'No required SSL certificate was sent' | 'The SSL certificate error';

/**
 * What WeChat checks of a /secapi call's connection: a client certificate, issued by the CA
 * (the TLS listener verifies the chain against it), for this mch_id (its CN). Plain HTTP
 * carries no certificate at all.
 */
export function certificateProblem(request: Request, mchId: string): CertificateProblem | undefined {
    const socket = request.raw.req.socket;
    if (!(socket instanceof TLSSocket)) {
        return 'No required SSL certificate was sent';
    }
    const presented = socket.getPeerCertificate();
    if (presented === null || Object.keys(presented).length === 0) {
        return 'No required SSL certificate was sent';
    }
    return socket.authorized && presented.subject?.CN === mchId ? undefined : 'The SSL certificate error';
}

/** WeChat's answer to it: nginx's HTML 400 page, not XML. */
export function certificateErrorPage(problem: CertificateProblem): string {
    return `<html>\r\n<head><title>400 ${problem}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n`
        + `<center>${problem}</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
