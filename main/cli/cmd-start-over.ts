/**
 * `tokendesk start-over`: the key that opens the store is gone (key_missing, issue #11). The old
 * store and its exchange history are moved aside, never deleted, and an empty store with a new key
 * begins. With the key in place it changes nothing and says so.
 */
import { TokenDesk } from '../core/desk';
import type { CliIo } from './commands';
import { EXIT } from './exit';

export async function runStartOver(dataDir: string, version: string, io: CliIo): Promise<number> {
  const desk = await TokenDesk.open({ dataDir, background: false, version, startOver: true });
  try {
    const moved = desk.info().warnings.find((warning) => warning.code === 'started_over');
    io.stdout.write(moved ? `${moved.message}\n` : `The key of ${dataDir} is in place: there is nothing to start over, and nothing was changed.\n`);
    return EXIT.ok;
  } finally {
    await desk.close();
  }
}
