import { describe, expect, it } from 'vitest';
import {
  attendedMinutes,
  confirmRefusal,
  durationMinutes,
  hoursOf,
  signUpRefusal,
  sumHours,
} from './volunteer.rules.ts';

const activity = {
  startsAt: new Date('2026-11-20T09:00:00+08:00'),
  endsAt: new Date('2026-11-20T11:30:00+08:00'),
  capacity: 2,
};

describe('service hours', () => {
  it('counts the whole activity, what the organiser states up to it, or nothing for an absence', () => {
    expect(durationMinutes(activity)).toBe(150);
    expect(attendedMinutes(activity, { attended: true })).toBe(150);
    expect(attendedMinutes(activity, { attended: true, minutes: 60 })).toBe(60);
    expect(attendedMinutes(activity, { attended: true, minutes: 600 })).toBe(150);
    expect(attendedMinutes(activity, { attended: true, minutes: -5 })).toBe(0);
    expect(attendedMinutes(activity, { attended: false, minutes: 60 })).toBe(0);
  });

  it('sums confirmed minutes per person or team, as hours to one decimal', () => {
    const sums = sumHours([
      { key: 'a', minutes: 150, attended: true },
      { key: 'a', minutes: 40, attended: true },
      { key: 'a', minutes: null, attended: false },
      { key: 'b', minutes: null, attended: null },
    ]);
    expect(sums.get('a')).toEqual({ minutes: 190, hours: 3.2, activities: 2 });
    expect(sums.has('b')).toBe(false);
    expect(hoursOf(90)).toBe(1.5);
  });
});

describe('sign-up and attendance', () => {
  const before = new Date('2026-11-19T12:00:00+08:00');
  it('lets approved members sign up until the activity ends and while places are left', () => {
    expect(signUpRefusal(activity, 0, 'approved', before)).toBeNull();
    expect(signUpRefusal(activity, 0, 'applied', before)?.code).toBe('FORBIDDEN');
    expect(signUpRefusal(activity, 0, null, before)?.code).toBe('FORBIDDEN');
    expect(signUpRefusal(activity, 2, 'approved', before)?.code).toBe('ACTIVITY_FULL');
    expect(signUpRefusal({ ...activity, capacity: null }, 99, 'approved', before)).toBeNull();
    expect(signUpRefusal(activity, 0, 'approved', activity.endsAt)?.code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('confirms attendance only once the activity has started', () => {
    expect(confirmRefusal(activity, before)).toMatch(/started/);
    expect(confirmRefusal(activity, activity.startsAt)).toBeNull();
  });
});
