import type { Map as MapLibreMap } from 'maplibre-gl';
import { afterEach, describe, expect, it } from 'vitest';
import { registerMap, testHooksEnabled } from './baseLayer';

type Holder = { __hutongMaps?: Record<string, unknown> };

describe('the test-only map handle', () => {
  afterEach(() => {
    delete (globalThis as Holder).__hutongMaps;
  });

  it('is enabled under browser automation or on the dev server only', () => {
    expect(testHooksEnabled({ webdriver: true }, false)).toBe(true);
    expect(testHooksEnabled({ webdriver: false }, true)).toBe(true);
    expect(testHooksEnabled({ webdriver: false }, false)).toBe(false);
    expect(testHooksEnabled(undefined, false)).toBe(false);
  });

  it('leaves nothing on window in a user browser', () => {
    const map = {} as MapLibreMap;
    registerMap('territory', map, false)();
    expect((globalThis as Holder).__hutongMaps).toBeUndefined();
  });

  it('registers and unregisters a map when enabled', () => {
    const map = {} as MapLibreMap;
    const unregister = registerMap('territory', map, true);
    expect((globalThis as Holder).__hutongMaps?.territory).toBe(map);
    unregister();
    expect((globalThis as Holder).__hutongMaps?.territory).toBeUndefined();
  });
});
