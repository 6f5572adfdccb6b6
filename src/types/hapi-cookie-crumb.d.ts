// @hapi/cookie and @hapi/crumb ship no typings: what this app uses of them.

declare module '@hapi/cookie' {
    import type { Plugin, Request, ResponseToolkit, ServerStateCookieOptions } from '@hapi/hapi';

    export interface CookieOptions<Session> {
        readonly cookie: ServerStateCookieOptions & { readonly name: string; readonly password: string };
        readonly keepAlive?: boolean;
        readonly requestDecoratorName?: string;
        validate?(request: Request, session: Session): Promise<{ isValid: boolean; credentials?: object }>;
    }

    export interface CookieAuth<Session> {
        set(session: Session): void;
        clear(): void;
        /** Set while the request is authenticated by the cookie strategy (onPreAuth onwards). */
        h?: ResponseToolkit;
    }

    export const plugin: Plugin<void>;
}

declare module '@hapi/crumb' {
    import type { Plugin, Request, ResponseToolkit, ServerStateCookieOptions } from '@hapi/hapi';

    export interface CrumbOptions {
        readonly key?: string;
        readonly size?: number;
        readonly autoGenerate?: boolean;
        readonly addToViewContext?: boolean;
        readonly cookieOptions?: ServerStateCookieOptions;
        readonly headerName?: string;
        readonly restful?: boolean;
        readonly skip?: (request: Request, h: ResponseToolkit) => boolean;
        readonly enforce?: boolean;
        readonly logUnauthorized?: boolean;
    }

    export interface CrumbApi {
        generate(request: Request, h: ResponseToolkit): string;
    }

    export const plugin: Plugin<CrumbOptions>;
}
