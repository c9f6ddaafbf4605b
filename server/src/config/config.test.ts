import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('HUTONG_LOG_FORMAT', () => {
  it('defaults to auto and takes json or pretty', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ HUTONG_LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ HUTONG_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });

  it('refuses any other value, naming the variable', () => {
    expect(() => loadConfig({ HUTONG_LOG_FORMAT: 'colour' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUTONG_LOG_FORMAT: 'colour' })).toThrow(/HUTONG_LOG_FORMAT/);
  });
});
