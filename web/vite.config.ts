import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webRoot = import.meta.dirname;

/**
 * In development the resident page's client-side routes (`/r/track/…`, `/r/alley/…`) are answered with
 * its own HTML, as the server does in production; Vite's fallback would otherwise serve the console.
 */
function residentFallback(): Plugin {
  return {
    name: 'hutong-resident-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        const isPage =
          req.method === 'GET' && (path === '/r' || path.startsWith('/r/')) && !/\.\w+$/.test(path);
        if (isPage) req.url = '/r/index.html';
        next();
      });
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), residentFallback()],
  server: {
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: resolve(webRoot, 'dist'),
    emptyOutDir: true,
    // Two pages: the staff console (antd) and the resident phone page (plain React, under /r/), which
    // share nothing heavy; `scripts/bundle-size.mjs` measures each one's initial JavaScript.
    rolldownOptions: {
      input: {
        console: resolve(webRoot, 'index.html'),
        resident: resolve(webRoot, 'r/index.html'),
      },
    },
    // The console's vendor code (antd, React) is large by nature; MapLibre is split out on its own.
    chunkSizeWarningLimit: 1500,
  },
});
