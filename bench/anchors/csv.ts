/** Writes a large CSV for COPY without one giant string: rows are joined and flushed in blocks. */
import { closeSync, openSync, writeSync } from 'node:fs';

export function writeCsv(path: string, count: number, row: (i: number) => string): void {
  const fd = openSync(path, 'w');
  try {
    const block: string[] = [];
    for (let i = 0; i < count; i++) {
      block.push(row(i));
      if (block.length === 50_000 || i === count - 1) {
        writeSync(fd, block.join('\n') + '\n');
        block.length = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
}
