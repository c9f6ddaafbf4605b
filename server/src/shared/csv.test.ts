import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv.ts';

describe('csvCell', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvCell(v).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('leaves ordinary text alone and quotes what needs quoting', () => {
    expect(csvCell('已清运')).toBe('已清运');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, '=x'])).toBe("a,1,'=x");
  });
});

describe('the hotline results CSV', () => {
  it('neutralises a feedback note that starts a formula', async () => {
    const { resultsCsv } = await import('../hotline/hotline.results.ts');
    const csv = resultsCsv([
      {
        workOrderNo: 'W-1',
        units: ['@unit'],
        signedAt: null,
        closedAt: null,
        feedbackNote: '=HYPERLINK("http://evil","点我")',
        resolved: true,
        rating: null,
      },
    ]);
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""http://evil"",""点我"")"`);
    expect(row).toContain("'@unit");
    expect(row).not.toMatch(/(^|,)[=+\-@]/);
  });
});
