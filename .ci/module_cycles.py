"""No module of a crate imports, directly or around a circle, a module that
imports it (issue 10: the store's cases, procedures and settings did).

    python3 .ci/module_cycles.py crates/store/src

Reads the `crate::…`, `super::…` and child-module paths of every file (a
parent declaring its child is not an import; a parent using `child::…` is);
prints the cycles and exits 1 when there is one."""
import re,glob,os,sys
os.chdir(sys.argv[1])
def modname(f):
    f=f[:-3]
    if f.endswith('/mod'): f=f[:-4]
    return f.replace('/','::')
def exists(c): return os.path.exists(c.replace('::','/')+'.rs') or os.path.exists(c.replace('::','/')+'/mod.rs')
edges={}
for f in glob.glob('**/*.rs',recursive=True):
    if f=='lib.rs': continue
    m=modname(f)
    s=re.sub(r'//.*','',open(f).read()).split('#[cfg(test)]')[0]
    for grp in re.findall(r'crate::\{([^}]*)\}',s):
        for it in grp.split(','):
            it=it.strip().split(' as ')[0]
            if it and it[0].islower(): s+=f'\ncrate::{it}'
    refs=set()
    for r in re.findall(r'crate::([a-z_]+(?:::[a-z_]+)*)',s):
        parts=r.split('::')
        for k in range(len(parts),0,-1):
            c='::'.join(parts[:k])
            if exists(c): refs.add(c); break
    parent='::'.join(m.split('::')[:-1])
    for sup in re.findall(r'super::([a-z_]+)',s):
        c=(parent+'::'+sup) if parent else sup
        refs.add(c if exists(c) else parent)
    # a child used by its parent through its own name: `rows::x`, `use rows::*`
    for child in re.findall(r'(?:sql_mod!\(|pub mod |pub\(crate\) mod |^mod )([a-z_]+)',s,re.M):
        if re.search(r'(?<![:\w])'+child+r'::',s): refs.add(m+'::'+child)
    refs.discard(m); edges[m]=refs
color={}; stack=[]; cycles=[]
def dfs(u):
    color[u]=1; stack.append(u)
    for v in sorted(edges.get(u,())):
        if v not in edges: continue
        if color.get(v)==1: cycles.append(stack[stack.index(v):]+[v])
        elif not color.get(v): dfs(v)
    stack.pop(); color[u]=2
for u in sorted(edges):
    if not color.get(u): dfs(u)
if cycles:
    for c in cycles:
        print('module cycle in', sys.argv[1] + ':', ' -> '.join(c), file=sys.stderr)
    sys.exit(1)
print(f'{sys.argv[1]}: {len(edges)} modules, no cycle')
