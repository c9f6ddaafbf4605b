// `npm start`: runs the server from its bundle (server/dist, rebuilt first when a server source is newer,
// in a second or less) and, when the web console has not been built yet (or its sources changed since),
// builds it alongside, so the API answers within seconds on a fresh clone.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildServer, newestMtime, SERVER_BUNDLE, serverBundleStale } from './build-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const builtAt = (() => {
  const index = path.join(root, 'web/dist/index.html');
  return existsSync(index) ? statSync(index).mtimeMs : 0;
})();

// Both pages' entries (the console and the resident page under r/) and the build's own configuration.
const webSources = ['web/src', 'web/index.html', 'web/r', 'web/vite.config.ts'].map((p) =>
  path.join(root, p),
);
const stale = builtAt === 0 || webSources.some((p) => existsSync(p) && newestMtime(p) > builtAt);
if (stale) {
  console.log('building the web console in the background…');
  const build = spawn('npm', ['run', 'build', '-w', 'web', '--silent'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  build.on('exit', (code) =>
    console.log(code === 0 ? 'web console built' : `web console build failed (${code})`),
  );
}

if (serverBundleStale()) {
  try {
    const ms = await buildServer();
    console.log(`server bundle built in ${ms} ms`);
  } catch (err) {
    console.error(`npm start: ${err.message}`);
    process.exit(1);
  }
}

const server = spawn(process.execPath, ['--enable-source-maps', SERVER_BUNDLE], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
