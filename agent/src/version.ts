import pkg from '../package.json' with { type: 'json' };

/** The agent's version, from agent/package.json (bundled in, so it also works in a single executable). */
export const AGENT_VERSION: string = pkg.version;
