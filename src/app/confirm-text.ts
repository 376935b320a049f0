/**
 * What each destructive action's dialog says (ConfirmDialog.svelte): exactly what is lost or replaced, from the
 * project's own data, and how to get it back if one can. Texts are functions so they follow a language switch.
 */
import type { ScenarioContents } from '../core/scenario/index';
import type { ConfirmRequest } from './confirm.svelte';
import { i18n } from './i18n.svelte';
import type { MessageKey } from './messages';
import type { WorkAtStake } from './workspace.svelte';

type Counted = 'confirmSteps' | 'confirmFacilities' | 'confirmScenarios' | 'confirmLayers';

/** "3 edit steps" / "1 edit step" / "3 步编辑". */
function count(key: Counted, n: number): string {
  return i18n.t(n === 1 ? (`${key}_one` as MessageKey) : key, { n: i18n.number(n) });
}

/** Deleting a scenario: its name, its steps and the facilities it changes, and that undo brings it back. */
export function deleteScenarioRequest(c: ScenarioContents): ConfirmRequest {
  const parts = (): string =>
    (
      [
        ['confirmAdded', c.added],
        ['confirmRemoved', c.removed],
        ['confirmMoved', c.moved],
        ['confirmChanged', c.changed],
      ] as const
    )
      .filter(([, n]) => n > 0)
      .map(([key, n]) => i18n.t(key, { n: i18n.number(n) }))
      .join(i18n.t('confirmListSep'));
  const what = (): string => {
    if (c.steps === 0) return i18n.t('deleteScenarioEmpty', { name: c.name });
    if (c.facilities === 0) return i18n.t('deleteScenarioSame', { name: c.name, steps: count('confirmSteps', c.steps) });
    return i18n.t('deleteScenarioChanges', {
      name: c.name,
      steps: count('confirmSteps', c.steps),
      facilities: count('confirmFacilities', c.facilities),
      parts: parts(),
    });
  };
  return {
    title: () => i18n.t('deleteScenarioTitle', { name: c.name }),
    body: [what, () => i18n.t('deleteScenarioAfter')],
    cancel: () => i18n.t('confirmKeep'),
    actions: [{ id: 'delete', label: () => i18n.t('deleteScenarioYes'), danger: true }],
    testid: 'confirm-delete-scenario',
  };
}

/** Putting the county's own layer back in place of an imported one: which layer, which file it replaces. */
export function restoreLayerRequest(what: () => string, file: string): ConfirmRequest {
  return {
    title: () => i18n.t('restoreLayerTitle', { what: what() }),
    body: [() => i18n.t('restoreLayerNow', { what: what(), file }), () => i18n.t('restoreLayerAfter', { what: what(), file })],
    cancel: () => i18n.t('confirmKeep'),
    actions: [{ id: 'restore', label: () => i18n.t('restoreLayerYes'), danger: true }],
    testid: 'confirm-restore-layer',
  };
}

/** Opening a project file over work not saved to a file: what this browser's project holds, and a copy first. */
export function openProjectRequest(file: string, county: () => string, stake: WorkAtStake): ConfirmRequest {
  return {
    title: () => i18n.t('openProjectTitle', { file }),
    body: [
      () =>
        i18n.t('openProjectNow', {
          county: county(),
          scenarios: count('confirmScenarios', stake.scenarios),
          steps: count('confirmSteps', stake.steps),
          layers: stake.layers > 0 ? count('confirmLayers', stake.layers) : '',
        }),
      () => i18n.t('openProjectAfter'),
    ],
    cancel: () => i18n.t('confirmKeep'),
    actions: [
      { id: 'save-first', label: () => i18n.t('openProjectSaveFirst') },
      { id: 'replace', label: () => i18n.t('openProjectReplace'), danger: true },
    ],
    testid: 'confirm-open-project',
  };
}
