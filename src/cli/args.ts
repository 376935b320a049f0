/**
 * Command options via node:util parseArgs, with its errors turned into one plain line that names the command
 * and points to --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, oneLine } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
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
