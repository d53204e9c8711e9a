import { describe, expect, it } from 'vitest';
import { TokenDeskError, reasonOf, toErrorInfo } from '../../../main/model/errors';
import { format, MESSAGES, msg } from '../../../main/model/messages';

describe('messages as codes with parameters', () => {
  it('formats the English fallback with every placeholder filled', () => {
    expect(format(msg('client_not_found', { ref: 'nobody' }))).toBe('No client named "nobody". See the list of clients (tokendesk clients list).');
  });

  it('formats a message quoting another message', () => {
    const reason = msg('needs_signin_again', { name: 'Daou' });
    expect(format(msg('notice_needs_signin', { name: 'Daou', reason }))).toBe('"Daou" needs you to sign in again: "Daou" needs you to sign in again.');
  });

  it('leaves a placeholder whose parameter is missing visible rather than printing "undefined"', () => {
    expect(format(msg('client_name_taken'))).toBe('A client named "{name}" already exists: choose another name.');
  });

  it('every template names its parameters with word characters only', () => {
    for (const template of Object.values(MESSAGES)) expect(template.match(/\{[^}]*\}/g)?.every((p) => /^\{\w+\}$/.test(p)) ?? true).toBe(true);
  });

  it('an error built from a code carries it across IPC as data, with its English message', () => {
    const error = new TokenDeskError('conflict', msg('client_name_taken', { name: 'A' }));
    expect(error.message).toBe('A client named "A" already exists: choose another name.');
    expect(toErrorInfo(error)).toEqual({ code: 'conflict', message: error.message, text: { code: 'client_name_taken', params: { name: 'A' } } });
    expect(reasonOf(toErrorInfo(error))).toEqual({ code: 'client_name_taken', params: { name: 'A' } });
    expect(reasonOf(toErrorInfo(new TokenDeskError('network', 'offline')))).toBe('offline');
  });
});
