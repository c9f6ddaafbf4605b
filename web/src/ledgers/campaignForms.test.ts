import { describe, expect, it } from 'vitest';
import { campaignBody, caseRefsFromText, itemsBody, pointsFromText } from './campaignForms';

describe('the campaign forms', () => {
  it('builds the create body without empty optional fields', () => {
    expect(campaignBody({ name: ' 暴露垃圾清零 ', scopeCode: '110102001 ', description: ' ' })).toEqual({
      name: '暴露垃圾清零',
      scopeCode: '110102001',
      categoryKeys: [],
    });
    expect(
      campaignBody({ name: 'x', scopeCode: '110102', categoryKeys: ['event:06010'], startsAt: '2026-12-01' }),
    ).toMatchObject({ categoryKeys: ['event:06010'], startsAt: '2026-12-01' });
  });

  it('reads case references separated by lines, commas or spaces, once each', () => {
    expect(caseRefsFromText('110102-20261201-00001\n110102-20261201-00002，110102-20261201-00001 ')).toEqual([
      '110102-20261201-00001',
      '110102-20261201-00002',
    ]);
  });

  it('reads points as longitude, latitude and name, and names the first bad line', () => {
    expect(pointsFromText('116.37, 39.90, 胡同口垃圾点\n\n116.38，39.91，东斜街, 北口')).toEqual({
      ok: true,
      points: [
        { lng: 116.37, lat: 39.9, label: '胡同口垃圾点' },
        { lng: 116.38, lat: 39.91, label: '东斜街, 北口' },
      ],
    });
    expect(pointsFromText('116.37, 39.90, ok\n39.90, 胡同口')).toEqual({ ok: false, line: 2 });
    expect(pointsFromText('200, 39.90, 越界')).toEqual({ ok: false, line: 1 });
    expect(pointsFromText(', , 空')).toEqual({ ok: false, line: 1 });
  });

  it('asks for something to add', () => {
    expect(itemsBody({})).toEqual({ ok: false, reason: 'empty' });
    expect(itemsBody({ addMatching: true })).toEqual({ ok: true, body: { addMatching: true } });
    expect(itemsBody({ caseRefs: 'A1', points: 'bad' })).toEqual({ ok: false, reason: 'points', line: 1 });
  });
});
