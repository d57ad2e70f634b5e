/** axe-core on the page as it is now: fails the test on any serious or critical violation, naming each one. */
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * Fluent UI's focus management (tabster) puts focus sentinels around dialogs: `<i data-tabster-dummy
 * tabindex="0" aria-hidden="true">`, which only pass focus on. axe reports them as aria-hidden-focus; tabster's
 * maintainers call that intended (microsoft/tabster#288) and Accessibility Insights suppresses it
 * (microsoft/accessibility-insights-web#7605). Only those nodes are left out; the rule checks everything else.
 */
function isTabsterSentinel(ruleId: string, html: string): boolean {
  return ruleId === 'aria-hidden-focus' && /^<i [^>]*data-tabster-dummy/.test(html);
}

export async function assertNoSeriousAccessibilityViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ ...violation, nodes: violation.nodes.filter((node) => !isTabsterSentinel(violation.id, node.html)) }))
    .filter((violation) => violation.nodes.length > 0);
  const described = serious.map(
    (violation) => `${violation.id} (${violation.impact}): ${violation.help}; at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(described, [], `accessibility violations in ${what}`);
}
