import { describe, expect, it } from 'vitest';
import { decisionsFromText, minutesBody, taskBody } from './whistleForms';

describe('the whistle forms', () => {
  it('reads one decision per non-empty line', () => {
    expect(decisionsFromText(' 拆除违建 \n\n清理堆物\n  ')).toEqual(['拆除违建', '清理堆物']);
    expect(decisionsFromText(undefined)).toEqual([]);
  });

  it('sends the meeting time as an instant with its offset, and leaves it out when empty', () => {
    const body = minutesBody({ minutes: ' 纪要 ', decisions: 'a\nb', meetingAt: '2026-12-01T10:30' });
    expect(body.minutes).toBe('纪要');
    expect(body.decisions).toEqual(['a', 'b']);
    // Typed in Beijing time, whatever the browser's zone.
    expect(body.meetingAt).toBe('2026-12-01T02:30:00.000Z');
    expect(minutesBody({ minutes: 'x' })).toEqual({ minutes: 'x', decisions: [] });
  });

  it('sends working days or a deadline, never both, and neither when neither is given', () => {
    expect(taskBody({ organisationId: 'u1', description: ' 任务 ', workingDays: 3 })).toEqual({
      organisationId: 'u1',
      description: '任务',
      workingDays: 3,
    });
    expect(taskBody({ organisationId: 'u1', description: 'x', deadline: '2026-12-04T17:30' })).toEqual({
      organisationId: 'u1',
      description: 'x',
      deadline: '2026-12-04T09:30:00.000Z',
    });
    expect(taskBody({ organisationId: 'u1', description: 'x', workingDays: null })).toEqual({
      organisationId: 'u1',
      description: 'x',
    });
  });
});
