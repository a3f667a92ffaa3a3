import { fileURLToPath } from 'node:url';
import type { AnyStateNode } from 'xstate';
import { etnaAuthMachine } from '../src/machine/etna-auth-machine.js';
import { writeOrCheck } from './generated-file.js';
import { eventLabel, guardName } from './transition-labels.js';

const DOC = fileURLToPath(new URL('../docs/statechart.md', import.meta.url));

const guardLabel = (name: string | undefined) => (name ? ` [${name}]` : '');

function edges(node: AnyStateNode, indent: string): string[] {
  const lines: string[] = [];
  for (const transition of [...node.transitions.values()].flat().concat(node.always ?? [])) {
    const targets = transition.target ?? [node];
    for (const target of targets) {
      lines.push(
        `${indent}${node.key} --> ${target.key}: ${eventLabel(transition.eventType)}${guardLabel(guardName(transition.guard))}`,
      );
    }
  }
  return lines;
}

function body(node: AnyStateNode, indent: string): string[] {
  const lines: string[] = [];
  for (const child of Object.values(node.states) as AnyStateNode[]) {
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${child.key} {`, ...body(child, `${indent}  `), `${indent}}`);
    }
    lines.push(...edges(child, indent));
    for (const tag of child.tags) lines.push(`${indent}note right of ${child.key}: tag ${tag}`);
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

export function renderStatechartDoc(): string {
  return `# The etna-auth statechart

Generated from \`src/machine/etna-auth-machine.ts\` by \`npm run docs:statechart\`; a test fails when this file
and the machine drift apart. Edit the machine, then regenerate.

\`answer\` is the \`/token\` actor's \`xstate.done.actor.requestToken\` event, routed by the guards in brackets;
\`no usable answer\` is its \`xstate.error.actor.requestToken\` event (network, timeout, HTTP, protocol, app key,
rate limit). A transition back to the same state changes only \`context.error\` (a refused input).
\`SESSION_EXPIRED\` is the session's end (\`context.sessionExpiresAt\`), sent by the machine's own session timer;
\`stored session restored\` is
taken only at start, when the \`persist\` storage held a valid session; \`logout answered\` / \`logout failed\` are
the \`POST /logout\` actor's events: the session ends either way. See [after the login](after-the-login.md).

![The etna-auth statechart: nested states as boxes, transitions as labelled arrows](statechart.svg)

[statechart.svg](statechart.svg) is the demo page's diagram, laid out by elkjs from the same machine
(\`scripts/statechart-svg.ts\`); on the page, the current state is highlighted and the last transition marked.
The same chart as Mermaid text:

\`\`\`mermaid
${renderStatechart()}
\`\`\`
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeOrCheck(DOC, renderStatechartDoc(), 'npm run docs:statechart');
}
