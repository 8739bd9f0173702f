// The area control: a tree of the actor's areas (children loaded on open). It shows the current
// area's name even when the tree has not loaded that branch (after a drill-down from a chart).
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

interface Labeled {
  value: string;
  label: string;
}

const toNode = (a: AreaView, parent?: string): Node => ({ id: a.code, pId: parent, value: a.code, title: a.name, isLeaf: a.childCount === 0 || a.code.length >= 12 });

export default function AreaPicker({ code, name, onChange, label, id }: { code: string; name: string; onChange: (code: string) => void; label: string; id?: string }) {
  const [nodes, setNodes] = useState<Node[]>([]);
  useEffect(() => {
    let live = true;
    call<{ items: AreaView[] }>(api.GET('/api/v1/areas')).then((r) => live && setNodes(r.items.map((a) => toNode(a))), () => {});
    return () => {
      live = false;
    };
  }, []);
  const load = async (parent: string) => {
    if (nodes.some((n) => n.pId === parent)) return;
    try {
      const r = await call<{ items: AreaView[] }>(api.GET('/api/v1/areas/{code}/children', { params: { path: { code: parent } } }));
      setNodes((old) => [...old, ...r.items.filter((a) => !old.some((n) => n.id === a.code)).map((a) => toNode(a, parent))]);
    } catch {
      /* the branch stays closed */
    }
  };
  return (
    <TreeSelect<Labeled>
      id={id}
      treeDataSimpleMode
      treeData={nodes}
      labelInValue
      value={{ value: code, label: name }}
      onChange={(v) => v?.value && onChange(String(v.value))}
      loadData={(n) => load(String(n.value))}
      aria-label={label}
      style={{ minWidth: 220 }}
      popupMatchSelectWidth={false}
      data-testid="area-picker"
    />
  );
}
