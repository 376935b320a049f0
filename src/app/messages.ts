/**
 * Every string the UI shows, in both languages, composed from one module per feature in ./messages/. Each
 * module's English table is typed by its Chinese keys, so a missing translation fails typecheck; no two modules
 * may share a key (test/unit/messages.test.ts).
 */
import * as app from './messages/app';
import * as attributes from './messages/attributes';
import * as coverage from './messages/coverage';
import * as ratios from './messages/ratios';
import * as facilities from './messages/facilities';
import * as siting from './messages/siting';
import * as objectives from './messages/objectives';
import * as access from './messages/access';
import * as scenarios from './messages/scenarios';
import * as report from './messages/report';
import * as importMessages from './messages/import';
import * as dashboard from './messages/dashboard';
import * as reliability from './messages/reliability';
import * as verdicts from './messages/verdicts';
import * as errors from './messages/errors';
import * as inventory from './messages/inventory';
import * as standard from './messages/standard';
import * as projects from './messages/projects';
import * as words from './messages/words';
import * as confirm from './messages/confirm';
import * as search from './messages/search';
import * as maptools from './messages/maptools';
import * as fairness from './messages/fairness';
import * as provenance from './messages/provenance';
import * as join from './messages/join';
import * as basemap from './messages/basemap';
import * as workbook from './messages/workbook';
import * as registry from './messages/registry';
import * as field from './messages/field';
import * as terrain from './messages/terrain';
import * as emergency from './messages/emergency';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const zh = {
  ...app.zh,
  ...attributes.zh,
  ...coverage.zh,
  ...ratios.zh,
  ...facilities.zh,
  ...siting.zh,
  ...objectives.zh,
  ...access.zh,
  ...scenarios.zh,
  ...report.zh,
  ...importMessages.zh,
  ...dashboard.zh,
  ...reliability.zh,
  ...verdicts.zh,
  ...errors.zh,
  ...inventory.zh,
  ...standard.zh,
  ...projects.zh,
  ...words.zh,
  ...confirm.zh,
  ...maptools.zh,
  ...search.zh,
  ...fairness.zh,
  ...provenance.zh,
  ...join.zh,
  ...basemap.zh,
  ...workbook.zh,
  ...registry.zh,
  ...field.zh,
  ...terrain.zh,
  ...emergency.zh,
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  ...app.en,
  ...attributes.en,
  ...coverage.en,
  ...ratios.en,
  ...facilities.en,
  ...siting.en,
  ...objectives.en,
  ...access.en,
  ...scenarios.en,
  ...report.en,
  ...importMessages.en,
  ...dashboard.en,
  ...reliability.en,
  ...verdicts.en,
  ...errors.en,
  ...inventory.en,
  ...standard.en,
  ...projects.en,
  ...words.en,
  ...confirm.en,
  ...maptools.en,
  ...search.en,
  ...fairness.en,
  ...provenance.en,
  ...join.en,
  ...basemap.en,
  ...workbook.en,
  ...registry.en,
  ...field.en,
  ...terrain.en,
  ...emergency.en,
};

export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { zh, en };

export { TERMS_EN } from './messages/terms';
