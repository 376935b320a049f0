/** GDAL as an independent reference for the tests: gdaltransform (Debian gdal-bin, PROJ underneath). */
import { spawn } from 'node:child_process';

export type Pt = readonly [number, number];

/**
 * Runs gdaltransform on pairs (traditional GIS order: lon lat / easting northing) and parses its output. Fails,
 * never skips, when gdaltransform is not installed.
 */
export function gdaltransform(source: string, target: string, points: readonly Pt[]): Promise<Pt[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('gdaltransform', ['-s_srs', source, '-t_srs', target, '-output_xy']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error('gdaltransform is not installed: it comes with Debian gdal-bin (scripts/system-deps.sh)') : e),
    );
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`gdaltransform ${source} → ${target} exited ${code}: ${err}`));
      const rows = out
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/).map(Number) as unknown as Pt);
      if (rows.length !== points.length) return reject(new Error(`gdaltransform returned ${rows.length} rows for ${points.length}`));
      resolvePromise(rows);
    });
    child.stdin.end(points.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n');
  });
}
