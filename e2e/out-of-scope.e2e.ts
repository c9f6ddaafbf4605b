import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, consoleLogin, launch, type Session, streetCentre } from './support/browser.ts';

/** (b) A department sees the cases assigned to its organisation and no others. */
describe('a department user and a case outside its scope', () => {
  let session: Session | undefined;

  afterAll(async () => {
    await session?.close();
  });

  it('answers as for a case that does not exist, and shows nothing of it', async () => {
    // Setup through the public API: a fresh report, assigned to nobody yet.
    const street = await streetCentre('110102001');
    const response = await fetch(`${baseUrl()}/api/public/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-scope-${Date.now()}` },
      body: JSON.stringify({
        description: 'e2e 不属于本部门的案件',
        lng: street.center[0],
        lat: street.center[1],
      }),
    });
    expect(response.status).toBe(201);
    const { caseNumber } = (await response.json()) as { caseNumber: string };

    session = await launch();
    const { page } = session;
    await consoleLogin(page, 'demo-department_handler');
    await page.goto(`/cases/${caseNumber}`);
    // Outside its organisation the case is answered as an unknown number is (no enumeration).
    await page.getByText('未找到该案件：它不存在，或不在您的辖区或单位范围内。').waitFor();
    await expect(page.getByText('e2e 不属于本部门的案件').count()).resolves.toBe(0);
    await expect(page.getByText('可执行操作').count()).resolves.toBe(0);
    expect(session.pageErrors).toEqual([]);
  });
});
