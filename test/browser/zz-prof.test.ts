import { afterAll, beforeAll, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { getEtnaAuthPaths, runModelPathsInBrowser } from '../../src/testing/index.js';
import { type LaunchedChromium, launchChromium } from './chromium.js';
import { demoKitDriver } from './demo-kit-driver.js';

const times = new Map<string, [number, number]>();
const add = (k: string, ms: number) => { const t = times.get(k) ?? [0, 0]; t[0] += ms; t[1]++; times.set(k, t); };
function wrap<T extends object>(obj: T, prefix: string): T {
  return new Proxy(obj, { get(target, prop, recv) {
    const v = Reflect.get(target, prop, recv);
    if (typeof v !== 'function') return v;
    return (...args: unknown[]) => {
      const s = performance.now();
      const r = v.apply(target, args);
      if (r && typeof r.then === 'function') return r.then((x: unknown) => { add(`${prefix}.${String(prop)}${prop==='goto'?(String(args[0]).includes('__etna')?':blank':':app'):''}`, performance.now() - s); return prop === 'newPage' ? wrap(x as object, 'page') : x; });
      add(`${prefix}.${String(prop)}`, performance.now() - s); return r;
    };
  }});
}
let demo: DemoServer; let chromium: LaunchedChromium;
beforeAll(async () => { [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]); }, 60_000);
afterAll(async () => { await Promise.all([chromium?.close(), demo?.close()]); });
it('prof', async () => {
  const driver = demoKitDriver(demo.url);
  const d = wrap(driver, 'driver');
  const context = await chromium.newContext();
  const ctx = wrap(context, 'ctx');
  const paths = getEtnaAuthPaths().filter((p) => p.start !== 'restoring').slice(0, Number(process.env.N ?? 40));
  const s = performance.now();
  const report = await runModelPathsInBrowser(d as never, { context: ctx as never, paths });
  console.log(report.summary, (performance.now() - s).toFixed(0));
  console.log([...times].sort((a, b) => b[1][0] - a[1][0]).map(([k, [ms, n]]) => `${k}\t${ms.toFixed(0)}\t${n}`).join('\n'));
  await context.close();
}, 600_000);
