import type { FlowEdge, FlowNode, Step } from '../api/catalog';
import './catalog.css';
import { useT } from '../i18n/i18n';
import { vocabLabel } from './catalog-labels';

/**
 * The process of an item drawn as boxes and arrows from its steps: the main line from the application to the
 * result top to bottom, the branches (corrections, refusal, denial) beside the step they leave from.
 * Special stages that stop the clock (勘验, 专家评审, 听证 …) are drawn dashed and say so in words.
 * It is an ordered list underneath, so a screen reader reads the steps in order.
 */

type Branch = { edge: FlowEdge; node: FlowNode; back?: { edge: FlowEdge; to: FlowNode } };

function layout(nodes: FlowNode[], edges: FlowEdge[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const chain: FlowNode[] = [];
  const seen = new Set<string>();
  let current: FlowNode | undefined = byId.get('start') ?? nodes[0];
  while (current && !seen.has(current.id)) {
    chain.push(current);
    seen.add(current.id);
    const id: string = current.id;
    const next: FlowEdge | undefined = edges.find(
      (e) => e.from === id && e.label === '' && byId.get(e.to)?.kind !== 'branch' && !seen.has(e.to),
    );
    current = next ? byId.get(next.to) : undefined;
  }
  const branches = new Map<string, Branch[]>();
  for (const edge of edges) {
    const node = byId.get(edge.to);
    if (!node || seen.has(edge.to) || !seen.has(edge.from)) continue;
    const backEdge = edges.find((e) => e.from === node.id && seen.has(e.to));
    const backTo = backEdge ? byId.get(backEdge.to) : undefined;
    const list = branches.get(edge.from) ?? [];
    list.push({ edge, node, back: backEdge && backTo ? { edge: backEdge, to: backTo } : undefined });
    branches.set(edge.from, list);
  }
  return { chain, branches };
}

/** Nodes and edges of the main line only, for a preview of steps being edited. */
export function flowFromSteps(
  steps: Partial<Step>[],
  labels: { start: string; end: string },
): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const nodes: FlowNode[] = [
    { id: 'start', label: labels.start, kind: 'start', role: null, limitDays: null },
  ];
  const edges: FlowEdge[] = [];
  steps.forEach((step, i) => {
    nodes.push({
      id: `s${i + 1}`,
      label: step.name || '—',
      kind: step.clockStops ? 'special' : 'step',
      role: step.role ?? null,
      limitDays: step.limitDays ?? null,
    });
    edges.push({ from: i === 0 ? 'start' : `s${i}`, to: `s${i + 1}`, label: '' });
  });
  nodes.push({ id: 'end', label: labels.end, kind: 'end', role: null, limitDays: null });
  edges.push({ from: steps.length === 0 ? 'start' : `s${steps.length}`, to: 'end', label: '' });
  return { nodes, edges };
}

function NodeBox({ node, roleIsKey }: { node: FlowNode; roleIsKey: boolean }) {
  const t = useT();
  const role = node.role ? (roleIsKey ? vocabLabel(t, 'stepRole', node.role) : node.role) : '';
  const details = [
    role,
    node.limitDays !== null && (node.kind === 'step' || node.kind === 'special')
      ? t('catalog.flow.days', { days: node.limitDays })
      : '',
  ].filter(Boolean);
  return (
    <div className={`tb-flow-node tb-flow-${node.kind}`} data-testid="flow-node" data-kind={node.kind}>
      <div className="tb-flow-label">{node.label}</div>
      {details.length > 0 ? <div className="tb-flow-detail">{details.join(' · ')}</div> : null}
      {node.kind === 'special' ? (
        <div className="tb-flow-special-note">{t('catalog.flow.clockStops')}</div>
      ) : null}
    </div>
  );
}

export function Flowchart({
  nodes,
  edges,
  roleIsKey = false,
  label,
}: {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Preview nodes carry the role key; the guide's carry its label already. */
  roleIsKey?: boolean;
  label?: string;
}) {
  const t = useT();
  const { chain, branches } = layout(nodes, edges);
  const hasSpecial = chain.some((n) => n.kind === 'special');
  return (
    <figure className="tb-flow" data-testid="flowchart" aria-label={label ?? t('catalog.flow.title')}>
      <ol className="tb-flow-chain">
        {chain.map((node) => (
          <li key={node.id} className="tb-flow-item">
            <NodeBox node={node} roleIsKey={roleIsKey} />
            {branches.get(node.id)?.length ? (
              <ul className="tb-flow-branches">
                {branches.get(node.id)?.map((b) => (
                  <li key={b.node.id} className="tb-flow-fork">
                    <span className="tb-flow-branch-edge">
                      <span aria-hidden="true">↳ </span>
                      {b.edge.label}
                    </span>
                    <span className={`tb-flow-node tb-flow-${b.node.kind} tb-flow-small`}>
                      {b.node.label}
                    </span>
                    {b.back ? (
                      <span className="tb-flow-branch-edge">
                        <span aria-hidden="true">↺ </span>
                        {b.back.edge.label ? `${b.back.edge.label}: ` : ''}
                        {t('catalog.flow.backTo', { step: b.back.to.label })}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
      {hasSpecial ? <figcaption className="tb-flow-legend">{t('catalog.flow.legend')}</figcaption> : null}
    </figure>
  );
}
