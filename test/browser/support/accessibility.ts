/** axe-core on the page as it is now: fails the test on any serious or critical violation, naming each one. */
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export async function assertNoSeriousAccessibilityViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  const described = serious.map(
    (violation) => `${violation.id} (${violation.impact}): ${violation.help}; at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(described, [], `accessibility violations in ${what}`);
}
