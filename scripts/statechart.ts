import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AnyStateNode } from 'xstate';
import { regionsOf } from '../demo/statechart/regions.js';
import { etnaAuthMachine } from '../src/machine/etna-auth-machine.js';
import { writeOrCheck } from './generated-file.js';
import { eventLabel, guardName } from './transition-labels.js';

const DOC = fileURLToPath(new URL('../docs/statechart.md', import.meta.url));

const guardLabel = (name: string | undefined) => (name ? ` [${name}]` : '');

/** A state's name in the diagram: its key at the top level, its path below (`pinSetup_saving`), as keys repeat. */
const idOf = (node: AnyStateNode) => node.path.join('_');

function edges(node: AnyStateNode, indent: string): string[] {
  const lines: string[] = [];
  for (const transition of [...node.transitions.values()].flat().concat(node.always ?? [])) {
    const targets = transition.target ?? [node];
    for (const target of targets) {
      lines.push(
        `${indent}${idOf(node)} --> ${idOf(target)}: ${eventLabel(transition.eventType)}${guardLabel(guardName(transition.guard))}`,
      );
    }
  }
  return lines;
}

function body(node: AnyStateNode, indent: string): string[] {
  const lines: string[] = [];
  for (const child of Object.values(node.states) as AnyStateNode[]) {
    if (child.path.length > 1) lines.push(`${indent}state "${child.key}" as ${idOf(child)}`);
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${idOf(child)} {`, ...body(child, `${indent}  `), `${indent}}`);
    }
    lines.push(...edges(child, indent));
    for (const tag of child.tags) lines.push(`${indent}note right of ${idOf(child)}: tag ${tag}`);
  }
  return lines;
}

/** The Mermaid diagram of the shipped machine, drawn from its own definition. */
export function renderStatechart(): string {
  const root = etnaAuthMachine.root;
  const everywhere = [...root.transitions.values()]
    .flat()
    .map((t) => `${t.eventType} (from any other state) --> ${t.target?.map((n) => n.key).join(', ')}`);
  return [
    'stateDiagram-v2',
    `  [*] --> ${root.initial.target[0]?.key}`,
    ...body(root, '  '),
    ...everywhere.map((line) => `  note left of ${root.initial.target[0]?.key}: ${line}`),
  ].join('\n');
}

/** Every state node below `node`, itself included. */
function nodesOf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...(Object.values(node.states) as AnyStateNode[]).flatMap(nodesOf)];
}

/**
 * The part of the diagram one journey takes: the state `key` (a top-level state) with everything inside it, the
 * transitions that enter it from other states, and the ones that leave it.
 */
export function renderJourneyChart(key: string): string {
  const root = etnaAuthMachine.root;
  const journey = root.states[key] as AnyStateNode | undefined;
  if (!journey) throw new Error(`no top-level state "${key}"`);
  const inside = new Set(nodesOf(journey));
  const entering: string[] = [];
  for (const node of nodesOf(root)) {
    if (inside.has(node)) continue;
    for (const line of edges(node, '  ')) {
      const target = line.split(' --> ')[1]?.split(':')[0] ?? '';
      if ([...inside].some((member) => idOf(member) === target)) entering.push(line);
    }
  }
  const nested = Object.keys(journey.states).length > 0;
  return [
    'stateDiagram-v2',
    ...entering,
    ...(nested ? [`  state ${idOf(journey)} {`, ...body(journey, '    '), '  }'] : []),
    ...edges(journey, '  '),
    ...journey.tags.map((tag) => `  note right of ${idOf(journey)}: tag ${tag}`),
  ].join('\n');
}

/** The journey guides, each with the part of the chart it explains between these markers. */
export const JOURNEY_DOCS: Readonly<Record<string, string>> = {
  'pin-setup.md': 'pinSetup',
  'password-change.md': 'passwordChange',
  'password-reset.md': 'passwordReset',
  'resend-code.md': 'expecting',
  'rate-limits.md': 'error',
  'after-the-login.md': 'succeeded',
};

const CHART_BLOCK = /<!-- chart:(\w+) -->\n[\s\S]*?<!-- \/chart -->/g;

/** A guide with its chart blocks drawn anew from the machine. */
export function withJourneyCharts(markdown: string): string {
  return markdown.replace(
    CHART_BLOCK,
    (_block, key: string) =>
      `<!-- chart:${key} -->\n\`\`\`mermaid\n${renderJourneyChart(key)}\n\`\`\`\n<!-- /chart -->`,
  );
}

export function renderStatechartDoc(): string {
  return `# The etna-auth statechart

Generated from \`src/machine/etna-auth-machine.ts\` by \`npm run docs:statechart\`; a test fails when this file
and the machine drift apart. Edit the machine, then regenerate.

\`answer\` is a request actor's \`xstate.done.actor.<id>\` event (\`/token\`, or a call beside it: the security
images, the PIN change, the password change, the secret question, the reset request, the reset code), routed by
the guards in brackets; \`no usable answer\` is its \`xstate.error.actor.<id>\` event (network, timeout, HTTP,
protocol, app key, rate limit). \`RETRY_ALLOWED\` and \`RESEND_ALLOWED\` are sent by the machine's own timers when a
rate limit's \`Retry-After\` or the resend cooldown is over. Nested states are named by their path
(\`pinSetup_saving\` is \`pinSetup.saving\`). A transition back to the same state changes only \`context.error\` (a refused input).
\`SESSION_EXPIRED\` is the session's end (\`context.sessionExpiresAt\`), sent by the machine's own session timer or its
wall-clock check; \`SESSION_ENDING_SOON\` is sent by its timer \`sessionWarning\` ms before it; \`SESSION_ACTIVITY\` by
\`createEtnaClient\` after a successful call; \`SESSION_ADOPTED\` and \`SESSION_ENDED_ELSEWHERE\` when another tab sharing
the storage logged in or ended the session;
\`stored session restored\` is
taken only at start, when the \`persist\` storage held a valid session; \`logout answered\` / \`logout failed\` are
the \`POST /logout\` actor's events: the session ends either way. See [after the login](after-the-login.md).

## The pictures

[statechart.svg](statechart.svg) is the overview: one box per region of the chart (each top-level state names
its region in \`meta.region\`), one arrow per pair of regions a transition crosses, labelled with the events that
cross (the first ones, then how many more). Each picture is drawn for a laptop's screen at 100 %, its text at
least 11 px: open it (click it) to see it at its own size.

[![The etna-auth statechart's regions: one box per region, one arrow per pair of regions a transition crosses](statechart.svg)](statechart.svg)

Each region alone, its states nested as in the machine: an arrow for each transition inside the region; a state's
box writes the rest of its transitions, each under the state it leads to or comes from: \`↻ stays\` back to the
state itself (a refused input, a timer), \`← state\` in from another region, \`→ state\` out to another region.

${regionsOf(etnaAuthMachine.root)
  .map(
    (region) =>
      `### ${region.name}\n\n[![The region ${region.name}: ${region.states.map((state) => state.key).join(', ')}](statechart/${region.name}.svg)](statechart/${region.name}.svg)`,
  )
  .join('\n\n')}

The demo page draws the same pictures (\`demo/statechart/\`, laid out by elkjs; \`scripts/statechart-svg.ts\`
writes these): the overview with the current state's region opened in place, the current state highlighted and
the last transition marked; it can open any region, zoom, pan and fit.

The same chart as Mermaid text:

\`\`\`mermaid
${renderStatechart()}
\`\`\`
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeOrCheck(DOC, renderStatechartDoc(), 'npm run docs:statechart');
  for (const name of Object.keys(JOURNEY_DOCS)) {
    const path = fileURLToPath(new URL(`../docs/${name}`, import.meta.url));
    writeOrCheck(path, withJourneyCharts(readFileSync(path, 'utf8')), 'npm run docs:statechart');
  }
}
