import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The hub serves web/dist at `/` with an SPA fallback; in development Vite serves the app and
// forwards the API to a hub running locally, so the session cookie stays same-origin.
/**
 * The service worker (src/pwa/sw.ts) built beside the app as `/sw.js`: a fixed name at the root,
 * so its scope is the whole app and the browser finds it again (docs/decisions.md, "A
 * hand-written service worker"). It imports nothing, so it is one file.
 */
function serviceWorker(): Plugin {
  return {
    name: 'branchwatch-service-worker',
    apply: 'build',
    buildStart() {
      this.emitFile({
        type: 'chunk',
        id: fileURLToPath(new URL('./src/pwa/sw.ts', import.meta.url)),
        fileName: 'sw.js',
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), serviceWorker()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
