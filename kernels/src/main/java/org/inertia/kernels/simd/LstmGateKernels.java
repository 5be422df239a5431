package org.inertia.kernels.simd;


import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 LSTM pointwise kernels, fused so that one pass over the [B, 4H] gates does the work of
 * about ten separate elementwise ops (and their temporaries). Gates are PyTorch's [i | f | g | o]
 * blocks of width H; element j of a row reads the four gate lanes at j, H + j, 2H + j, 3H + j.
 *
 * <p>Forward: act ← (σ(i), σ(f), tanh(g), σ(o)); c ← σ(f)⊙cPrev + σ(i)⊙tanh(g); tanhC ← tanh(c);
 * h ← σ(o)⊙tanhC. Backward, with dc = dcNext + dh⊙o⊙(1 − tanhC²): dGates ← (dc⊙g⊙i(1−i),
 * dc⊙cPrev⊙f(1−f), dc⊙i⊙(1−g²), dh⊙tanhC⊙o(1−o)); dcPrev ← dc⊙f.
 *
 * <p>Rows whose operands all have unit column stride are vectorized; others run a scalar float loop.
 * σ and tanh are {@link FloatMath}'s (σ from e = e^−|x| ≤ 1, so it never overflows): built from
 * exactly-rounded operations, with scalar twins for the tails, so the bits of every activation are the
 * same in the interpreter and after JIT compilation, in a vector lane or a tail — a training run resumed
 * in a fresh JVM continues bit for bit.
 */
public final class LstmGateKernels {
    private static final VectorSpecies<Float> F = FloatSpecies.F;
    private static final int L = FloatSpecies.LANES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final FloatVector ONE = FloatVector.broadcast(F, 1f);

    private LstmGateKernels() {
    }

    /**
     * Forward over {@code rows} rows of hidden width {@code hid}; act may alias gates exactly.
     *
     * @param rows the batch rows; >= 0
     * @param hid the hidden width H; >= 0
     * @param gates the gate pre-activations, rows × 4H, in (i, f, g, o) order
     * @param cPrev the previous cell state, rows × H
     * @param act the activations written, rows × 4H
     * @param c the new cell state written, rows × H
     * @param tanhC tanh of the new cell state, written, rows × H
     * @param h the new hidden state written, rows × H
     */
    public static void forward(int rows, int hid, Plane gates, Plane cPrev, Plane act, Plane c, Plane tanhC, Plane h) {
        boolean unit = gates.colStride() == 1 && cPrev.colStride() == 1 && act.colStride() == 1 && c.colStride() == 1
                && tanhC.colStride() == 1 && h.colStride() == 1;
        int bound = unit ? F.loopBound(hid) : 0;
        for (int r = 0; r < rows; r++) {
            MemorySegment gs = gates.segment();
            MemorySegment as = act.segment();
            long g0 = gates.at(r, 0);
            long a0 = act.at(r, 0);
            long cp0 = cPrev.at(r, 0);
            long c0 = c.at(r, 0);
            long t0 = tanhC.at(r, 0);
            long h0 = h.at(r, 0);
            // One loop per activation, each with a single FloatMath call, so C2 inlines the polynomial into
            // every loop. With all five calls in one loop body C2 declined some of them, and a FloatVector
            // passed to a call that is not inlined is boxed and loses its intrinsics (JFR showed the
            // Vector API's Java fallbacks, convert0 and blendTemplate, as a fifth of an LSTM step on AVX2).
            sigmoidRun(gs, g0, as, a0, bound);
            sigmoidRun(gs, g0 + hid, as, a0 + hid, bound);
            tanhRun(gs, g0 + 2L * hid, as, a0 + 2L * hid, bound);
            sigmoidRun(gs, g0 + 3L * hid, as, a0 + 3L * hid, bound);
            cellRun(as, a0, hid, cPrev.segment(), cp0, c.segment(), c0, tanhC.segment(), t0, h.segment(), h0, bound);
            for (int j = bound; j < hid; j++) {
                long gc = gates.colStride();
                long ac = act.colStride();
                float i = FloatMath.sigmoid(gs.getAtIndex(FL, g0 + j * gc));
                float f = FloatMath.sigmoid(gs.getAtIndex(FL, g0 + (hid + j) * gc));
                float g = FloatMath.tanh(gs.getAtIndex(FL, g0 + (2L * hid + j) * gc));
                float o = FloatMath.sigmoid(gs.getAtIndex(FL, g0 + (3L * hid + j) * gc));
                as.setAtIndex(FL, a0 + j * ac, i);
                as.setAtIndex(FL, a0 + (hid + j) * ac, f);
                as.setAtIndex(FL, a0 + (2L * hid + j) * ac, g);
                as.setAtIndex(FL, a0 + (3L * hid + j) * ac, o);
                float cv = f * cPrev.segment().getAtIndex(FL, cp0 + j * cPrev.colStride()) + i * g;
                float t = FloatMath.tanh(cv);
                c.segment().setAtIndex(FL, c0 + j * c.colStride(), cv);
                tanhC.segment().setAtIndex(FL, t0 + j * tanhC.colStride(), t);
                h.segment().setAtIndex(FL, h0 + j * h.colStride(), o * t);
            }
        }
    }

    /**
     * Backward over {@code rows} rows of hidden width {@code hid}.
     *
     * @param rows the batch rows; >= 0
     * @param hid the hidden width H; >= 0
     * @param act the saved activations, rows × 4H
     * @param cPrev the previous cell state, rows × H
     * @param tanhC the saved tanh of the cell state, rows × H
     * @param dh the gradient of the hidden output, rows × H
     * @param dcNext the gradient of the cell state from the next step, rows × H
     * @param dGates the gradient of the gate pre-activations, written, rows × 4H
     * @param dcPrev the gradient of the previous cell state, written, rows × H
     */
    public static void backward(int rows, int hid, Plane act, Plane cPrev, Plane tanhC, Plane dh, Plane dcNext,
            Plane dGates, Plane dcPrev) {
        boolean unit = act.colStride() == 1 && cPrev.colStride() == 1 && tanhC.colStride() == 1 && dh.colStride() == 1
                && dcNext.colStride() == 1 && dGates.colStride() == 1 && dcPrev.colStride() == 1;
        int bound = unit ? F.loopBound(hid) : 0;
        for (int r = 0; r < rows; r++) {
            MemorySegment as = act.segment();
            MemorySegment ds = dGates.segment();
            long a0 = act.at(r, 0);
            long d0 = dGates.at(r, 0);
            long cp0 = cPrev.at(r, 0);
            long t0 = tanhC.at(r, 0);
            long dh0 = dh.at(r, 0);
            long dn0 = dcNext.at(r, 0);
            long dp0 = dcPrev.at(r, 0);
            // Two loops of about a dozen vector ops each, for the reason given in forward: in one loop of 28,
            // C2 stopped inlining near the end and the last ops ran the Vector API's Java fallbacks. Each loop
            // recomputes dc, with the same operations, so the bits are as in one loop.
            gateGradsIf(as, a0, hid, cPrev.segment(), cp0, tanhC.segment(), t0, dh.segment(), dh0, dcNext.segment(),
                    dn0, ds, d0, bound);
            gateGradsGo(as, a0, hid, tanhC.segment(), t0, dh.segment(), dh0, dcNext.segment(), dn0, ds, d0,
                    dcPrev.segment(), dp0, bound);
            long ac = act.colStride();
            long dgc = dGates.colStride();
            for (int j = bound; j < hid; j++) {
                float i = as.getAtIndex(FL, a0 + j * ac);
                float f = as.getAtIndex(FL, a0 + (hid + j) * ac);
                float g = as.getAtIndex(FL, a0 + (2L * hid + j) * ac);
                float o = as.getAtIndex(FL, a0 + (3L * hid + j) * ac);
                float t = tanhC.segment().getAtIndex(FL, t0 + j * tanhC.colStride());
                float gh = dh.segment().getAtIndex(FL, dh0 + j * dh.colStride());
                float dc = dcNext.segment().getAtIndex(FL, dn0 + j * dcNext.colStride()) + gh * o * (1 - t * t);
                float cp = cPrev.segment().getAtIndex(FL, cp0 + j * cPrev.colStride());
                ds.setAtIndex(FL, d0 + j * dgc, dc * g * (i * (1 - i)));
                ds.setAtIndex(FL, d0 + (hid + j) * dgc, dc * cp * (f * (1 - f)));
                ds.setAtIndex(FL, d0 + (2L * hid + j) * dgc, dc * i * (1 - g * g));
                ds.setAtIndex(FL, d0 + (3L * hid + j) * dgc, gh * t * (o * (1 - o)));
                dcPrev.segment().setAtIndex(FL, dp0 + j * dcPrev.colStride(), dc * f);
            }
        }
    }

    /** dst[d0 + j] ← σ(src[s0 + j]) for j in [0, n), n a multiple of the lane count, unit strides. */
    private static void sigmoidRun(MemorySegment src, long s0, MemorySegment dst, long d0, int n) {
        for (int j = 0; j < n; j += L) {
            FloatMath.sigmoid(FloatVector.fromMemorySegment(F, src, (s0 + j) * 4, NATIVE))
                    .intoMemorySegment(dst, (d0 + j) * 4, NATIVE);
        }
    }

    /** dst[d0 + j] ← tanh(src[s0 + j]) for j in [0, n), n a multiple of the lane count, unit strides. */
    private static void tanhRun(MemorySegment src, long s0, MemorySegment dst, long d0, int n) {
        for (int j = 0; j < n; j += L) {
            FloatMath.tanh(FloatVector.fromMemorySegment(F, src, (s0 + j) * 4, NATIVE))
                    .intoMemorySegment(dst, (d0 + j) * 4, NATIVE);
        }
    }

    /** From the activations of one row: c ← f⊙cPrev + i⊙g, tanhC ← tanh(c), h ← o⊙tanhC, for j in [0, n). */
    private static void cellRun(MemorySegment as, long a0, int hid, MemorySegment cps, long cp0, MemorySegment cs,
            long c0, MemorySegment ts, long t0, MemorySegment hs, long h0, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector i = FloatVector.fromMemorySegment(F, as, (a0 + j) * 4, NATIVE);
            FloatVector f = FloatVector.fromMemorySegment(F, as, (a0 + hid + j) * 4, NATIVE);
            FloatVector g = FloatVector.fromMemorySegment(F, as, (a0 + 2L * hid + j) * 4, NATIVE);
            FloatVector o = FloatVector.fromMemorySegment(F, as, (a0 + 3L * hid + j) * 4, NATIVE);
            FloatVector cv = f.mul(FloatVector.fromMemorySegment(F, cps, (cp0 + j) * 4, NATIVE)).add(i.mul(g));
            FloatVector t = FloatMath.tanh(cv);
            cv.intoMemorySegment(cs, (c0 + j) * 4, NATIVE);
            t.intoMemorySegment(ts, (t0 + j) * 4, NATIVE);
            o.mul(t).intoMemorySegment(hs, (h0 + j) * 4, NATIVE);
        }
    }

    /** The i and f blocks of dGates for j in [0, n): dc⊙g⊙i(1−i) and dc⊙cPrev⊙f(1−f). */
    private static void gateGradsIf(MemorySegment as, long a0, int hid, MemorySegment cps, long cp0, MemorySegment ts,
            long t0, MemorySegment dhs, long dh0, MemorySegment dns, long dn0, MemorySegment ds, long d0, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector i = load(as, a0 + j);
            FloatVector f = load(as, a0 + hid + j);
            FloatVector g = load(as, a0 + 2L * hid + j);
            FloatVector o = load(as, a0 + 3L * hid + j);
            FloatVector t = load(ts, t0 + j);
            FloatVector gh = load(dhs, dh0 + j);
            FloatVector dc = load(dns, dn0 + j).add(gh.mul(o).mul(ONE.sub(t.mul(t))));
            store(dc.mul(g).mul(i.mul(ONE.sub(i))), ds, d0 + j);
            store(dc.mul(load(cps, cp0 + j)).mul(f.mul(ONE.sub(f))), ds, d0 + hid + j);
        }
    }

    /** The g and o blocks of dGates and dcPrev for j in [0, n): dc⊙i⊙(1−g²), dh⊙tanhC⊙o(1−o), dc⊙f. */
    private static void gateGradsGo(MemorySegment as, long a0, int hid, MemorySegment ts, long t0, MemorySegment dhs,
            long dh0, MemorySegment dns, long dn0, MemorySegment ds, long d0, MemorySegment dps, long dp0, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector i = load(as, a0 + j);
            FloatVector f = load(as, a0 + hid + j);
            FloatVector g = load(as, a0 + 2L * hid + j);
            FloatVector o = load(as, a0 + 3L * hid + j);
            FloatVector t = load(ts, t0 + j);
            FloatVector gh = load(dhs, dh0 + j);
            FloatVector dc = load(dns, dn0 + j).add(gh.mul(o).mul(ONE.sub(t.mul(t))));
            store(dc.mul(i).mul(ONE.sub(g.mul(g))), ds, d0 + 2L * hid + j);
            store(gh.mul(t).mul(o.mul(ONE.sub(o))), ds, d0 + 3L * hid + j);
            store(dc.mul(f), dps, dp0 + j);
        }
    }

    private static FloatVector load(MemorySegment s, long off) {
        return FloatVector.fromMemorySegment(F, s, off * Float.BYTES, NATIVE);
    }

    private static void store(FloatVector v, MemorySegment s, long off) {
        v.intoMemorySegment(s, off * Float.BYTES, NATIVE);
    }
}
