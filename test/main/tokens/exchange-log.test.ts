import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXCHANGE_HISTORY_LIMIT, ExchangeLog } from '../../../main/tokens/exchange-log';
import { tempFolder } from '../../helpers/temp';

const tempDir = () => tempFolder('tokendesk-exlog-');

describe('ExchangeLog', () => {
  it('keeps the last 50 exchanges of a client, oldest first, in a 0600 file', () => {
    const log = new ExchangeLog(tempDir());
    for (let i = 0; i < 3 * EXCHANGE_HISTORY_LIMIT + 7; i++) log.append('a', `v1.x.y.${i}`);
    const list = log.read('a');
    expect(list).toHaveLength(EXCHANGE_HISTORY_LIMIT);
    expect(list[0]).toBe(`v1.x.y.${2 * EXCHANGE_HISTORY_LIMIT + 7}`);
    expect(list.at(-1)).toBe(`v1.x.y.${3 * EXCHANGE_HISTORY_LIMIT + 6}`);
    const file = path.join(log.dir, 'a.log');
    expect(fs.readFileSync(file, 'utf8').trim().split('\n').length).toBeLessThan(2 * EXCHANGE_HISTORY_LIMIT);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('skips a line cut short by a crash and keeps the rest', () => {
    const log = new ExchangeLog(tempDir());
    log.append('a', 'v1.a.b.c');
    fs.appendFileSync(path.join(log.dir, 'a.log'), 'v1.a.b');
    fs.appendFileSync(path.join(log.dir, 'a.log'), '\u0000\u0000garbage\n');
    log.append('a', 'v1.d.e.f');
    expect(log.read('a')).toEqual(['v1.a.b.c', 'v1.d.e.f']);
  });

  it('reads nothing for a client without history, forgets a removed one, and refuses a path-like id', () => {
    const log = new ExchangeLog(tempDir());
    expect(log.read('none')).toEqual([]);
    log.append('a', 'v1.a.b.c');
    log.remove('a');
    expect(log.read('a')).toEqual([]);
    expect(() => log.append('../evil', 'v1.a.b.c')).toThrow('Invalid client id for an exchange log: ../evil');
  });
});
