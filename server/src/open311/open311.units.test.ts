import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASE_STATES, REJECT_REASONS } from '../cases/case.state.ts';
import { type AttributeDefinition, checkAnswers, collectAttributes } from './open311.attributes.ts';
import { parseW3cDateTime, w3cDateTime } from './open311.format.ts';
import {
  baseStatusOf,
  baseStatusOfExtended,
  EXTENDED_STATUSES,
  extendedStatusOf,
  hutongEquivalentOf,
  parseClientStatus,
} from './open311.status.ts';
import { toXml } from './open311.xml.ts';
import { childrenNamed, parseXml } from './open311.xmlcheck.ts';

describe('W3C date-times', () => {
  it('reads Z and ±hh:mm zones, with or without seconds and fractions, as the same instant', () => {
    const instant = Date.parse('1994-11-05T13:15:30Z');
    expect(parseW3cDateTime('1994-11-05T08:15:30-05:00')!.getTime()).toBe(instant);
    expect(parseW3cDateTime('1994-11-05T13:15:30Z')!.getTime()).toBe(instant);
    expect(parseW3cDateTime('1994-11-05T21:15:30.000+08:00')!.getTime()).toBe(instant);
    expect(parseW3cDateTime('1994-11-05T13:15Z')!.getTime()).toBe(Date.parse('1994-11-05T13:15:00Z'));
  });

  it('refuses a date-time without its zone, an impossible date and other shapes', () => {
    for (const bad of [
      '1994-11-05T13:15:30',
      '1994-02-30T00:00:00Z',
      '1994-11-05 13:15:30Z',
      '1994-11-05',
      '1994-11-05T25:00:00Z',
      '1994-11-05T13:15:30+0800',
      'yesterday',
    ]) {
      expect(parseW3cDateTime(bad), bad).toBeNull();
    }
  });

  it('writes Beijing time with its offset, to the second, and reads back the same instant', () => {
    const d = new Date('2026-11-01T16:30:05.123Z');
    expect(w3cDateTime(d)).toBe('2026-11-02T00:30:05+08:00');
    expect(parseW3cDateTime(w3cDateTime(d))!.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
  });
});

describe('XML writing', () => {
  it('escapes markup and drops characters XML cannot carry, staying well-formed', () => {
    const nasty = `<b>&"'</b>\u0000\u0007 胡同 😀 \ud800`;
    const xml = toXml('service_requests', [
      { service_request_id: '1', description: nasty, lat: 39.9, metadata: true },
    ]);
    const doc = parseXml(xml);
    const request = childrenNamed(doc.root, 'request')[0]!;
    expect(childrenNamed(request, 'description')[0]!.text).toBe(`<b>&"'</b> 胡同 😀 `);
    expect(childrenNamed(request, 'metadata')[0]!.text).toBe('true');
  });

  it('writes null and empty lists as empty elements, and names list items from the list', () => {
    const doc = parseXml(toXml('service_definition', { service_code: 'x', attributes: [], note: null }));
    expect(doc.root.children.map((c) => [c.name, c.children.length, c.text])).toEqual([
      ['service_code', 0, 'x'],
      ['attributes', 0, ''],
      ['note', 0, ''],
    ]);
  });

  it('refuses a list it has no item name for, and an element name that is not XML', () => {
    expect(() => toXml('things', [1])).toThrow(/item element/);
    expect(() => toXml('root', { 'bad name': 1 })).toThrow(/element name/);
    expect(() => toXml('root', { n: Number.NaN })).toThrow();
  });
});

describe('attribute answers', () => {
  const d = (over: Partial<AttributeDefinition>): AttributeDefinition => ({
    code: 'Q',
    variable: true,
    datatype: 'string',
    required: false,
    datatypeDescription: null,
    order: 1,
    description: 'q',
    values: [],
    ...over,
  });
  const answers = (defs: AttributeDefinition[], pairs: [string, string][]) => {
    const fields = new Map<string, string[]>();
    for (const [k, v] of pairs) fields.set(k, [...(fields.get(k) ?? []), v]);
    return checkAnswers(defs, collectAttributes(fields));
  };

  it('accepts numbers in decimal and exponent form and refuses the rest', () => {
    const defs = [d({ datatype: 'number' })];
    for (const ok of ['2', '-3.5', '.5', '1e3'])
      expect(answers(defs, [['attribute[Q]', ok]]).problems).toEqual([]);
    for (const bad of ['three', '1,5', 'Infinity', '0x10']) {
      expect(answers(defs, [['attribute[Q]', bad]]).problems).toHaveLength(1);
    }
  });

  it('takes indexed list items from multipart forms and removes repeated keys', () => {
    const defs = [
      d({
        datatype: 'multivaluelist',
        values: [
          { key: 'a', name: 'A' },
          { key: 'b', name: 'B' },
        ],
      }),
    ];
    const r = answers(defs, [
      ['attribute[Q][0]', 'a'],
      ['attribute[Q][1]', 'b'],
      ['attribute[Q][2]', 'a'],
    ]);
    expect(r).toEqual({ answers: { Q: ['a', 'b'] }, problems: [] });
  });

  it('treats an empty answer as none, so a required question stays unanswered', () => {
    const r = answers([d({ required: true })], [['attribute[Q]', '  ']]);
    expect(r.problems).toEqual(['attribute[Q] is required: q']);
  });
});

describe('status mapping', () => {
  it('gives every Hutong state an extended status whose base status agrees with the state', () => {
    for (const state of CASE_STATES) {
      const reasons = state === 'rejected' ? REJECT_REASONS : [null];
      for (const reason of reasons) {
        const status = extendedStatusOf(state, reason);
        expect(EXTENDED_STATUSES).toContain(status);
        expect(baseStatusOfExtended(status), `${state} ${reason}`).toBe(baseStatusOf(state));
      }
    }
  });

  it('maps each client status to a state that maps back to it (CLOSED reads as FIXED)', () => {
    for (const status of EXTENDED_STATUSES) {
      const { state, rejectReason } = hutongEquivalentOf(status);
      expect(extendedStatusOf(state, rejectReason)).toBe(status === 'CLOSED' ? 'FIXED' : status);
    }
    expect(parseClientStatus(' fixed ')).toBe('FIXED');
    expect(parseClientStatus('open')).toBe('OPEN');
    expect(parseClientStatus('SOLVED')).toBeNull();
  });

  it('agrees with the tables in docs/open311.md, in both directions', () => {
    const doc = readFileSync(new URL('../../../docs/open311.md', import.meta.url), 'utf8');
    const reasonWords: Record<string, string> = {
      'not in remit': 'not_in_remit',
      duplicate: 'duplicate',
      'insufficient information': 'insufficient_information',
    };
    const rows = [
      ...doc.matchAll(/^\| `([a-z_]+)`(?: \(([a-z ]+)\))? \| `([A-Z_]+)` \| `(open|closed)` \|$/gm),
    ];
    const documented = rows.map((m) => ({
      state: m[1]!,
      reason: m[2] ? reasonWords[m[2]]! : null,
      status: m[3],
      base: m[4],
    }));
    const expected = CASE_STATES.flatMap((state) =>
      (state === 'rejected' ? REJECT_REASONS : [null]).map((reason) => ({
        state,
        reason,
        status: extendedStatusOf(state, reason),
        base: baseStatusOf(state),
      })),
    );
    expect(new Set(documented.map((r) => JSON.stringify(r)))).toEqual(
      new Set(expected.map((r) => JSON.stringify(r))),
    );

    const back = [...doc.matchAll(/^\| `([A-Z_]+)` \| `([a-z_]+)`(?: \(([a-z ]+)\))? \|$/gm)].map((m) => ({
      status: m[1],
      state: m[2],
      rejectReason: m[3] ? reasonWords[m[3]] : undefined,
    }));
    expect(back).toHaveLength(EXTENDED_STATUSES.length);
    expect(new Set(back.map((b) => b.status))).toEqual(new Set(EXTENDED_STATUSES));
    for (const b of back) {
      expect(hutongEquivalentOf(b.status as (typeof EXTENDED_STATUSES)[number])).toEqual(
        b.rejectReason ? { state: b.state, rejectReason: b.rejectReason } : { state: b.state },
      );
    }
  });
});
