/**
 * The commands `healthshed` knows. Adding a command is one file in ./commands exporting `command`, and one line
 * here. Modules load only when their command runs (or for `--help`), so a command's dependencies cost the
 * others nothing.
 */
import type { CliCommand } from './command';

export const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  access: () => import('./commands/access'),
  coverage: () => import('./commands/coverage'),
  export: () => import('./commands/export'),
  ratios: () => import('./commands/ratios'),
  site: () => import('./commands/site'),
};
