#!/usr/bin/env python3
"""Writes the unrolled register-tile kernels of GemmMicroKernel.java (one method per tile shape) and the
GemmTile enum constants.

C2 keeps a FloatVector in a register only when it is its own local variable, so each tile shape is a
hand-unrolled method; this script writes them so they stay identical in form.

    python3 kernels/tools/gemm_microkernels.py 8x3,6x3,8x2,6x2,4x3,4x2,3x3

(MRxNRV: rows by vectors). It replaces the methods between the dispatcher and writeBack in
GemmMicroKernel.java, the dispatcher's cases and the enum constants of GemmTile.java.
"""
import os
import sys,re
shapes=[tuple(map(int,s.split("x"))) for s in sys.argv[1].split(",")]
out=[]
for mr,nv in shapes:
    name=f"tile{mr}x{nv}"
    s=[]
    s.append(f"    /** The {mr}×{nv}-vector tile: {mr*nv} accumulators and {nv} B vectors in registers. */")
    s.append(f"    private static void {name}(int kc, float[] ap, int aBase, MemorySegment bp, long bBase, float alpha, float beta,")
    s.append(f"            MemorySegment c, long cOff, long cRs, long cCs, int mr, int nr, float[] tile) {{")
    s.append(f"        final int tileNr = {nv} * L;")
    s.append("        FloatVector c00 = FloatVector.zero(S)" + "".join(f", c0{j} = c00" for j in range(1,nv)) + ";")
    for i in range(1,mr):
        s.append("        FloatVector " + ", ".join(f"c{i}{j} = c00" for j in range(nv)) + ";")
    s.append("        int ai = aBase;")
    s.append("        long bOff = bBase * 4;")
    s.append(f"        for (int p = 0; p < kc; p++, ai += {mr}) {{")
    s.append(f"            long bi = bOff + p * ({4*nv}L * L);")
    for j in range(nv):
        off = "bi" if j==0 else ("bi + 4L * L" if j==1 else f"bi + {4*j}L * L")
        s.append(f"            FloatVector b{j} = FloatVector.fromMemorySegment(S, bp, {off}, NATIVE);")
    for i in range(mr):
        ai = "ai" if i==0 else f"ai + {i}"
        s.append(f"            {'FloatVector a' if i==0 else 'a'} = FloatVector.broadcast(S, ap[{ai}]);")
        for j in range(nv):
            s.append(f"            c{i}{j} = a.fma(b{j}, c{i}{j});")
    s.append("        }")
    s.append(f"        if (mr == {mr} && nr == tileNr && cCs == 1) {{")
    s.append("            // A whole tile over unit-stride rows: straight from the accumulators to C, c ← α·acc (+ β·c).")
    s.append("            FloatVector va = FloatVector.broadcast(S, alpha);")
    s.append("            long row = cOff * 4;")
    s.append("            long rowStep = cRs * 4;")
    s.append("            if (beta == 0) { // C is not read: it may hold NaN")
    for i in range(mr):
        for j in range(nv):
            at = "row" if j==0 else ("row + 4L * L" if j==1 else f"row + {4*j}L * L")
            s.append(f"                c{i}{j}.mul(va).intoMemorySegment(c, {at}, NATIVE);")
        if i < mr-1: s.append("                row += rowStep;")
    s.append("            } else {")
    s.append("                // Every load of the C tile before any store: with a row stride a multiple of 4 KiB, a load")
    s.append("                // after a store to another row looks dependent on it (4K aliasing) and waits for it.")
    s.append("                FloatVector vb = FloatVector.broadcast(S, beta);")
    def at(i, j):
        r = "row" if i==0 else ("row + rowStep" if i==1 else f"row + {i} * rowStep")
        return r if j==0 else f"{r} + {4*j}L * L"
    for i in range(mr):
        for j in range(nv):
            s.append(f"                FloatVector d{i}{j} = FloatVector.fromMemorySegment(S, c, {at(i,j)}, NATIVE);")
    for i in range(mr):
        for j in range(nv):
            s.append(f"                d{i}{j}.fma(vb, c{i}{j}.mul(va)).intoMemorySegment(c, {at(i,j)}, NATIVE);")
    s.append("            }")
    s.append("            return;")
    s.append("        }")
    s.append("        // An edge or strided tile: spill through the scratch tile, inline here: a vector passed to a call")
    s.append("        // that C2 does not inline gets boxed, and the box allocation then moves into the k loop.")
    for i in range(mr):
        for j in range(nv):
            row = "" if i==0 else ("tileNr" if i==1 else f"{i} * tileNr")
            col = "" if j==0 else ("L" if j==1 else f"{j} * L")
            idx = " + ".join([x for x in (row,col) if x]) or "0"
            s.append(f"        c{i}{j}.intoArray(tile, {idx});")
    s.append(f"        writeBack({mr}, tileNr, tile, alpha, beta, c, cOff, cRs, cCs, mr, nr);")
    s.append("    }")
    out.append("\n".join(s))
kern="\n\n".join(out)+"\n\n"
SIMD = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'java', 'org', 'inertia', 'kernels', 'simd')
p = os.path.join(SIMD, 'GemmMicroKernel.java')
src=open(p).read()
a=src.index("    /** The ")
b=src.index("    /** c ← α·tile + β·c")
src=src[:a]+kern+src[b:]
# dispatch
d0=src.index("        switch (shape) {")
d1=src.index("        }\n",d0)+10
disp="        switch (shape) {\n"+"".join(f"            case T{mr}X{nv} -> tile{mr}x{nv}(kc, ap, aBase, bp, bBase, alpha, beta, c, cOff, cRs, cCs, mr, nr, tile);\n" for mr,nv in shapes)+"        }\n"
src=src[:d0]+disp+src[d1:]
open(p,'w').write(src)
t = os.path.join(SIMD, 'GemmTile.java')
ts=open(t).read()
ts=re.sub(r"    T8X3\(8, 3\).*?;\n", "    "+", ".join(f"T{mr}X{nv}({mr}, {nv})" for mr,nv in shapes)+";\n", ts)
open(t,'w').write(ts)
