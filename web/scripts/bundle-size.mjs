#!/usr/bin/env node
/**
 * Prints the gzipped size of each page's initial JavaScript in web/dist: the entry script and the
 * chunks its HTML preloads, which is what a browser fetches before the page can run. Lazy chunks
 * (MapLibre, the QR encoder, console routes) are listed apart. Run after `npm run build -w web`:
 *
 *   node web/scripts/bundle-size.mjs            # a table
 *   node web/scripts/bundle-size.mjs --json     # the same as JSON
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const DEFAULT_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** The pages of the multi-page build: name → HTML file inside dist. */
export const ENTRIES = { console: 'index.html', resident: 'r/index.html' };

export function gzipSize(bytes) {
  return gzipSync(bytes, { level: 9 }).length;
}

/** Script and modulepreload URLs of one HTML page, in document order. */
export function initialScripts(html) {
  const urls = [];
  for (const match of html.matchAll(/<(script|link)\b[^>]*>/g)) {
    const tag = match[0];
    const isScript = match[1] === 'script' && /type="module"/.test(tag);
    const isPreload = match[1] === 'link' && /rel="modulepreload"/.test(tag);
    const url = /(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if ((isScript || isPreload) && url && url.endsWith('.js')) urls.push(url);
  }
  return urls;
}

export function measureEntry(distDir, htmlFile) {
  const html = readFileSync(join(distDir, htmlFile), 'utf8');
  const files = initialScripts(html).map((url) => {
    const bytes = readFileSync(join(distDir, url.replace(/^\//, '')));
    return { file: url, bytes: bytes.length, gzip: gzipSize(bytes) };
  });
  return {
    files,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    gzip: files.reduce((sum, file) => sum + file.gzip, 0),
  };
}

export function measure(distDir = DEFAULT_DIST) {
  const entries = {};
  const initial = new Set();
  for (const [name, htmlFile] of Object.entries(ENTRIES)) {
    if (!existsSync(join(distDir, htmlFile))) continue;
    entries[name] = measureEntry(distDir, htmlFile);
    for (const file of entries[name].files) initial.add(file.file);
  }
  const assets = join(distDir, 'assets');
  const lazy = existsSync(assets)
    ? readdirSync(assets)
        .filter((file) => file.endsWith('.js') && !initial.has(`/assets/${file}`))
        .map((file) => {
          const bytes = readFileSync(join(assets, file));
          return { file: `/assets/${file}`, bytes: bytes.length, gzip: gzipSize(bytes) };
        })
        .sort((a, b) => b.gzip - a.gzip)
    : [];
  return { entries, lazy };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

function print(result) {
  for (const [name, entry] of Object.entries(result.entries)) {
    console.log(`${name}: ${kib(entry.gzip)} gzip (${kib(entry.bytes)} raw) initial JavaScript`);
    for (const file of entry.files) console.log(`  ${file.file}  ${kib(file.gzip)} gzip`);
  }
  console.log('lazy chunks (largest first):');
  for (const file of result.lazy.slice(0, 8)) console.log(`  ${file.file}  ${kib(file.gzip)} gzip`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = measure(DEFAULT_DIST);
  if (Object.keys(result.entries).length === 0) {
    console.error(`No built pages in ${DEFAULT_DIST}; run \`npm run build -w web\` first.`);
    process.exit(1);
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else print(result);
}
