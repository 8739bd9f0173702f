// The area tree: the actor's root, children loaded when a node opens.
import { useEffect, useState } from 'react';
import { Input, Spin, Tree } from 'antd';
import type { DataNode, EventDataNode } from 'antd/es/tree';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { AreaView } from '../api/types';

interface Node extends DataNode {
  key: string;
  children?: Node[];
}

const toNode = (a: AreaView): Node => ({ key: a.code, title: a.name, isLeaf: a.childCount === 0 });

function withChildren(list: Node[], key: string, children: Node[]): Node[] {
  return list.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: withChildren(n.children, key, children) } : n));
}

export default function AreaTree({ selected, onSelect, searchable = true }: { selected?: string; onSelect: (code: string, name: string) => void; searchable?: boolean }) {
  const { t } = useTranslation();
  const [tree, setTree] = useState<Node[] | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [found, setFound] = useState<AreaView[] | null>(null);

  useEffect(() => {
    call<{ items: AreaView[] }>(api.GET('/api/v1/areas')).then((r) => {
      const roots = r.items.map(toNode);
      setTree(roots);
      setExpanded(roots.map((n) => n.key));
    }, () => setTree([]));
  }, []);

  // Opening the root's first level without a click.
  useEffect(() => {
    if (!tree) return;
    for (const n of tree) if (!n.children && !n.isLeaf) void load(n.key);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tree === null]);

  async function load(code: string) {
    try {
      const r = await call<{ items: AreaView[] }>(api.GET('/api/v1/areas/{code}/children', { params: { path: { code } } }));
      setTree((old) => (old ? withChildren(old, code, r.items.map(toNode)) : old));
    } catch {
      setTree((old) => (old ? withChildren(old, code, []) : old));
    }
  }

  const search = async (q: string) => {
    if (!q.trim()) {
      setFound(null);
      return;
    }
    try {
      setFound((await call<{ items: AreaView[] }>(api.GET('/api/v1/areas', { params: { query: { q, limit: 30 } } }))).items);
    } catch {
      setFound([]);
    }
  };

  if (!tree) return <Spin />;
  return (
    <div>
      {searchable && <Input.Search allowClear placeholder={t('areas.search')} aria-label={t('areas.search')} onSearch={search} style={{ marginBottom: 8 }} />}
      {found ? (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('areas.results')}>
          {found.length === 0 && <li>{t('common.none')}</li>}
          {found.map((a) => (
            <li key={a.code}>
              <a href="#" onClick={(e) => { e.preventDefault(); onSelect(a.code, a.name); }}>{a.name}</a>{' '}
              <span className="jz-sub">{a.parentName} {a.code}</span>
            </li>
          ))}
        </ul>
      ) : (
        <Tree
          className="jz-tree"
          treeData={tree}
          expandedKeys={expanded}
          onExpand={(keys) => setExpanded(keys as string[])}
          selectedKeys={selected ? [selected] : []}
          loadData={(n: EventDataNode<Node>) => (n.children ? Promise.resolve() : load(String(n.key)))}
          onSelect={(keys, info) => {
            const k = keys[0];
            if (k !== undefined) onSelect(String(k), String(info.node.title));
          }}
          blockNode
        />
      )}
    </div>
  );
}
