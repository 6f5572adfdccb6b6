import Joi from 'joi';

// What every section of the configuration is made of: the environment variables it reads (a Joi
// schema per variable), the rules across variables and the refusals of production (problems,
// all reported at once), and the typed section it maps them to.

/** The environment after validation: each variable converted by its schema, defaults applied. */
export type Settings = Readonly<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a section may need to know beyond its own variables. */
export interface ConfigContext {
    readonly isProduction: boolean;
    /** The in-process WeChat simulator is mounted (never in production). */
    readonly simulatorEnabled: boolean;
    readonly devLogin: boolean;
    /** This server as the machine itself reaches it: `http://127.0.0.1:3000`. */
    readonly selfUrl: string;
    /** 'simulator': the standalone simulator (npm run simulator), which plays WeChat and so holds the merchant's key. */
    readonly process: 'api' | 'simulator';
}

/** One thing wrong with the configuration, and the variables it is about. */
export interface Problem {
    readonly variables: readonly string[];
    readonly message: string;
}

export interface ConfigSection<T> {
    /** The variables this section reads, each with its schema. */
    readonly keys: Joi.PartialSchemaMap;
    /** Rules across variables and production's refusals; run on settings whose own schemas passed. */
    problems?(settings: Settings, context: ConfigContext): Problem[];
    /** The typed section; only called once the whole configuration has no problem. */
    read(settings: Settings, context: ConfigContext): T;
}

export const problem = (variables: string | readonly string[], message: string): Problem => ({ variables: typeof variables === 'string' ? [variables] : variables, message });

/** A refusal that only production makes: it says so, so a developer reading it knows why their laptop started. */
export const refusedInProduction = (variables: string | readonly string[], message: string): Problem => problem(variables, `${message} (NODE_ENV=production)`);

export const boolean = () => Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off', '');

/** Requests per window (or orders held); 0 means no limit. */
export const limit = (fallback: number) => Joi.number().integer().min(0).max(1_000_000).default(fallback);

/** A secret of one repeated character, or a few, is guessable whatever its length. */
export const MIN_DISTINCT_CHARACTERS = 10;

export function variedEnough(secret: string): boolean {
    return new Set(secret).size >= MIN_DISTINCT_CHARACTERS;
}

/** Plain http only to this machine: the benchmark runs production against a local simulator. */
export function isHttpsOrLoopback(url: string): boolean {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' || hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The origin of a URL setting when it is set: the public origin the app's other URLs default beside. */
export const originOfSetting = (url: string | undefined): string | undefined => (url === undefined ? undefined : new URL(url).origin);
