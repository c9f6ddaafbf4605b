// `npm start`: runs the server at once and, when the web console has not been built yet (or its sources
// changed since), builds it alongside, so the API answers within seconds on a fresh clone.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const builtAt = (() => {
  const index = path.join(root, 'web/dist/index.html');
  return existsSync(index) ? statSync(index).mtimeMs : 0;
})();

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

// Both pages' entries (the console and the resident page under r/) and the build's own configuration.
const webSources = ['web/src', 'web/index.html', 'web/r', 'web/vite.config.ts'].map((p) =>
  path.join(root, p),
);
const stale =
  builtAt === 0 ||
  webSources.some(
    (p) => existsSync(p) && (statSync(p).isDirectory() ? newestSource(p) : statSync(p).mtimeMs) > builtAt,
  );
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

const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
