// A worker thread does not inherit the main thread's tsx loader: it registers its own, then runs the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./field-thread.worker.ts', import.meta.url).href);
