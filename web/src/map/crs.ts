/**
 * WGS-84 ↔ GCJ-02 ("Mars coordinates", used by AMap and Tencent tiles).
 *
 * GCJ-02 is WGS-84 plus a deterministic, position-dependent offset of a few hundred metres, defined
 * only inside mainland China. The forward shift is a published closed formula on the Krasovsky 1940
 * ellipsoid; there is no closed inverse, so the inverse is found by fixed-point iteration, which
 * converges to far below a millimetre in a few steps.
 */

export type Position = [lng: number, lat: number];

const KRASOVSKY_SEMI_MAJOR_AXIS = 6378245.0;
const KRASOVSKY_ECCENTRICITY_SQUARED = 0.006693421622965943;
const { PI, sin, cos, sqrt, abs } = Math;

/** The offset is only applied inside this rough rectangle around China, as the published tools do. */
export function isOutsideChina([lng, lat]: Position): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

/** A short-period term in longitude that both offsets share. */
function sharedWave(x: number): number {
  return ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3;
}

function latitudeOffset(x: number, y: number): number {
  const polynomial = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
  const wave = ((20 * sin(y * PI) + 40 * sin((y / 3) * PI)) * 2) / 3;
  const longWave = ((160 * sin((y / 12) * PI) + 320 * sin((y * PI) / 30)) * 2) / 3;
  return polynomial + sharedWave(x) + wave + longWave;
}

function longitudeOffset(x: number, y: number): number {
  const polynomial = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
  const wave = ((20 * sin(x * PI) + 40 * sin((x / 3) * PI)) * 2) / 3;
  const longWave = ((150 * sin((x / 12) * PI) + 300 * sin((x / 30) * PI)) * 2) / 3;
  return polynomial + sharedWave(x) + wave + longWave;
}

/** The GCJ-02 shift in degrees at a WGS-84 point. */
function shift([lng, lat]: Position): Position {
  const x = lng - 105;
  const y = lat - 35;
  const latRad = (lat / 180) * PI;
  const sinLat = sin(latRad);
  const magic = 1 - KRASOVSKY_ECCENTRICITY_SQUARED * sinLat * sinLat;
  const sqrtMagic = sqrt(magic);
  // Convert the metre-like offsets to degrees with the meridian and parallel radii of curvature.
  const meridianRadius =
    (KRASOVSKY_SEMI_MAJOR_AXIS * (1 - KRASOVSKY_ECCENTRICITY_SQUARED)) / (magic * sqrtMagic);
  const parallelRadius = (KRASOVSKY_SEMI_MAJOR_AXIS / sqrtMagic) * cos(latRad);
  const dLat = (latitudeOffset(x, y) * 180) / (meridianRadius * PI);
  const dLng = (longitudeOffset(x, y) * 180) / (parallelRadius * PI);
  return [dLng, dLat];
}

export function wgs84ToGcj02(point: Position): Position {
  if (isOutsideChina(point)) return [point[0], point[1]];
  const [dLng, dLat] = shift(point);
  return [point[0] + dLng, point[1] + dLat];
}

const INVERSE_TOLERANCE_DEGREES = 1e-10;
const INVERSE_MAX_ITERATIONS = 20;

export function gcj02ToWgs84(point: Position): Position {
  if (isOutsideChina(point)) return [point[0], point[1]];
  // The shift varies slowly, so wgs ← wgs − (forward(wgs) − gcj) is a contraction.
  let lng = point[0];
  let lat = point[1];
  for (let i = 0; i < INVERSE_MAX_ITERATIONS; i++) {
    const [forwardLng, forwardLat] = wgs84ToGcj02([lng, lat]);
    const errorLng = forwardLng - point[0];
    const errorLat = forwardLat - point[1];
    lng -= errorLng;
    lat -= errorLat;
    if (abs(errorLng) < INVERSE_TOLERANCE_DEGREES && abs(errorLat) < INVERSE_TOLERANCE_DEGREES) break;
  }
  return [lng, lat];
}
