import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertValidKey,
  InMemoryMediaStorage,
  LocalMediaStorage,
  type MediaStorage,
} from './media.storage.ts';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-media-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const BAD_KEYS = [
  '../escape.jpg',
  '2026/../../escape.jpg',
  '2026/11/..',
  '/etc/passwd.jpg',
  '2026//x.jpg',
  '.hidden.jpg',
  '2026\\11\\x.jpg',
  '',
  'a..b.jpg',
  `${'x'.repeat(300)}.jpg`,
];

function behavesLikeStorage(name: string, make: () => MediaStorage) {
  describe(name, () => {
    it('puts, gets and deletes by key, with the content type of the key', async () => {
      const s = make();
      const bytes = Buffer.from([1, 2, 3, 4]);
      await s.put('2026/11/abc-public.jpg', bytes, 'image/jpeg');
      expect(await s.get('2026/11/abc-public.jpg')).toEqual({ bytes, contentType: 'image/jpeg' });
      await s.put('2026/11/abc-public.jpg', Buffer.from([9]), 'image/jpeg');
      expect((await s.get('2026/11/abc-public.jpg'))?.bytes).toEqual(Buffer.from([9]));
      await s.delete('2026/11/abc-public.jpg');
      expect(await s.get('2026/11/abc-public.jpg')).toBeNull();
      // Clean-up may run twice; the second delete is not an error.
      await s.delete('2026/11/abc-public.jpg');
      expect(await s.get('2026/12/never-written.jpg')).toBeNull();
    });

    it('refuses keys that could leave the storage, and a content type the key does not stand for', async () => {
      const s = make();
      for (const key of BAD_KEYS) {
        await expect(s.put(key, Buffer.from([1]), 'image/jpeg'), key).rejects.toThrow(RangeError);
        await expect(s.get(key), key).rejects.toThrow(RangeError);
        await expect(s.delete(key), key).rejects.toThrow(RangeError);
      }
      await expect(s.put('2026/11/x.jpg', Buffer.from([1]), 'text/html')).rejects.toThrow(RangeError);
      await expect(s.put('2026/11/x.svg', Buffer.from([1]), 'image/svg+xml')).rejects.toThrow(RangeError);
    });
  });
}

behavesLikeStorage('InMemoryMediaStorage', () => new InMemoryMediaStorage());
behavesLikeStorage('LocalMediaStorage', () => new LocalMediaStorage(path.join(root, 'shared')));

describe('LocalMediaStorage on disk', () => {
  it('writes under the root folder only, and leaves no temporary files behind', async () => {
    const dir = path.join(root, 'disk');
    const s = new LocalMediaStorage(dir);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        s.put(`2026/11/k${i % 3}-thumb.jpg`, Buffer.alloc(1000, i), 'image/jpeg'),
      ),
    );
    expect(await listFiles(dir)).toEqual([
      '2026/11/k0-thumb.jpg',
      '2026/11/k1-thumb.jpg',
      '2026/11/k2-thumb.jpg',
    ]);
    // Concurrent writers of one key: the reader sees one whole file, never a mix.
    const got = (await s.get('2026/11/k0-thumb.jpg'))!.bytes;
    expect(got.length).toBe(1000);
    expect(new Set(got).size).toBe(1);
    expect(await listFiles(root)).not.toContain('escape.jpg');
  });

  it('removes its temporary file when the write fails', async () => {
    const dir = path.join(root, 'failing');
    const s = new LocalMediaStorage(dir);
    // A folder where the file should go makes the final rename fail after the temporary file exists.
    await fs.mkdir(path.join(dir, '2026/11/taken.jpg'), { recursive: true });
    await expect(s.put('2026/11/taken.jpg', Buffer.from([1]), 'image/jpeg')).rejects.toThrow();
    expect(await listFiles(dir)).toEqual([]);
  });
});

describe('assertValidKey', () => {
  it('accepts the keys the media service generates', () => {
    expect(() => assertValidKey('2026/11/0b7c6a52-3f0e-4a1b-9b51-1b0f7d1f0c3e-original.jpg')).not.toThrow();
  });
});
