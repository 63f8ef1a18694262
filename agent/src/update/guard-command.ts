import { EXIT, type Output } from '../commands/output.js';
import { BinaryStore } from './binary-store.js';

/**
 * `update-guard --bin PATH`: run by the service manager before every start (ExecStartPre) from
 * the package's binary. Rolls back an update whose first start did not confirm it came up.
 * Never fails the start: a guard that cannot decide lets the current binary run.
 */
export async function updateGuardCommand(binary: string, io: Output): Promise<number> {
  try {
    const store = new BinaryStore(binary);
    const outcome = await store.guard();
    if (outcome === 'first-start')
      io.err(`update-guard: first start of a new version at ${binary}`);
    if (outcome === 'rolled-back')
      io.err(
        `update-guard: the new version did not come up; rolled back to the previous binary at ${binary}`,
      );
  } catch (err) {
    io.err(`update-guard: ${(err as Error).message}`);
  }
  return EXIT.ok;
}
