import type { FieldIssue } from '../shared/errors.ts';

/**
 * The hotline gazetteer file: real road and landmark names per street, so that an address naming
 * 地安门外大街 or 恭王府 rather than an alley still finds its street (hotline.address.ts). One name a
 * line, tab-separated: street (code or name), name, kind (road/道路 or landmark/地标), and optionally
 * lng and lat (WGS-84). A header line and lines starting with # are skipped.
 */

export interface PlaceLine {
  line: number;
  street: string;
  name: string;
  kind: 'road' | 'landmark';
  lng: number | null;
  lat: number | null;
}

const KINDS: Readonly<Record<string, 'road' | 'landmark'>> = {
  road: 'road',
  道路: 'road',
  路: 'road',
  landmark: 'landmark',
  地标: 'landmark',
  poi: 'landmark',
};

export function parsePlacesTsv(text: string): { places: PlaceLine[]; issues: FieldIssue[] } {
  const places: PlaceLine[] = [];
  const issues: FieldIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const t = raw.trim();
    if (!t || t.startsWith('#')) continue;
    const cells = raw.split('\t').map((c) => c.trim());
    if (line === 1 || (cells[0] === 'street' && cells[1] === 'name')) {
      if (cells[0]?.toLowerCase() === 'street' || cells[0] === '街道') continue;
    }
    const [street = '', name = '', kindText = '', lngText = '', latText = ''] = cells;
    const kind = KINDS[kindText.toLowerCase()];
    const fault = (message: string) => issues.push({ field: `line ${line}`, message });
    if (!street) {
      fault('no street');
      continue;
    }
    if (name.length < 2) {
      fault('the name needs at least 2 characters');
      continue;
    }
    if (!kind) {
      fault(`kind is road or landmark, not "${kindText}"`);
      continue;
    }
    const lng = lngText === '' ? null : Number(lngText);
    const lat = latText === '' ? null : Number(latText);
    if ((lng === null) !== (lat === null) || Number.isNaN(lng) || Number.isNaN(lat)) {
      fault('lng and lat are both numbers, or both empty');
      continue;
    }
    places.push({ line, street, name, kind, lng, lat });
  }
  return { places, issues };
}
