import { describe, expect, it } from 'vitest';
import { beijingInputToInstant, formatBeijing, instantToBeijingInput } from './beijing';

describe('Beijing time', () => {
  it('shows an instant in Beijing whatever the zone of the machine', () => {
    // 01:30 UTC is 09:30 in Beijing, the same day; 20:00 UTC is 04:00 the next day.
    expect(formatBeijing('2026-12-01T01:30:00.000Z', 'zh-CN')).toBe('2026/12/01 09:30');
    expect(formatBeijing('2026-12-01T20:00:00.000Z', 'zh-CN')).toBe('2026/12/02 04:00');
  });

  it('reads a datetime-local value as Beijing time and writes one back', () => {
    expect(beijingInputToInstant('2026-12-03T17:30')).toBe('2026-12-03T09:30:00.000Z');
    expect(instantToBeijingInput('2026-12-03T09:30:00.000Z')).toBe('2026-12-03T17:30');
    expect(instantToBeijingInput(beijingInputToInstant('2026-01-01T00:05'))).toBe('2026-01-01T00:05');
    expect(beijingInputToInstant('not a date')).toBe('not a date');
  });
});
