import type { TestProject } from 'vitest/node';
import { buildIfStale } from './processes.js';

/**
 * Before a project's tests: the build of what its tests start as processes (the agent's CLI,
 * the hub and its commands, the web UI the browser tests open), made anew only when stale.
 * Tests in process import the sources; docs/decisions.md, "Releases run compiled JavaScript".
 */
export default function setup(project: TestProject) {
  const parts = { agent: ['agent'], hub: ['hub'] } as const;
  buildIfStale(...(parts[project.name as keyof typeof parts] ?? ['web', 'hub', 'agent']));
}
