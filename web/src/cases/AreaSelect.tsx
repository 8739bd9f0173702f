// An area picker over the actor's area tree (children loaded on open), for filters.
import { useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { api, call } from '../api/client';
import type { AreaView } from '../api/types';

interface Node {
  id: string;
  pId?: string;
  value: string;
  title: string;
  isLeaf: boolean;
}

const toNode = (a: AreaView, parent?: string): Node => ({ id: a.code, pId: parent, value: a.code, title: a.name, isLeaf: a.childCount === 0 || a.code.length >= 12 });

export default function AreaSelect({ value, onChange, placeholder, style }: { value?: string; onChange: (code: string | undefined) => void; placeholder?: string; style?: React.CSSProperties }) {
  const [nodes, setNodes] = useState<Node[]>([]);
  useEffect(() => {
    call<{ items: AreaView[] }>(api.GET('/api/v1/areas')).then((r) => setNodes(r.items.map((a) => toNode(a))), () => {});
  }, []);
  const load = async (code: string) => {
    if (nodes.some((n) => n.pId === code)) return;
    try {
      const r = await call<{ items: AreaView[] }>(api.GET('/api/v1/areas/{code}/children', { params: { path: { code } } }));
      setNodes((old) => [...old, ...r.items.filter((a) => !old.some((n) => n.id === a.code)).map((a) => toNode(a, code))]);
    } catch {
      /* leave it closed */
    }
  };
  return (
    <TreeSelect
      treeDataSimpleMode
      treeData={nodes}
      value={value}
      onChange={(v) => onChange((v as string | undefined) || undefined)}
      loadData={(n) => load(String(n.value))}
      allowClear
      placeholder={placeholder}
      aria-label={placeholder}
      style={style}
      popupMatchSelectWidth={false}
    />
  );
}
