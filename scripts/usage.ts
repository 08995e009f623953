/** Prints a tool's usage and ends the process when the command line asks for it (--help or -h). */
export function answerHelp(argv: readonly string[], usage: string): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  process.stdout.write(`${usage.trim()}\n`);
  process.exit(0);
}
