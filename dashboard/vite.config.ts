/**
 * The dashboard's build: one HTML page, one script and one style sheet under
 * dashboard/dist, served by the gateway at GET / (src/server/dashboard-plugin.ts).
 * Nothing is loaded from another host.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Small assets stay files: the page's Content-Security-Policy allows only 'self'.
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/graphql': 'http://localhost:4000' } },
});
