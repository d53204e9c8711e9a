#!/usr/bin/env node
let cli;
try {
  cli = await import('../out/cli/index.mjs');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('out/cli/index.mjs')) throw error;
  console.error('tokendesk: the command line is not built yet: run `npm install` (or `npm run build:cli`) in the TokenDesk folder.');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
