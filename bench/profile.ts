// A loop of logins of one flow over the instant in-process fetch, for a CPU profile of what the machine runs per
// login: `node --cpu-prof --cpu-prof-dir=.profiles --import tsx bench/profile.ts pinAndCode 20000`, then
// `node --import tsx bench/profile-summary.ts .profiles/<file>.cpuprofile` (self time by function and file).
// `machine` (the default), `careful` or `plain` as a third argument profiles that way of logging in instead.
import { createEtnaAuthMachine } from '../src/index.js';
import { carefulPost, FLOW_USERS, floorLogin, handClient, machineLogin, plainPost } from './flows.js';
import { instantEtnaFetch } from './instant-fetch.js';

const flow = (process.argv[2] ?? 'pinAndCode') as keyof typeof FLOW_USERS;
const logins = Number(process.argv[3] ?? 10_000);
const kind = process.argv[4] ?? 'machine';
const user = FLOW_USERS[flow];
if (!user) throw new Error(`no flow ${flow}: one of ${Object.keys(FLOW_USERS).join(', ')}`);

const fetch = instantEtnaFetch(Object.values(FLOW_USERS));
const tokenUrl = 'https://bench.example/api/token';
const machine = createEtnaAuthMachine({ baseUrl: 'https://bench.example/api/', appKey: 'bench-key', fetch });
const careful = carefulPost(fetch);
const plain = plainPost(handClient(fetch));
const login = {
  machine: () => machineLogin(machine, user),
  careful: () => floorLogin(careful, tokenUrl, 'bench-key', user),
  plain: () => floorLogin(plain, tokenUrl, 'bench-key', user),
}[kind];
if (!login) throw new Error(`no kind ${kind}: machine, careful or plain`);

const started = performance.now();
// CPU time beside wall time: on a shared machine the wall time counts other work's turns too.
const cpuBefore = process.cpuUsage();
for (let index = 0; index < logins; index++) await login();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  `${logins} ${kind} logins (${flow}): ${((ms * 1000) / logins).toFixed(1)} µs each, ${((cpu.user + cpu.system) / logins).toFixed(1)} µs of CPU`,
);
