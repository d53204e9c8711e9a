/**
 * A per-client refresh lease across processes: whoever holds a client's lease is the one process
 * talking to its provider. The data directory lock is held only to read, take or give back a
 * lease and to write the result, never across a provider call, so a slow provider holds up no
 * reader, no other client and no other process's work (issue #11). A lease lives at most for the
 * request deadline (plus a margin), then it is stale and the next caller takes it over: a process
 * that died mid-refresh blocks its client for one deadline, not forever.
 *
 * Every function here runs under the data directory lock (withLock), so plain reads and writes of
 * the lease files cannot race each other.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from './files';

export const LEASE_DIR = 'leases';
/** Added to the request deadline: the time to write the result once the answer is in. */
export const LEASE_MARGIN_MS = 5_000;

export interface Lease {
  clientId: string;
  id: string;
  expiresAt: number;
}

interface LeaseFile {
  id: string;
  pid: number;
  host: string;
  expiresAt: number;
}

function leasePath(dataDir: string, clientId: string): string {
  return path.join(dataDir, LEASE_DIR, `${clientId}.json`);
}

function readLease(file: string): LeaseFile | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LeaseFile>;
    if (typeof value.id !== 'string' || typeof value.expiresAt !== 'number' || typeof value.pid !== 'number') return null;
    return { id: value.id, pid: value.pid, host: String(value.host ?? ''), expiresAt: value.expiresAt };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder's lease while it is live; null when the lease is free, expired or its process is gone. */
export function heldLease(dataDir: string, clientId: string, now: number): LeaseFile | null {
  const lease = readLease(leasePath(dataDir, clientId));
  if (!lease || lease.expiresAt <= now) return null;
  if (lease.host === os.hostname() && lease.pid !== process.pid && !alive(lease.pid)) return null;
  return lease;
}

/** How often a process waiting for another's refresh looks again (with the lock released meanwhile). */
export const LEASE_POLL_MS = 50;

export function leasePause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
}

/** Takes the client's lease for `ttlMs`, or says until when another process holds it. */
export function takeLease(dataDir: string, clientId: string, now: number, ttlMs: number): { lease: Lease } | { busyUntil: number } {
  const held = heldLease(dataDir, clientId, now);
  if (held) return { busyUntil: held.expiresAt };
  ensurePrivateDir(path.join(dataDir, LEASE_DIR));
  const lease: Lease = { clientId, id: randomUUID(), expiresAt: now + ttlMs };
  const file: LeaseFile = { id: lease.id, pid: process.pid, host: os.hostname(), expiresAt: lease.expiresAt };
  writeFileAtomic(leasePath(dataDir, clientId), JSON.stringify(file));
  return { lease };
}

/** Is `lease` still the one on disk (not taken over after it went stale)? */
export function stillHeld(dataDir: string, lease: Lease): boolean {
  return readLease(leasePath(dataDir, lease.clientId))?.id === lease.id;
}

/** Gives the lease back; a lease taken over meanwhile is left to its new holder. */
export function releaseLease(dataDir: string, lease: Lease): void {
  if (stillHeld(dataDir, lease)) fs.rmSync(leasePath(dataDir, lease.clientId), { force: true });
}
