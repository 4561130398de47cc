/**
 * How long until the last 08:30 digest is delivered, for a district's staff (default 1,642: the 600-grid synthetic
 * district), one digest each: the WeChat bot's pace (one account: a burst of OUTBOX_BURST, then one message every
 * 2–5 s) against the WeCom app's (a burst of WECOM_APP_BURST, then one every WECOM_APP_GAP_MS; 30 a minute per
 * member never binds for one digest each). It runs the sender's own pacing rules (pacing.models) on a virtual
 * clock, with the seeded random the tests use; network time per call is added as a flat figure (--wecom-call-ms,
 * --wechat-call-ms), since neither network is here. `npx tsx bench/digest-delivery.ts [--staff N] [--wecom-share 0..1]`
 */
import { parseArgs } from './lib/args';
import { type PacingConfig, createBucket, createSeededRandom, pacingWait, takeToken } from '../src/modules/notifications/pacing.models';

function lastDeliveryMs({ messages, pacing, callMs, seed }: { messages: number; pacing: PacingConfig; callMs: number; seed: number }): number {
  const random = createSeededRandom(seed);
  let now = 0;
  let bucket = createBucket({ config: pacing, now, random });
  for (let i = 0; i < messages; i++) {
    const w = pacingWait({ bucket, config: pacing, now, random });
    bucket = w.bucket;
    now += Math.max(0, w.waitMs);
    bucket = takeToken({ bucket, config: pacing, now, random }).bucket;
    now += callMs;
  }
  return now;
}

const fmt = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);

const args = parseArgs(process.argv.slice(2));
const staff = Number(args.staff ?? 1642);
const share = Number(args['wecom-share'] ?? 1);
const wechatPacing: PacingConfig = { burst: 5, minGapMs: 2000, maxGapMs: 5000 };
const wecomPacing: PacingConfig = { burst: 20, minGapMs: 20, maxGapMs: 20 };
const wechatCallMs = Number(args['wechat-call-ms'] ?? 300);
const wecomCallMs = Number(args['wecom-call-ms'] ?? 100);
const onWecom = Math.round(staff * share);
const wechatOnly = lastDeliveryMs({ messages: staff, pacing: wechatPacing, callMs: wechatCallMs, seed: 1 });
// The two senders run side by side: the last digest is the later of the two streams.
const mixed = Math.max(
  lastDeliveryMs({ messages: onWecom, pacing: wecomPacing, callMs: wecomCallMs, seed: 2 }),
  lastDeliveryMs({ messages: staff - onWecom, pacing: wechatPacing, callMs: wechatCallMs, seed: 1 }),
);
console.log(`| staff | WeChat only (one account, 2–5 s) | ${Math.round(share * 100)} % on WeCom (20 ms app gap), the rest on WeChat |`);
console.log('|---|---|---|');
console.log(`| ${staff.toLocaleString('en-US')} | ${fmt(wechatOnly)} | ${fmt(mixed)} |`);
