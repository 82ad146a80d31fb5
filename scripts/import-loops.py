#!/usr/bin/env python3
# Lists the import cycles between the files of src/ (issue 26.6), from `use crate::…`/`use super::…`
# lines (a group `use super::{a, b}` names each item) and, with --inline, from every
# `crate::…`/`super::…` path in the code (test modules, `tests.rs` and `#[cfg(test)]` onwards, and
# comments left out; a module's own children named by a relative path or `self::` are not edges).
# One line per cycle: its size and its modules. Run from the repository: scripts/import-loops.py --inline
# It reads the graph architecture::no_import_loop_between_modules reads, which requires none; this
# prints nothing when there is none.
import os, re, sys
root = 'src'
files = {}
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs') and f != 'tests.rs':
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)[:-3]
            parts = rel.split('/')
            if parts[-1] == 'mod': parts = parts[:-1]
            if parts == ['lib'] or parts == ['main']: parts = []
            files['::'.join(parts)] = p
mods = set(files)
def code(p):
    """A file's code before its `#[cfg(test)]` module, without `//` comments (as
    tests/it/architecture.rs reads it)."""
    out = []
    for line in open(p).read().split('\n'):
        if line.strip() == '#[cfg(test)]':
            break
        out.append(line.split('//')[0])
    return '\n'.join(out)
def resolve(path):
    segs = path.split('::')
    while segs:
        m = '::'.join(segs)
        if m in mods: return m
        segs = segs[:-1]
    return None
edges = {m: set() for m in mods}
for m, p in files.items():
    text = code(p)
    for u in re.finditer(r'^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);', text, re.M):
        body = re.sub(r'\s+', '', re.sub(r'\s+as\s+', '@', u.group(1)))
        # expand one level of braces
        mm = re.match(r'^(crate|super)((?:::\w+)*)::\{(.*)\}$', body)
        heads = []
        if mm:
            for item in re.split(r',(?![^{]*\})', mm.group(3)):
                heads.append(mm.group(1) + mm.group(2) + '::' + item.split('::{')[0])
        else:
            heads.append(body)
        for h in heads:
            h = h.split('@')[0]
            segs = h.split('::')
            if segs[0] == 'crate': base = []
            elif segs[0] == 'super':
                # in foo/mod.rs as in foo.rs, `super` is the parent of the module foo.
                base = (m.split('::') if m else [])[:-1]
            else: continue
            t = resolve('::'.join([s for s in base + segs[1:] if s not in ('self', '*')]))
            if t is not None and t != m and t != '':
                edges[m].add(t)
if '--inline' in sys.argv:
    for m, p in files.items():
        text = code(p)
        for u in re.finditer(r'\b(crate|super)((?:::\w+)+)', text):
            segs = [u.group(1)] + u.group(2).split('::')[1:]
            base = [] if segs[0] == 'crate' else (m.split('::') if m else [])[:-1]
            t = resolve('::'.join(base + segs[1:]))
            if t and t != m: edges[m].add(t)
# Tarjan
idx = {}; low = {}; st = []; on = set(); sccs = []; c = [0]
sys.setrecursionlimit(10000)
def sc(v):
    idx[v] = low[v] = c[0]; c[0] += 1; st.append(v); on.add(v)
    for w in edges[v]:
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        comp = []
        while True:
            w = st.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(sorted(comp))
for v in sorted(mods):
    if v not in idx: sc(v)
for comp in sorted(sccs):
    print(len(comp), ' '.join(comp))
