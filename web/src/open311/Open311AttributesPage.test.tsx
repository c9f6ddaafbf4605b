import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { TaxonomyEntry } from '../cases/caseTypes';
import { changeLanguage } from '../i18n';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { DISTRICT_ADMIN, json, plain, requestUrl, TAXONOMY_DEFAULTS } from '../test-support';
import { Open311AttributesPage } from './Open311AttributesPage';
import type { Open311Attribute, Open311AttributeInput } from './open311Api';

const admin = DISTRICT_ADMIN;

const garbage: TaxonomyEntry = {
  ...TAXONOMY_DEFAULTS,
  key: 'event:06010',
  kind: 'event',
  code: '06010',
  majorClass: '市容环境',
  name: '暴露垃圾',
  public: true,
};

const existing: Open311Attribute = {
  id: 'o311a_1',
  districtCode: '110102',
  serviceCode: garbage.key,
  code: 'AMOUNT',
  variable: true,
  datatype: 'number',
  required: true,
  datatypeDescription: '袋',
  order: 1,
  description: '大约几袋垃圾？',
  values: [],
  updatedAt: '2026-11-02T01:00:00.000Z',
};

/**
 * A fake of /api/taxonomy and /api/open311/attributes. A list whose keys repeat is refused as the
 * server refuses it: 400 VALIDATION_FAILED naming the second key's field.
 */
function fakeServer() {
  const attributes: Open311Attribute[] = [existing];
  const posted: (Open311AttributeInput & { serviceCode: string })[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = requestUrl(input);
      const method = init?.method ?? 'GET';
      if (method === 'GET' && url.startsWith('/api/taxonomy')) return json(200, { items: [garbage] });
      if (
        method === 'GET' &&
        url === `/api/open311/attributes?serviceCode=${encodeURIComponent(garbage.key)}`
      ) {
        return json(200, { items: attributes });
      }
      if (method === 'POST' && url === '/api/open311/attributes') {
        const body = JSON.parse(String(init?.body)) as Open311AttributeInput & { serviceCode: string };
        posted.push(body);
        const values = body.values ?? [];
        const repeated = values.findIndex((v, i) => values.findIndex((w) => w.key === v.key) < i);
        if (repeated >= 0) {
          const key = values[repeated]!.key;
          return json(400, {
            error: {
              code: 'VALIDATION_FAILED',
              message: 'The request is not valid',
              details: {
                fields: [
                  {
                    field: `values.${repeated}.key`,
                    code: 'duplicate',
                    params: { value: key },
                    message: `key ${key} repeats`,
                  },
                ],
              },
            },
          });
        }
        const created: Open311Attribute = {
          ...body,
          // The server's defaults for what the body may leave out.
          required: body.required ?? false,
          datatypeDescription: body.datatypeDescription ?? null,
          order: body.order ?? 0,
          description: body.description ?? '',
          values,
          id: `o311a_${attributes.length + 1}`,
          districtCode: '110102',
          variable: true,
          updatedAt: '2026-11-03T01:00:00.000Z',
        };
        attributes.push(created);
        return json(201, created);
      }
      return json(404, { error: { code: 'NOT_FOUND', message: url } });
    }),
  );
  renderConsoleRoute({ user: admin, element: <Open311AttributesPage /> });
  return posted;
}

const attr = zhCN.open311.attr;

async function pickService() {
  const select = await screen.findByLabelText(attr.service);
  fireEvent.mouseDown(select);
  fireEvent.click(await screen.findByTitle(`${garbage.code} ${garbage.name}`));
}

async function openAddDialog() {
  fireEvent.click(screen.getByRole('button', { name: plain(attr.add) }));
  return screen.findByRole('dialog');
}

function type(dialog: HTMLElement, label: string, value: string) {
  fireEvent.change(within(dialog).getByLabelText(label), { target: { value } });
}

describe('Open311AttributesPage', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  });

  it('lists a service’s questions and adds a single-choice one with two choices', async () => {
    const posted = fakeServer();
    await pickService();
    expect(await screen.findByText('AMOUNT')).toBeTruthy();
    expect(screen.getByText(attr.datatypes.number)).toBeTruthy();

    const dialog = await openAddDialog();
    type(dialog, attr.code, 'WHERE');
    type(dialog, attr.description, '垃圾堆在哪里？');
    fireEvent.mouseDown(within(dialog).getByLabelText(attr.datatype));
    fireEvent.click(await screen.findByTitle(attr.datatypes.singlevaluelist));
    fireEvent.click(await within(dialog).findByRole('button', { name: plain(attr.addValue) }));
    fireEvent.click(within(dialog).getByRole('button', { name: plain(attr.addValue) }));
    type(dialog, attr.valueKey.replace('{{n}}', '1'), 'road');
    type(dialog, attr.valueName.replace('{{n}}', '1'), '路面');
    type(dialog, attr.valueKey.replace('{{n}}', '2'), 'door');
    type(dialog, attr.valueName.replace('{{n}}', '2'), '门口');
    fireEvent.click(within(dialog).getByRole('button', { name: plain(attr.save) }));

    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      serviceCode: garbage.key,
      code: 'WHERE',
      datatype: 'singlevaluelist',
      required: false,
      description: '垃圾堆在哪里？',
      datatypeDescription: null,
      order: 2,
      values: [
        { key: 'road', name: '路面' },
        { key: 'door', name: '门口' },
      ],
    });
    expect(await screen.findByText('WHERE')).toBeTruthy();
    expect(screen.getByText('road = 路面；door = 门口')).toBeTruthy();
    // jsdom lays out antd's selects and dialog slowly on a shared CI machine.
  }, 30_000);

  it('shows the server’s field error under the input it names', async () => {
    const posted = fakeServer();
    await pickService();
    await screen.findByText('AMOUNT');
    const dialog = await openAddDialog();
    type(dialog, attr.code, 'WHERE');
    type(dialog, attr.description, '垃圾堆在哪里？');
    fireEvent.mouseDown(within(dialog).getByLabelText(attr.datatype));
    fireEvent.click(await screen.findByTitle(attr.datatypes.multivaluelist));
    fireEvent.click(await within(dialog).findByRole('button', { name: plain(attr.addValue) }));
    fireEvent.click(within(dialog).getByRole('button', { name: plain(attr.addValue) }));
    type(dialog, attr.valueKey.replace('{{n}}', '1'), 'road');
    type(dialog, attr.valueName.replace('{{n}}', '1'), '路面');
    type(dialog, attr.valueKey.replace('{{n}}', '2'), 'road');
    type(dialog, attr.valueName.replace('{{n}}', '2'), '门口');
    fireEvent.click(within(dialog).getByRole('button', { name: plain(attr.save) }));

    const message = await within(dialog).findByText(zhCN.validation.duplicate.replace('{{value}}', 'road'));
    const secondKey = within(dialog).getByLabelText(attr.valueKey.replace('{{n}}', '2'));
    expect(message.closest('.ant-form-item')).toBe(secondKey.closest('.ant-form-item'));
    expect(posted).toHaveLength(1);
    expect(screen.getByRole('dialog')).toBe(dialog);
  }, 30_000);
});
