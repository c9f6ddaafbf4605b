import { describe, expect, it } from 'vitest';
import { matchRoute, paths } from './router';

describe('matchRoute', () => {
  it('maps the resident paths to pages', () => {
    expect(matchRoute('/r')).toEqual({ name: 'report' });
    expect(matchRoute('/r/')).toEqual({ name: 'report' });
    // From an alley's board, the report page knows the alley.
    expect(matchRoute('/r/', '?alley=110102001-0004')).toEqual({ name: 'report', alley: '110102001-0004' });
    expect(paths.reportInAlley('110102001-0004')).toBe('/r/?alley=110102001-0004');
    expect(matchRoute('/r/track')).toEqual({ name: 'trackLookup' });
    expect(matchRoute('/r/track/A2YVW1WTFV')).toEqual({ name: 'track', code: 'A2YVW1WTFV' });
    expect(matchRoute('/r/alley/110102001-0004')).toEqual({ name: 'alley', id: '110102001-0004' });
    expect(matchRoute('/r/alley/110102001-0004/poster')).toEqual({ name: 'poster', id: '110102001-0004' });
    expect(matchRoute('/r/points')).toEqual({ name: 'points' });
    expect(matchRoute('/r/nothing/here/at/all')).toEqual({ name: 'notFound' });
    expect(matchRoute('/territory')).toEqual({ name: 'notFound' });
  });

  it('only follows `next` to pages of its own', () => {
    expect(matchRoute('/r/login', '?next=%2Fr%2Ftrack%2FABC')).toEqual({
      name: 'login',
      next: '/r/track/ABC',
    });
    expect(matchRoute('/r/login', '?next=https%3A%2F%2Fevil.example')).toEqual({ name: 'login', next: null });
    expect(matchRoute('/r/login', '?next=%2Fadmin')).toEqual({ name: 'login', next: null });
  });

  it('round-trips the paths it builds', () => {
    expect(matchRoute(paths.track('A B'))).toEqual({ name: 'track', code: 'A B' });
    expect(matchRoute(paths.poster('x/y'))).toEqual({ name: 'poster', id: 'x/y' });
  });
});
