import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '../test-support';
import { CategoryField } from './CategoryField';
import { I18nProvider } from './i18n';
import { zhCN } from './messages';

type Chosen = { key: string; name: string } | null;

function Harness({ description, onChange }: { description: string; onChange: (c: Chosen) => void }) {
  const [selected, setSelected] = useState<Chosen>(null);
  return (
    <I18nProvider initial="zh-CN">
      <CategoryField
        selected={selected}
        description={description}
        onChange={(c) => {
          setSelected(c);
          onChange(c);
        }}
      />
    </I18nProvider>
  );
}

describe('CategoryField suggestions', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('proposes the likely categories of the description and picks one on a tap', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () =>
      json(200, {
        modelVersion: 'm1',
        suggestions: [
          { label: 'event:08001', name: '施工噪声', probability: 0.82 },
          { label: 'event:06011', name: '暴露垃圾', probability: 0.16 },
          // Too unlikely to be worth a resident's attention.
          { label: 'event:09009', name: '机动车乱停放', probability: 0.02 },
        ],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onChange = vi.fn();
    render(<Harness description="半夜施工噪音太大吵得睡不着" onChange={onChange} />);

    expect(await screen.findByText('根据描述，可能是：')).toBeTruthy();
    expect(screen.getByText('施工噪声')).toBeTruthy();
    expect(screen.getByText('约 82%')).toBeTruthy();
    expect(screen.getByText('暴露垃圾')).toBeTruthy();
    expect(screen.queryByText('机动车乱停放')).toBeNull();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/classify');
    expect(JSON.parse(String(init?.body))).toEqual({ text: '半夜施工噪音太大吵得睡不着', k: 3 });

    fireEvent.click(screen.getByRole('button', { name: '选择“施工噪声”' }));
    expect(onChange).toHaveBeenCalledWith({ key: 'event:08001', name: '施工噪声' });
    expect(screen.getByText(zhCN['report.categorySelected'].replace('{{name}}', '施工噪声'))).toBeTruthy();
  });

  it('asks nothing for a description too short to classify', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => json(200, { modelVersion: 'm1', suggestions: [] }));
    vi.stubGlobal('fetch', fetchMock);
    render(<Harness description="垃圾" onChange={() => {}} />);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('falls back to the picker alone when the server has no model (503)', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () =>
      json(503, {
        error: { code: 'CLASSIFIER_UNAVAILABLE', message: 'no classifier model is active', details: {} },
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    render(<Harness description="胡同口垃圾成堆好几天了" onChange={() => {}} />);
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    expect(screen.queryByText('根据描述，可能是：')).toBeNull();
    expect(screen.getByLabelText(zhCN['report.categorySearch'])).toBeTruthy();
  });
});
