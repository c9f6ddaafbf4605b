import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, isOutsideChina, type Position, wgs84ToGcj02 } from './crs';

/**
 * Reference pairs produced once with gcoord 1.0.7 (`gcoord.transform(p, WGS84, GCJ02)`), which the
 * server uses; the web must agree with it without depending on it.
 */
const REFERENCE: { place: string; wgs84: Position; gcj02: Position }[] = [
  { place: 'Tiananmen', wgs84: [116.3972, 39.9075], gcj02: [116.40344335835704, 39.908903379455815] },
  {
    place: 'Xicheng, Financial Street',
    wgs84: [116.3668, 39.9129],
    gcj02: [116.37301495818268, 39.914278550583916],
  },
  { place: 'Xicheng, Xinjiekou', wgs84: [116.3816, 39.9345], gcj02: [116.3878372008314, 39.93589589004928] },
  { place: 'Shanghai', wgs84: [121.4737, 31.2304], gcj02: [121.47822305927693, 31.22845773757727] },
  { place: 'Guangzhou', wgs84: [113.2644, 23.1291], gcj02: [113.26972959210308, 23.126423339922844] },
  { place: 'Chengdu', wgs84: [104.0668, 30.5728], gcj02: [104.06930547724922, 30.570346141080414] },
  { place: 'Harbin', wgs84: [126.6424, 45.7567], gcj02: [126.64836981630474, 45.75865110185797] },
];

// 1e-9 degrees is about 0.1 mm: the forward formula is exact, so only floating-point noise remains.
const FORWARD_TOLERANCE = 1e-9;
// 1e-8 degrees is about 1 mm, far below what any map or GPS fix can show.
const INVERSE_TOLERANCE = 1e-8;

describe('wgs84ToGcj02', () => {
  it.each(REFERENCE)('matches the reference at $place', ({ wgs84, gcj02 }) => {
    const [lng, lat] = wgs84ToGcj02(wgs84);
    expect(Math.abs(lng - gcj02[0])).toBeLessThan(FORWARD_TOLERANCE);
    expect(Math.abs(lat - gcj02[1])).toBeLessThan(FORWARD_TOLERANCE);
  });

  it('leaves points outside China unchanged', () => {
    expect(wgs84ToGcj02([-0.1276, 51.5072])).toEqual([-0.1276, 51.5072]);
    expect(isOutsideChina([139.6917, 35.6895])).toBe(true);
  });
});

describe('gcj02ToWgs84', () => {
  it.each(REFERENCE)('recovers the WGS-84 point at $place', ({ wgs84, gcj02 }) => {
    const [lng, lat] = gcj02ToWgs84(gcj02);
    expect(Math.abs(lng - wgs84[0])).toBeLessThan(INVERSE_TOLERANCE);
    expect(Math.abs(lat - wgs84[1])).toBeLessThan(INVERSE_TOLERANCE);
  });

  it('round-trips points across Beijing', () => {
    for (let lng = 116.0; lng <= 116.8; lng += 0.1) {
      for (let lat = 39.6; lat <= 40.2; lat += 0.1) {
        const [backLng, backLat] = gcj02ToWgs84(wgs84ToGcj02([lng, lat]));
        expect(Math.abs(backLng - lng)).toBeLessThan(INVERSE_TOLERANCE);
        expect(Math.abs(backLat - lat)).toBeLessThan(INVERSE_TOLERANCE);
      }
    }
  });

  it('leaves points outside China unchanged', () => {
    expect(gcj02ToWgs84([2.3522, 48.8566])).toEqual([2.3522, 48.8566]);
  });
});
