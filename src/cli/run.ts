/**
 * The command runner: picks the command from the registry, prints help, and turns any error into exactly one
 * line on stderr with a non-zero exit code (2 for bad input, 1 for anything else).
 */
import { EXIT_INPUT, EXIT_INTERNAL, InputError, oneLine, type CliCommand, type CliIo } from './command';
import { COMMANDS } from './registry';

async function overview(): Promise<string> {
  const lines = [
    'healthshed: county health-facility planning from the command line',
    '',
    'Usage: healthshed <command> [options]',
    '',
    'Commands:',
  ];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  lines.push('', "Run `healthshed <command> --help` for a command's options and output.", '');
  return lines.join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) throw new InputError('no command given (see healthshed --help)');
    if (name === '--help' || name === '-h' || name === 'help') {
      io.stdout(await overview());
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) throw new InputError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see healthshed --help)`);
    const { command }: { command: CliCommand } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(command.help);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`healthshed: ${oneLine(error.message)}\n`);
      return EXIT_INPUT;
    }
    // The readers refuse deep nesting with the file's name; a stack overflow that still gets here came from
    // an input nested too deeply for a recursive walk, not from a bug or from the output.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      io.stderr(`healthshed: ${name ?? ''}: an input is nested too deeply to read (${oneLine(error.message)})\n`);
      return EXIT_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`healthshed: internal error: ${oneLine(message)}\n`);
    return EXIT_INTERNAL;
  }
}
