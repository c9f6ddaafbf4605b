import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { json, plain, requestUrl } from '../test-support';
import { alleyMidpoint, InspectionForm, indicatorOptions } from './InspectionForm';
import type { CoverageAlley, InspectionFormItem, InspectionSheet } from './supervisionApi';

const inspector: User = {
  id: 'usr_i',
  username: 'demo-inspector',
  displayName: '第三方检查员',
  role: 'inspector',
  scopeCode: '110102',
  scopeName: '西城区',
  organisationId: null,
  organisationName: null,
  phone: null,
  active: true,
};

const alley: CoverageAlley = {
  id: 'aly_1',
  name: '前门东胡同',
  streetCode: '110102001',
  communityCode: null,
  gridCodes: [],
  lengthM: 300,
  covered: false,
  walkedBy: [],
  geometry: {
    type: 'LineString',
    coordinates: [
      [116.4, 39.9],
      [116.401, 39.9],
      [116.402, 39.9],
    ],
  },
};

const item = (code: string, level: number, parentCode: string | null, name: string): InspectionFormItem => ({
  code,
  level,
  parentCode,
  name,
  standard: `${name}的标准`,
  deductionPoints: level === 3 ? 2 : 0,
  deductionCap: level === 3 ? 10 : 0,
  categoryKey: null,
  departmentType: null,
  checklistKey: null,
  frontage: false,
});

const sheet: InspectionSheet = {
  alley: { id: alley.id, name: alley.name, streetCode: alley.streetCode, alleyType: 'lane' },
  versionId: 'ver_3',
  items: [
    item('A', 1, null, '市容环境'),
    item('A01', 2, 'A', '垃圾暴露'),
    item('A0101', 3, 'A01', '路面无暴露垃圾'),
    item('A0102', 3, 'A01', '垃圾桶无满溢'),
    item('B', 1, null, '秩序环境'),
    item('B01', 2, 'B', '乱贴小广告'),
    item('B0101', 3, 'B01', '墙面无小广告'),
  ],
  previous: { id: 'ins_0', score: 92, at: '2026-11-30T02:00:00.000Z' },
};

describe('indicatorOptions', () => {
  it('offers only third-level indicators, grouped under their first- and second-level names', () => {
    const groups = indicatorOptions(sheet.items);
    expect(groups.map((g) => g.label)).toEqual(['市容环境 · 垃圾暴露', '秩序环境 · 乱贴小广告']);
    expect(groups[0]?.options.map((o) => o.value)).toEqual(['A0101', 'A0102']);
    expect(groups[1]?.options[0]?.title).toBe('墙面无小广告的标准');
  });

  it('places a finding at the middle vertex of the alley unless located', () => {
    expect(alleyMidpoint(alley)).toEqual([116.401, 39.9]);
    expect(alleyMidpoint({})).toBeUndefined();
  });
});

describe('InspectionForm', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('sends the findings with their photos as one multipart inspection of the active version', async () => {
    const posted: FormData[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = requestUrl(input);
        if (url.startsWith('/api/inspections/form')) return json(200, sheet);
        if (url === '/api/inspections' && init?.method === 'POST') {
          posted.push(init.body as FormData);
          return json(201, {
            id: 'ins_1',
            score: 98,
            caseNumbers: ['110102-20261207-00042'],
            previousId: 'ins_0',
            versionId: 'ver_3',
          });
        }
        return json(404, { error: { code: 'NOT_FOUND', message: url } });
      }),
    );
    renderConsoleRoute({ user: inspector, element: <InspectionForm alleys={[alley]} /> });
    const labels = zhCN.supervision.inspections;

    fireEvent.mouseDown(await screen.findByLabelText(labels.alley));
    fireEvent.click(await screen.findByTitle(alley.name));
    expect((await screen.findByTestId('inspection-sheet')).textContent).toContain('92');

    fireEvent.click(screen.getByRole('button', { name: plain(labels.addFinding) }));
    fireEvent.mouseDown(await screen.findByLabelText(labels.indicator));
    fireEvent.click(await screen.findByTitle('墙面无小广告的标准'));
    fireEvent.change(screen.getByLabelText(labels.note), { target: { value: '门口两张' } });
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'wall.jpg', { type: 'image/jpeg' });
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [photo] } });
    await waitFor(() => expect(document.querySelectorAll('.ant-upload-list-item').length).toBe(1));

    fireEvent.click(screen.getByRole('button', { name: plain(labels.submit) }));
    await waitFor(() => expect(posted).toHaveLength(1));
    const body = posted[0]!;
    expect(body.get('alleyId')).toBe(alley.id);
    expect(body.get('versionId')).toBe('ver_3');
    expect(JSON.parse(String(body.get('findings')))).toEqual([
      { indicatorCode: 'B0101', note: '门口两张', lng: 116.401, lat: 39.9 },
    ]);
    expect(body.getAll('photos')).toHaveLength(1);
    expect(body.get('photoFindings')).toBe('0');
    expect((await screen.findByTestId('inspection-created')).textContent).toContain('98');
    expect(screen.getByRole('link', { name: '110102-20261207-00042' })).toBeTruthy();
  }, 60_000);
});
