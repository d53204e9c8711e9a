/**
 * `tokendesk import FILE|DIR [--env FILE|NAME] [--dry-run]` and `tokendesk clients export`.
 * The files are read here (the app may run in another folder) and sent whole; the preview is
 * printed before anything is saved; secrets the file lacks are asked for on the terminal, or read
 * from stdin one line each, in the order the preview lists them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportFile, ImportPreview } from '../import/types';
import type { CliDesk } from '../agent/client';
import type { ParsedArgs } from './args';
import { readLines, readSecret } from './browser';
import type { CliIo } from './commands';
import { msg } from '../model/messages';
import { CliError } from './exit';

/** A Bruno folder holds requests, not node_modules: a bound on what is read. */
const MAX_FILES = 5_000;
const SKIP_DIRS = new Set(['node_modules', '.git']);

function readFolder(root: string): ImportFile[] {
  const files: ImportFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) walk(full);
      else if (entry.isFile() && (entry.name.endsWith('.bru') || entry.name === 'bruno.json')) {
        if (files.length >= MAX_FILES) throw new CliError(msg('import_too_many_files', { path: root, max: MAX_FILES }));
        files.push({ path: path.relative(root, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(root);
  return files;
}

async function readSource(target: string, io: CliIo): Promise<ImportFile[]> {
  if (target === '-') return [{ path: 'stdin', text: await readAll(io.stdin) }];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new CliError(msg('import_no_such_file', { path: target }));
  }
  return stat.isDirectory() ? readFolder(target) : [{ path: target, text: fs.readFileSync(target, 'utf8') }];
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

export function previewLines(preview: ImportPreview): string {
  const lines = [`${preview.format}: ${preview.clients.length} client${preview.clients.length === 1 ? '' : 's'} to create`];
  preview.clients.forEach((candidate, index) => {
    const { input } = candidate;
    const kind = input.provider === 'oauth2' ? `oauth2 ${input.generic?.grant}, ${input.generic?.tokenUrl}` : `${input.provider}, ${input.baseUrl}`;
    const secret = candidate.needsSecret ? 'client secret not in the file: asked for' : candidate.hasSecret ? 'client secret found, stored encrypted' : 'no client secret needed';
    const password = candidate.needsPassword ? '; password asked for' : '';
    lines.push(`  ${index + 1}. ${input.name} (${kind}) — ${secret}${password}`);
    for (const source of candidate.sources) lines.push(`       from ${source}`);
  });
  if (preview.skipped.length > 0) {
    lines.push(`Skipped ${preview.skipped.length}:`);
    for (const skipped of preview.skipped) lines.push(`  - ${skipped.source}: ${skipped.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runImport(desk: CliDesk, args: ParsedArgs, io: CliIo): Promise<void> {
  const target = args.operands?.[0] ?? '';
  const files = await readSource(target, io);
  const envFlag = typeof args.flags['env'] === 'string' ? args.flags['env'] : null;
  // A Bruno environment is named inside the folder; a Postman environment is a file of its own.
  const folder = files.length !== 1 || files[0]!.path.endsWith('.bru') || files[0]!.path === 'bruno.json';
  const environment = envFlag === null ? null : folder ? { path: envFlag, text: '' } : { path: envFlag, text: fs.readFileSync(envFlag, 'utf8') };
  const preview = await desk.previewImport({ files, environment });
  io.stdout.write(previewLines(preview));
  if (preview.clients.length === 0) throw new CliError(msg('import_nothing'));
  if (args.flags['dry-run'] === true) return;

  const asks = preview.clients.flatMap((candidate, index) => [
    ...(candidate.needsSecret ? [{ index, field: 'clientSecret' as const, prompt: `Client secret of ${candidate.input.name}: ` }] : []),
    ...(candidate.needsPassword ? [{ index, field: 'password' as const, prompt: `Password of ${candidate.input.generic?.username} for ${candidate.input.name}: ` }] : []),
  ]);
  const secrets: Record<string, { clientSecret?: string; password?: string }> = {};
  const answers = target === '-' || io.stdin.isTTY ? [] : await readLines(io.stdin, asks.length);
  for (const [n, ask] of asks.entries()) {
    const answer = io.stdin.isTTY ? await readSecret(ask.prompt, io.stdin) : answers[n];
    if (!answer) throw new CliError(msg('import_secret_not_given', { what: ask.prompt.replace(/: $/, '') }));
    secrets[String(ask.index)] = { ...secrets[String(ask.index)], [ask.field]: answer };
  }
  const created = await desk.applyImport(preview.id, { secrets });
  io.stdout.write(`Imported ${created.length}: ${created.map((view) => view.config.name).join(', ')}.\n`);
}

export async function runExport(desk: CliDesk, args: ParsedArgs): Promise<string> {
  const names = args.names ?? [];
  return `${await desk.exportClients(names.length > 0 ? names : undefined, args.flags['with-secrets'] === true)}\n`;
}
