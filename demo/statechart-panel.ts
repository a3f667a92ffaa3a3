// The live statechart panel: drawn from the machine's own state nodes, so it cannot drift from the machine.
import type { AnyMachineSnapshot, AnyStateNode, AnyTransitionDefinition, StateValue } from 'xstate';
import { eventLabel, guardName } from '../scripts/transition-labels.js';

export interface StatechartPanel {
  /** Highlights the state nodes the snapshot is in. */
  update(snapshot: AnyMachineSnapshot): void;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function edge(transition: AnyTransitionDefinition): HTMLLIElement {
  const item = element('li', '');
  const event = element('span', 'sc-event', eventLabel(transition.eventType));
  event.title = transition.eventType;
  item.append(event);
  const guard = guardName(transition.guard);
  if (guard) item.append(' ', element('span', 'sc-guard', `[${guard}]`));
  const targets = transition.target ?? [];
  const label = targets.length ? targets.map((target) => target.path.join('.')).join(', ') : '(stays)';
  item.append(` → ${label}`);
  return item;
}

/** The state value that `snapshot.matches` takes for a node: ['expecting', 'securityPin'] → { expecting: 'securityPin' }. */
function stateValueOf(path: readonly string[]): StateValue {
  const [head, ...rest] = path;
  if (head === undefined) return {};
  return rest.length === 0 ? head : { [head]: stateValueOf(rest) };
}

export function createStatechartPanel(container: HTMLElement, root: AnyStateNode): StatechartPanel {
  const boxes: { readonly box: HTMLElement; readonly value: StateValue }[] = [];

  function draw(node: AnyStateNode): HTMLElement {
    const isRoot = node === root;
    const box = element('div', isRoot ? 'sc-state sc-root' : 'sc-state');
    const head = element('div', 'sc-head');
    head.append(element('span', 'sc-name', isRoot ? `#${node.id}` : node.key));
    for (const tag of node.tags) head.append(element('span', 'sc-badge', `tag ${tag}`));
    for (const invoked of node.invoke) head.append(element('span', 'sc-badge', `invokes ${invoked.id}`));
    box.append(head);

    const edges = element('ul', 'sc-edges');
    // Eventless transitions (`always`) are kept apart from the event-keyed ones.
    for (const transition of [...[...node.transitions.values()].flat(), ...(node.always ?? [])]) {
      const item = edge(transition);
      if (isRoot) item.append(' (from any state without its own)');
      edges.append(item);
    }
    if (edges.childElementCount) box.append(edges);

    const children = Object.values(node.states) as AnyStateNode[];
    if (children.length) {
      const nested = element('div', 'sc-children');
      nested.append(...children.map(draw));
      box.append(nested);
    }
    if (!isRoot) {
      box.dataset.state = node.path.join('.');
      boxes.push({ box, value: stateValueOf(node.path) });
    }
    return box;
  }

  container.replaceChildren(draw(root));

  return {
    update(snapshot) {
      for (const { box, value } of boxes) {
        const active = snapshot.matches(value);
        box.classList.toggle('active', active);
        if (active) box.setAttribute('aria-current', 'true');
        else box.removeAttribute('aria-current');
      }
    },
  };
}
