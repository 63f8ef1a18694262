import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The hub serves web/dist at `/` with an SPA fallback; in development Vite serves the app and
// forwards the API to a hub running locally, so the session cookie stays same-origin.
export default defineConfig({
  plugins: [react()],
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
