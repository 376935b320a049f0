/** The one-page report: report.html?county=shangyou&lang=zh. */
import { mount } from 'svelte';
import { i18n } from '../app/i18n.svelte';
import Failure from './Failure.svelte';
import { registerBundledFont } from './fonts';
import { readParams } from './params';
import Report from './Report.svelte';
import './report.css';

registerBundledFont();
const params = readParams(location.search);
const target = document.getElementById('report')!;
if (params.ok) {
  // The language of this page only: the app's own choice, kept in the browser, is left alone.
  i18n.lang = params.lang;
  document.documentElement.lang = i18n.locale;
  mount(Report, { target, props: { county: params.county, scenario: params.scenario } });
} else {
  document.body.dataset.reportError = params.error;
  mount(Failure, { target, props: { error: params.error } });
}
