import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { caseLayers } from './caseLayer';
import {
  BASE_LABEL_LAYERS,
  BASE_SOURCE,
  baseLayers,
  baseStyle,
  LABEL_FONT,
  LABEL_MIN_ZOOM,
  SELECTED_STREET_OUTLINE,
} from './mapStyle';

const NO_TILES = { tiles: null, styleUrl: null };
const TILES = {
  tiles: { url: 'https://tiles.example.org/{z}/{x}/{y}.png', crs: 'wgs84' as const },
  styleUrl: null,
};

function asStyle(value: StyleSpecification | string): StyleSpecification {
  if (typeof value === 'string') throw new Error('expected a style object');
  return value;
}

const layer = (style: StyleSpecification, id: string) => style.layers.find((l) => l.id === id);

describe('baseStyle', () => {
  it('is a valid MapLibre style with and without tiles, overlays included', () => {
    for (const config of [NO_TILES, TILES]) {
      const style = asStyle(baseStyle(config));
      const full = {
        ...style,
        sources: {
          ...style.sources,
          'hutong-cases': { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
        },
        layers: [...style.layers, SELECTED_STREET_OUTLINE, ...caseLayers()],
      } as StyleSpecification;
      expect(validateStyleMin(full)).toEqual([]);
    }
  });

  it('draws names without a glyph server: no glyphs URL, every label in the local font stack', () => {
    const style = asStyle(baseStyle(NO_TILES));
    expect(style.glyphs).toBeUndefined();
    const symbols = style.layers.filter((l) => l.type === 'symbol');
    expect(symbols.map((l) => l.id).sort()).toEqual(
      [
        BASE_LABEL_LAYERS.street,
        BASE_LABEL_LAYERS.community,
        BASE_LABEL_LAYERS.alley,
        `${BASE_LABEL_LAYERS.alley}-major`,
      ].sort(),
    );
    for (const symbol of symbols) {
      if (symbol.type !== 'symbol') continue;
      expect(symbol.layout?.['text-field']).toEqual(['get', 'name']);
      expect(symbol.layout?.['text-font']).toEqual(LABEL_FONT);
      expect(symbol.source).toBe(BASE_SOURCE);
    }
    expect(LABEL_FONT.at(-1)).toBe('sans-serif');
  });

  it('names lanes only from a street-level zoom, main alleys a little earlier, communities before', () => {
    const style = asStyle(baseStyle(NO_TILES));
    expect(layer(style, BASE_LABEL_LAYERS.alley)?.minzoom).toBe(LABEL_MIN_ZOOM.alley);
    expect(layer(style, `${BASE_LABEL_LAYERS.alley}-major`)?.minzoom).toBe(LABEL_MIN_ZOOM.majorAlley);
    expect(layer(style, BASE_LABEL_LAYERS.community)?.minzoom).toBe(LABEL_MIN_ZOOM.community);
    expect(LABEL_MIN_ZOOM.community).toBeLessThan(LABEL_MIN_ZOOM.majorAlley);
    expect(LABEL_MIN_ZOOM.majorAlley).toBeLessThan(LABEL_MIN_ZOOM.alley);
    // Street names show over the whole district, where the maps open.
    expect(layer(style, BASE_LABEL_LAYERS.street)?.minzoom ?? 0).toBeLessThanOrEqual(12);
  });

  it('fills the areas without tiles, and puts configured raster tiles under outline-only overlays', () => {
    const plain = asStyle(baseStyle(NO_TILES));
    expect(Object.keys(plain.sources)).toEqual([BASE_SOURCE]);
    expect(plain.layers.some((l) => l.type === 'fill')).toBe(true);

    const tiled = asStyle(baseStyle(TILES));
    expect(tiled.sources.base).toEqual({ type: 'raster', tiles: [TILES.tiles.url], tileSize: 256 });
    expect(tiled.layers.map((l) => l.type).slice(0, 2)).toEqual(['background', 'raster']);
    expect(tiled.layers.some((l) => l.type === 'fill')).toBe(false);
    // Everything after the raster is drawn from the base layer, so it lies on top of the tiles.
    expect(
      tiled.layers.slice(2).every((l: LayerSpecification) => 'source' in l && l.source === BASE_SOURCE),
    ).toBe(true);
  });

  it('uses a configured style URL as it is', () => {
    expect(baseStyle({ tiles: null, styleUrl: 'https://maps.example.org/style.json' })).toBe(
      'https://maps.example.org/style.json',
    );
    expect(baseLayers({ overTiles: true }).every((l) => l.type !== 'fill')).toBe(true);
  });
});
