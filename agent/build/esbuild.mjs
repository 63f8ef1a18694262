// esbuild for the build scripts (a root devDependency).
import * as esbuild from 'esbuild';

/** @returns {Promise<typeof import('esbuild')>} */
export async function loadEsbuild() {
  return esbuild;
}
