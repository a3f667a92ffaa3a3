#!/usr/bin/env node
// `etna-auth login`: log in from a script or a terminal; the token alone goes to stdout.
import { readFileSync } from 'node:fs';
import { EXIT } from './exit-codes.js';
import { printable } from './failure.js';
import { login } from './login.js';
import { parseCommand, USAGE, usageErrorText } from './options.js';

async function main(args: readonly string[]): Promise<number> {
  const command = parseCommand(args, process.env);
  switch (command.command) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version': {
      // ../../package.json from both src/cli and dist/cli.
      const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
      process.stdout.write(`${version}\n`);
      return 0;
    }
    case 'usage-error':
      // The message may quote an argument as typed.
      process.stderr.write(usageErrorText(printable(command.message)));
      return EXIT.usage;
    case 'login':
      return login(command.options, {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        onSignal: (listener) => {
          const onInt = () => listener('SIGINT');
          const onTerm = () => listener('SIGTERM');
          process.on('SIGINT', onInt);
          process.on('SIGTERM', onTerm);
          return () => {
            process.off('SIGINT', onInt);
            process.off('SIGTERM', onTerm);
          };
        },
      });
  }
}

process.exitCode = await main(process.argv.slice(2));
