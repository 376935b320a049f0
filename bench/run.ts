/** `npm run bench`: prints figures, each beside a baseline measured in the same run. */
import os from 'node:os';
import { benchBrowserEdit } from './browser-edit.bench';
import { benchBuffer, benchNetwork, benchSampleEdit } from './coverage.bench';
import { benchScale } from './scale.bench';

console.log(
  `# Healthshed benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`,
);
const only = process.argv[2];
if (!only || only === 'buffer') benchBuffer();
if (!only || only === 'network') benchNetwork();
if (!only || only === 'scale') benchScale();
if (!only || only === 'sample') await benchSampleEdit();
if (!only || only === 'browser') await benchBrowserEdit();
