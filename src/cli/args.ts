/**
 * Command options via node:util parseArgs, with its errors turned into one plain line that names the command
 * and points to --help.
 */
import { stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BudgetError, checkBudget, CLI_MEMORY_FRACTION, MB, MEMORY_ENV, readBytes, resolveBudget, type MemoryBudget } from '../core/budget';
import { InputError, oneLine } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Every command takes --memory-mb N: its memory budget (src/core/budget.ts), over HEALTHSHED_MEMORY_MB. */
const MEMORY_OPTION = { 'memory-mb': { type: 'string' } } as const;

/** The help line for --memory-mb, the same in every command. */
export const MEMORY_HELP = `  --memory-mb N         memory budget in MB (default: half the machine's memory, or ${MEMORY_ENV}); a larger
                        computation refuses with what to do instead of running out of memory`;

export function parseOptions<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...MEMORY_OPTION, ...options } as T & typeof MEMORY_OPTION, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new InputError(`${command}: unknown option ${unknown[1]} (see healthshed ${command} --help)`);
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    if (positional)
      throw new InputError(`${command}: unexpected argument ${positional[1]} (options take the form --name value; see --help)`);
    const missingValue = /Option '([^' ]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(message);
    if (missingValue) throw new InputError(`${command}: option ${missingValue[1]} needs a value`);
    throw new InputError(`${command}: ${oneLine(message.split('.')[0] ?? message)}`);
  }
}

/** A required string option, or an InputError naming it. */
export function required(command: string, value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new InputError(`${command}: --${name} is required (see healthshed ${command} --help)`);
  return value;
}

/** The command's memory budget: --memory-mb, else HEALTHSHED_MEMORY_MB, else half of os.totalmem(). */
export function memoryBudget(command: string, flagMb: string | undefined, env: NodeJS.ProcessEnv = process.env): MemoryBudget {
  try {
    return resolveBudget({ flagMb, envMb: env[MEMORY_ENV], machineBytes: totalmem(), fraction: CLI_MEMORY_FRACTION });
  } catch (error) {
    throw new InputError(`${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Refuses (InputError, before reading anything) when the files read whole into memory would not fit the
 * budget: their bytes, the decoded text and the parsed features (src/core/budget.ts readBytes). Files that
 * cannot be stat'ed are left to the reader's own message.
 */
export async function checkInputsFit(
  command: string,
  budget: MemoryBudget,
  paths: readonly (string | undefined)[],
  cwd: string,
): Promise<void> {
  let bytes = 0;
  for (const path of paths) {
    if (path === undefined) continue;
    try {
      bytes += (await stat(resolve(cwd, path))).size;
    } catch {
      // The reader says what is wrong with the file.
    }
  }
  try {
    const size = Math.ceil(bytes / MB).toLocaleString('en');
    checkBudget('import', readBytes(bytes), budget, { en: `reading ${size} MB of input files`, zh: `读取 ${size} MB 输入文件` });
  } catch (error) {
    if (error instanceof BudgetError) throw new InputError(`${command}: ${error.message}`);
    throw error;
  }
}
