/**
 * `npm run bench`: the performance figures the issues set targets for, printed (never a timed test).
 * Runs on Node 24 with test/helpers/ts-hooks.mjs and type transformation (main/ has TypeScript
 * parameter properties, which type stripping alone refuses); expects `npm run build` to have run.
 */
import { benchCli } from './cli.bench';
import { benchHostile, ISSUE_RSS_TARGET_MB } from './hostile.bench';
import { benchRenderer } from './renderer.bench';
import { benchTiming } from './timing.bench';
import { benchScheduler, benchStore } from './tokens.bench';

const line = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);
let failed = false;
const budget = (ok: boolean) => {
  failed ||= !ok;
  return ok ? 'ok' : 'OVER BUDGET';
};

console.log('Scheduler, 10,000 tokens');
const scheduler = await benchScheduler();
line('live timers', `${scheduler.liveTimers} (${budget(scheduler.liveTimers === 1)})`);
line('time to schedule all', `${scheduler.scheduleAllMs} ms`);
line('heap used (scheduler\'s share)', `${scheduler.heapUsedMB} MB (+${scheduler.heapDeltaMB} MB)`);

console.log('Store, 1,000 clients with full exchange history');
const store = await benchStore();
line('store file', `${store.storeFileMB} MB`);
line(`token write latency (${store.writes} writes)`, `median ${store.medianMs} ms, p95 ${store.p95Ms} ms`);

console.log('Command line: tokendesk token NAME, valid token, standalone');
const cli = await benchCli();
line(`median of ${cli.runs} runs`, `${cli.tokenMedianMs.toFixed(1)} ms`);
line('median of node -e 0', `${cli.nodeMedianMs.toFixed(1)} ms`);
line('ratio (target < 2.5)', `${cli.ratio.toFixed(2)} (${budget(cli.ratio < 2.5)})`);

console.log('Times and memory that were unit-test budgets (issue #10), medians of 20 where repeated');
const timing = await benchTiming();
line('deciding whether an app can start (< 50 ms)', `${timing.appLaunchDecisionMs} ms (${budget(timing.appLaunchDecisionMs < 50)})`);
line('connecting to an absent agent (< 500 ms)', `${timing.agentAbsentMs} ms (${budget(timing.agentAbsentMs < 500)})`);
line('held lock given up after 300 ms (< 2,000 ms)', `${timing.lockGiveUpMs} ms (${budget(timing.lockGiveUpMs >= 290 && timing.lockGiveUpMs < 2000)})`);
line('trickling body, 400 ms deadline (< 5,000 ms)', `${timing.trickleDeadlineMs} ms (${budget(timing.trickleDeadlineMs < 5000)})`);
line('RSS growth refusing a 64 MiB gzip bomb (< 48)', `${timing.gzipBombRssMB} MB (${budget(timing.gzipBombRssMB < 48)})`);

console.log('Hostile provider (issue #11)');
const hostile = await benchHostile();
line('issue against a 50 MB response: peak RSS', `${hostile.issuePeakRssMB} MB (exit ${hostile.issueExitCode}; ${budget(hostile.issuePeakRssMB < ISSUE_RSS_TARGET_MB)})`);
line(`another issue while a provider takes ${hostile.slowProviderMs / 1000} s`, `${hostile.contendedMs} ms (alone: ${hostile.aloneMs} ms)`);
line('of which waiting for the data directory', `${hostile.lockWaitMs} ms (${budget(hostile.lockWaitMs < hostile.slowProviderMs / 2)})`);
line('done while the slow provider still had not answered', `${hostile.finishedBeforeSlow ? 'yes' : 'no'} (${budget(hostile.finishedBeforeSlow)})`);

console.log('Renderer in Chromium, 20 and 1,000 clients');
// One run measures both sizes, so their ratio compares like with like on a busy machine.
const small = await benchRenderer({ clients: 20 });
const renderer = await benchRenderer({ clients: 1000 });
const tickRatio = Math.round((renderer.tickMs / small.tickMs) * 100) / 100;
line('first render after the data arrives (1,000)', `${renderer.firstRenderMs} ms (${budget(renderer.firstRenderMs <= 150)})`);
line('to the next frame (style and layout too)', `${renderer.firstFrameMs} ms`);
line('its scripting, thread time, 20 / 1,000', `${small.firstRenderScriptMs} / ${renderer.firstRenderScriptMs} ms`);
line('rows in the DOM at 20 / 1,000 clients', `${small.renderedRows} / ${renderer.renderedRows}`);
line('one countdown tick, scripting, 20 clients', `${small.tickMs} ms, max ${small.tickScriptMs.max} ms`);
line('one countdown tick, scripting, 1,000 clients', `${renderer.tickMs} ms, max ${renderer.tickScriptMs.max} ms (${budget(renderer.tickMs <= 8)})`);
line('tick ratio 1,000 / 20 (target < 1.5)', `${tickRatio} (${budget(tickRatio < 1.5)})`);
line('renderer JS, gzipped', `${renderer.jsGzipKB} KB (${budget(renderer.jsGzipKB <= 150)})`);

process.exitCode = failed ? 1 : 0;
