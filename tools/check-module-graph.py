#!/usr/bin/env python3
"""The import graph of a crate's modules: fails on a cycle or an arrow back up (make lint).

Reads every `.rs` file under a crate's `src/`, names it by its module path (`src/api/client.rs` is
`api::client`, `src/api/mod.rs` or `src/api.rs` is `api`), and draws an arrow from a module to every
module it names through `crate::…` or `super::…`, in `use` lines and in paths written inline alike
(an inline `crate::x::f()` is as much a dependency as a `use`). An arrow to a room (`crate::api`) is
an arrow to that room's own file. A module's private parts (`mod views;` used as `views::…`) are
the module itself and draw no arrow. Test code (`#[cfg(test)]` blocks and files) is not read: a
test may reach anywhere.

Rooms: when the crate root's `//!` map has a table whose rows start with a linked room name
(`//! | [`text`] | … |`), those rows are the rooms from the bottom up, and an arrow from a module
in one room to a module of a room listed after it "points back up" and fails, as does an arrow from
another room to a room's map (its `mod.rs`, whose re-exports are for the glue). A room may be one
file (`secrets.rs` with private parts): that file defines what it holds, so it is imported as is.

Usage: check-module-graph.py [--stats] [--self-test] CRATE_SRC...
Exit 1 with each cycle and each arrow back up printed when the graph of any crate has one.
`--self-test` first proves the check fails on small crates written for it (a cycle through a
`use` group and an inline path, an arrow back up, an import of a room's map) and passes a clean one.
"""
import os
import re
import sys

PATH = re.compile(r'\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)')
USE_GROUP = re.compile(r'\buse\s+(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^;]*)\}\s*;', re.S)


def module_name(src, path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] in ('lib', 'main') and len(rel) == 1:
        return ''
    if rel[-1] == 'mod':
        rel = rel[:-1]
    return '::'.join(rel)


def strip_tests(text):
    """Drops `#[cfg(test)] mod … { … }` blocks and comments, so test-only imports do not count."""
    text = re.sub(r'//[^\n]*', '', text)
    out = []
    i = 0
    marker = re.compile(r'#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+\w+\s*\{')
    while True:
        m = marker.search(text, i)
        if not m:
            out.append(text[i:])
            break
        out.append(text[i:m.start()])
        depth = 1
        j = m.end()
        while j < len(text) and depth:
            if text[j] == '{':
                depth += 1
            elif text[j] == '}':
                depth -= 1
            j += 1
        i = j
    return ''.join(out)


def resolve(modules, here, root, segs):
    """The longest known module named by `root::segs` written in module `here`."""
    if root == 'crate':
        base = []
    else:
        base = here.split('::')[:-1] if here else []
        while segs and segs[0] == 'super':
            base = base[:-1]
            segs = segs[1:]
    parts = base + segs
    for n in range(len(parts), 0, -1):
        name = '::'.join(parts[:n])
        if name in modules:
            return name
    return None


TEST_MOD = re.compile(r'#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+(\w+)\s*;')


def graph(src):
    files = []
    for dirpath, _, names in os.walk(src):
        files += [os.path.join(dirpath, n) for n in names if n.endswith('.rs')]
    modules = {module_name(src, f): f for f in files}
    for name, path in list(modules.items()):
        with open(path, encoding='utf-8') as f:
            for test in TEST_MOD.findall(f.read()):
                modules.pop('::'.join(p for p in (name, test) if p), None)
    edges = {m: set() for m in modules}
    for here, path in modules.items():
        with open(path, encoding='utf-8') as f:
            text = strip_tests(f.read())
        refs = []
        for m in USE_GROUP.finditer(text):
            prefix = [s for s in m.group(2).split('::') if s]
            for item in re.split(r'[,\s]+', re.sub(r'\{[^}]*\}', '', m.group(3))):
                item = item.split('::')[0].strip()
                if item and item != 'self':
                    refs.append((m.group(1), prefix + [item]))
                elif item == 'self':
                    refs.append((m.group(1), prefix))
        for m in PATH.finditer(text):
            refs.append((m.group(1), [s for s in m.group(2).split('::') if s]))
        for root, segs in refs:
            target = resolve(modules, here, root, segs)
            if target is not None and target != here and target != '':
                edges[here].add(target)
    return modules, edges


def cycles(edges):
    """Tarjan's strongly connected components of more than one module."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def floors(edges):
    """The longest chain of arrows below each module (its floor); 0 for one that imports nothing."""
    memo = {}

    def depth(v, seen):
        if v in memo:
            return memo[v]
        if v in seen:
            return 0
        d = 1 + max((depth(w, seen | {v}) for w in edges[v]), default=-1)
        memo[v] = d
        return d

    return {v: depth(v, frozenset()) for v in edges}


def rooms(src):
    """The rooms of the crate root's map, bottom first (see the module doc); [] without one."""
    for root in ('lib.rs', 'main.rs'):
        path = os.path.join(src, root)
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                return re.findall(r'^//! \| \[`(\w+)`\] \|', f.read(), re.M)
    return []


def upward(modules, edges, order):
    """Arrows that point back up the rooms, or into a room's re-exports from inside the crate."""
    rank = {room: i for i, room in enumerate(order)}
    bad = []
    for v in sorted(edges):
        for w in sorted(edges[v]):
            rv, rw = v.split('::')[0], w.split('::')[0]
            if w in rank and modules[w].endswith('mod.rs') and not v.startswith(w + '::'):
                bad.append((v, w, 'imports the room\'s re-exports; import from the file that defines it'))
            elif rv in rank and rw in rank and rank[rw] > rank[rv]:
                bad.append((v, w, f'points back up: room {rw} is above room {rv}'))
    return bad


def problems(src):
    """Every cycle and arrow back up of the crate at `src`, as lines."""
    modules, edges = graph(src)
    out = [' '.join(c) for c in cycles(edges)]
    out += [f'{v} -> {w}' for v, w, _ in upward(modules, edges, rooms(src))]
    return out


def self_test():
    """Fails (exit 2) unless the check finds what it must in crates written for it."""
    import tempfile
    lib = ('//! | room | holds |\n//! |---|---|\n//! | [`low`] | x |\n//! | [`high`] | y |\n'
           'pub mod high;\npub mod low;\n')
    cases = {
        'clean': {'lib.rs': lib, 'low/mod.rs': 'pub mod a;\npub mod b;\n',
                  'low/a.rs': 'pub fn f() {}\n', 'low/b.rs': 'use crate::low::a::f;\n',
                  'high/mod.rs': 'pub mod c;\n', 'high/c.rs': 'fn g() { crate::low::b::h() }\n'},
        'cycle': {'lib.rs': 'mod a;\nmod b;\n', 'a.rs': 'use crate::{b::x, c};\n',
                  'b.rs': 'fn y() { super::a::z() }\n'},
        'up': {'lib.rs': lib, 'low/mod.rs': 'pub mod a;\n', 'high/mod.rs': 'pub mod c;\n',
               'low/a.rs': 'use crate::high::c::G;\n', 'high/c.rs': 'pub const G: u8 = 1;\n'},
        'map': {'lib.rs': lib, 'low/mod.rs': 'pub mod a;\npub use a::F;\n', 'low/a.rs': '',
                'high/mod.rs': 'pub mod c;\n', 'high/c.rs': 'use crate::low::F;\n'},
        'test-only': {'lib.rs': 'mod a;\nmod b;\n', 'a.rs': 'use crate::b::x;\n',
                      'b.rs': '#[cfg(test)]\nmod tests {\n    use crate::a::y;\n}\n'},
    }
    expect = {'clean': 0, 'cycle': 1, 'up': 1, 'map': 1, 'test-only': 0}
    for name, files in cases.items():
        with tempfile.TemporaryDirectory() as src:
            for rel, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
                with open(os.path.join(src, rel), 'w', encoding='utf-8') as f:
                    f.write(text)
            found = problems(src)
            if len(found) != expect[name]:
                print(f'self-test {name}: expected {expect[name]} problem(s), found {found}')
                sys.exit(2)
    print(f'check-module-graph self-test: {len(cases)} crates judged as expected')


def main(argv):
    if '--self-test' in argv:
        self_test()
    stats = '--stats' in argv
    srcs = [a for a in argv if not a.startswith('--')]
    bad = False
    for src in srcs:
        modules, edges = graph(src)
        found = cycles(edges)
        order = rooms(src)
        if stats:
            arrows = sum(len(e) for e in edges.values())
            print(f'{src}: {len(modules)} files, {arrows} import arrows, '
                  f'{len(found)} cycles, {1 + max(floors(edges).values(), default=0)} floors')
        for comp in found:
            bad = True
            print(f'{src}: import cycle between ' + ', '.join(comp))
            for v in comp:
                for w in sorted(edges[v] & set(comp)):
                    print(f'    {v} -> {w}')
        for v, w, why in upward(modules, edges, order):
            bad = True
            print(f'{src}: {v} -> {w} {why}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
