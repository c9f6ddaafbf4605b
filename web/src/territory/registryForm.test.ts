import { describe, expect, it } from 'vitest';
import type { AlleyDetail } from '../api/types';
import { countCompliance } from './checklist';
import { normaliseRegistry, registryPatch, registryValues } from './registryForm';

const alley: AlleyDetail = {
  id: 'a1',
  name: '光明胡同',
  streetCode: '110102001',
  streetName: '西长安街街道',
  communityCode: null,
  communityName: null,
  alleyType: 'lane',
  lengthM: 312.4,
  currentTier: 'fine',
  targetTier: 'exemplary',
  chief: { name: '王某', title: '副科长', duties: '日常巡查', phone: '010-00000000' },
  council: '光明胡同理事会',
  contractorId: null,
  contractorName: null,
  volunteerTeam: null,
  plan: null,
  residentsPact: null,
  cultureNote: null,
  noticeBoard: null,
  checklist: { haves: { representative: true, council: true }, nots: { disorderly_parking: true } },
  approximate: true,
  version: 7,
  geometry: null,
  chiefName: '王某',
  permissions: { edit: true },
  gridCodes: [],
};

describe('registryPatch', () => {
  const original = registryValues(alley);

  it('is null when nothing changed, even if inputs turned null into empty strings', () => {
    const edited = normaliseRegistry({ ...original, plan: '', volunteerTeam: '  ' }, original);
    expect(registryPatch(original, edited, alley.version)).toBeNull();
  });

  it('sends only changed top-level fields with the version', () => {
    const edited = normaliseRegistry(
      { ...original, plan: ' 一街一策 ', chief: { ...original.chief, phone: '010-11111111' } },
      original,
    );
    expect(registryPatch(original, edited, alley.version)).toEqual({
      plan: '一街一策',
      chief: { name: '王某', title: '副科长', duties: '日常巡查', phone: '010-11111111' },
      version: 7,
    });
  });

  it('sends a cleared tier as null', () => {
    const edited = normaliseRegistry({ ...original, targetTier: null }, original);
    expect(registryPatch(original, edited, 7)).toEqual({ targetTier: null, version: 7 });
  });

  it('sends the whole checklist with every key when one item changes', () => {
    const edited = normaliseRegistry(
      {
        ...original,
        checklist: { ...original.checklist, nots: { ...original.checklist.nots, small_adverts: true } },
      },
      original,
    );
    const patch = registryPatch(original, edited, 7);
    expect(Object.keys(patch?.checklist?.nots ?? {})).toHaveLength(10);
    expect(patch?.checklist?.nots?.small_adverts).toBe(true);
    expect(countCompliance(patch?.checklist ?? undefined)).toEqual({
      haves: 2,
      nots: 2,
      havesTotal: 10,
      notsTotal: 10,
    });
  });
});
