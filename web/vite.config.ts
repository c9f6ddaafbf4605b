import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = import.meta.dirname;

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: resolve(webRoot, 'dist'),
    emptyOutDir: true,
    // Named inputs so the resident phone page can be added later as its own small entry
    // (`resident: resolve(webRoot, 'r/index.html')`) without touching the console's.
    rolldownOptions: {
      input: { console: resolve(webRoot, 'index.html') },
    },
    // The console's vendor code (antd, React) is large by nature; MapLibre is split out on its own.
    chunkSizeWarningLimit: 1500,
  },
});
