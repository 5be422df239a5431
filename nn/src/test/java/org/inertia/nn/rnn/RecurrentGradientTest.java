package org.inertia.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.GradNormClip;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.ops.Shapes;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of every cell, the layers' BPTT and truncated BPTT, in float64. */
class RecurrentGradientTest {
    private static final Dtype F64 = Dtype.F64;

    /** Every cell kind, with PyTorch-default or reference init (same code path; the init only moves the point). */
    static List<RecurrentCell> allCells(int in, int hid, Random r) {
        RecurrentInit a = r.nextBoolean() ? RecurrentInit.PYTORCH : RecurrentInit.MOMENTUM_RNN;
        return List.of(new RnnCell(in, hid, RecurrentInit.PYTORCH, F64, r), new GruCell(in, hid, RecurrentInit.PYTORCH, F64, r),
                new LstmCell(in, hid, a, F64, r), new MomentumRnnCell(in, hid, 0.6, 0.6, RecurrentInit.PYTORCH, F64, r),
                new MomentumLstmCell(in, hid, 0.6, 0.6, a, F64, r),
                new AdamLstmCell(in, hid, 0.6, 0.6, 0.1, RecurrentInit.PYTORCH, F64, r),
                new RmsPropLstmCell(in, hid, 0.6, 0.1, RecurrentInit.PYTORCH, F64, r),
                new SrLstmCell(in, hid, 1.0, 2, a, F64, r));
    }

    /**
     * How far from 0 every first-step input u = W_ih x + b_ih of an AdamLSTM-family cell must be for the
     * finite-difference check ({@link ParamGradCheck}). Starting from a zero second moment, the first step
     * feeds the gates g(u) = s·u / √((1 − β)u² + ε) = s/√(1 − β) · u / √(u² + δ²), δ² = ε/(1 − β) ≈ 1.1e-16:
     * to double precision a step from −s/√(1 − β) to +s/√(1 − β) of width δ ≈ 1e-8 at u = 0. That is the
     * reference model's math and the cell computes it accurately (the backward's two terms through v and m,
     * s/d and −s(1 − β)u²/d³ with d = √((1 − β)u² + ε), cancel to sε/d³ with an absolute error of only
     * ~1e-16·s/|u|); it is the finite difference, with steps 50-100× wider than δ, that cannot follow the
     * step near u = 0. For |u| ≫ δ, g = s/√(1 − β)·sgn(u)·(1 − δ²/2u² + …),
     * so g⁽ⁿ⁾ ≈ s/√(1 − β)·δ²/2·(n + 1)!/|u|ⁿ⁺². With a = |∂L/∂g| ≤ 10 and c = |∂u/∂θ| ≤ 4 (|x| for W_ih,
     * |W_ih| ≤ 1 for x, 1 for b_ih), the extrapolated difference errs by
     * a·c⁵·h⁴/480·g⁽⁵⁾ = 0.75·a·c⁵·s/√(1 − β)·h⁴δ²/|u|⁷ ≈ 5.3e-37/|u|⁷ at h = 1e-6 (s = 0.6, β = 0.1):
     * 5e-9 at |u| = 1e-4, 190× under the 1e-6 tolerance (it reaches it at |u| ≈ 4.7e-5; the plain central
     * difference, 2·a·c³·s/√(1 − β)·h²δ²/|u|⁵, at ≈ 1.5e-4). Later steps are smooth away from
     * u_1 = … = u_t = 0 (v_t/√m_t is homogeneous of degree 0), at least |u_1| away. So a draw is kept when
     * every first-step |u| ≥ 1e-4; at most about 1% of draws are not (≤ 2 × 36 values, density ≤ 0.9 at 0).
     * Measured on the draw below, moving its u: the central difference's error reaches the tolerance at
     * |u| ≈ 2.8e-5, the extrapolated one's at ≈ 9e-6, and from |u| ≈ 5e-5 on the latter is at its
     * rounding floor (≈ 0.002 of the tolerance).
     */
    static final double RMS_STEP_MARGIN = 1e-4;

    /**
     * Whether the first step of {@code cell} from a zero momentum state with input {@code x0} [B, I] is
     * clear of the AdamLSTM family's step at u = 0 (always true for the other cells).
     */
    static boolean clearOfRmsStep(RecurrentCell cell, Tensor x0) {
        if (!(cell instanceof AdamLstmCell)) {
            return true;
        }
        try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
            double[] u = RecurrentOps.affine(null, x0, cell.weightIh(), cell.biasIh()).data().toDoubleArray();
            return Arrays.stream(u).allMatch(v -> Math.abs(v) >= RMS_STEP_MARGIN);
        }
    }

    /** Every cell over a few steps from a random (parameter) initial h and c, input x_t fed one step at a time. */
    @Property(tries = 6)
    void everyCellOverFewSteps(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 3) int hid,
            @ForAll @IntRange(min = 1, max = 3) int in, @ForAll long seed) {
        checkEveryCell(batch, hid, in, seed, true);
    }

    /**
     * The draw that failed the plain central difference (AdamLSTM, ∂L/∂b_ih[5]: analytic 0.9905790, numeric
     * 0.9906026). Its first-step u = −1.46e-5 for that gate lies inside {@link #RMS_STEP_MARGIN}, so the
     * property would now skip it; it is kept here, fixed, as a case the extrapolated difference follows
     * (worst element 0.04 of the tolerance, vs 23× over it for the central difference) where the central
     * difference's h²·L‴ term did not.
     */
    @Example
    void adamLstmNearItsFirstStepStep() {
        checkEveryCell(3, 2, 2, -116L, false);
    }

    private static void checkEveryCell(int batch, int hid, int in, long seed, boolean keepClearOfRmsStep) {
        Random r = new Random(seed);
        int steps = 3;
        List<RecurrentCell> cells = allCells(in, hid, r);
        try {
            for (RecurrentCell cell : cells) {
                try (cell; Tensor x = ParamGradCheck.randnParam(r, batch, steps, in);
                     Tensor h0 = ParamGradCheck.randnParam(r, batch, hid);
                     Tensor c0 = ParamGradCheck.randnParam(r, batch, hid)) {
                    if (keepClearOfRmsStep) {
                        try (TensorScope scope = TensorScope.open()) {
                            Assume.that(clearOfRmsStep(cell, Shapes.select(x, 1, 0)));
                        }
                    }
                    boolean lstm = cell instanceof LstmCell;
                    List<Tensor> params = new ArrayList<>(cell.parameters());
                    params.add(x);
                    params.add(h0);
                    if (lstm) {
                        params.add(c0);
                    }
                    ParamGradCheck.check(cell.getClass().getSimpleName(), () -> {
                        CellState s = new CellState(h0, lstm ? c0 : null, null, null, 0);
                        List<Tensor> hs = new ArrayList<>();
                        for (int t = 0; t < steps; t++) {
                            Tensor xt = Shapes.select(x, 1, t);
                            s = cell.forward(xt, s);
                            hs.add(s.h());
                        }
                        Tensor out = RecurrentOps.stackSteps(hs);
                        return lstm ? Shapes.concat(1, out, s.c().reshape(batch, 1, hid)) : out;
                    }, params, seed);
                }
            }
        } finally {
            cells.forEach(RecurrentCell::close); // the rest, when a check failed or the draw was rejected
        }
    }

    /** LSTM and MomentumLSTM layers (projection for all steps + recurrence) over 20+ steps of BPTT. */
    @Test
    void lstmAndMomentumLstmBpttOverTwentyFourSteps() {
        Random r = new Random(7);
        int batch = 2;
        int hid = 3;
        int in = 2;
        int steps = 24;
        List<Rnn> layers = List.of(new Lstm(in, hid, 1, RecurrentInit.PYTORCH, F64, r),
                new Rnn(in, hid, 1, (i, h, l) -> new MomentumLstmCell(i, h, 0.6, 0.6, RecurrentInit.MOMENTUM_RNN, F64, r)));
        for (Rnn rnn : layers) {
            try (rnn; Tensor x = ParamGradCheck.randnParam(r, batch, steps, in)) {
                List<Tensor> params = new ArrayList<>(rnn.parameters());
                params.add(x);
                ParamGradCheck.check("bptt " + rnn.cells().get(0).getClass().getSimpleName(), () -> {
                    Rnn.Output o = rnn.forward(x);
                    return Shapes.concat(1, o.output(), o.finalStates().get(0).c().reshape(batch, 1, hid));
                }, params, 11);
            }
        }
    }

    /** Two-layer stacks of every cell kind through the layer (the second layer reads the first's outputs). */
    @Property(tries = 3)
    void multiLayer(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll long seed) {
        Random r = new Random(seed);
        int hid = 2;
        int in = 2;
        int steps = 4;
        int[] kind = {0};
        for (int k = 0; k < 8; k++) {
            kind[0] = k;
            Rnn rnn = new Rnn(in, hid, 2, (i, h, l) -> allCells(i, h, r).get(kind[0]));
            try (rnn; Tensor x = ParamGradCheck.randnParam(r, batch, steps, in)) {
                try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) { // both layers' first steps
                    RecurrentCell first = rnn.cells().get(0);
                    Tensor x0 = Shapes.select(x, 1, 0);
                    Tensor h1 = first.forward(x0, first.initialState(batch)).h();
                    Assume.that(clearOfRmsStep(first, x0) && clearOfRmsStep(rnn.cells().get(1), h1));
                }
                List<Tensor> params = new ArrayList<>(rnn.parameters());
                params.add(x);
                ParamGradCheck.check("2-layer " + rnn.cells().get(1).getClass().getSimpleName(),
                        () -> rnn.forward(x).output(), params, seed);
            }
        }
    }

    /**
     * Truncated BPTT through the helper equals the manual segment-wise computation: each segment run
     * step by step with single-step cells from a detached copy of the previous final state, its own
     * backward, gradients summed.
     */
    @Test
    void truncatedBpttEqualsManualSegments() {
        Random r = new Random(3);
        int batch = 2;
        int hid = 3;
        int in = 2;
        int steps = 8;
        int k = 3;
        for (int kind : new int[] {2, 4, 5, 7}) { // LSTM, MomentumLSTM, AdamLSTM, SRLSTM (k and v cross segments)
            Rnn rnn = new Rnn(in, hid, 1, (i, h, l) -> allCells(i, h, r).get(kind));
            try (rnn; NdArray xd = GradCheck2.randn(r, batch, steps, in); NdArray wd = GradCheck2.randn(r, batch, steps, hid)) {
                Tensor x = Tensor.constant(xd.view());
                List<NdArray> constants = new ArrayList<>();
                double total = TruncatedBptt.run(rnn, x, k, (o, start) -> {
                    NdArray w = wd.slice(1, start, start + o.output().shape().dim(1)).copy();
                    constants.add(w);
                    return o.output().mul(Tensor.constant(w.view())).sum();
                }, null);
                List<NdArray> helperGrads = rnn.parameters().stream().map(p -> p.grad().copy()).toList();
                rnn.zeroGrad();
                RecurrentCell cell = rnn.cells().get(0);
                CellState carried = null;
                double manualTotal = 0;
                for (int start = 0; start < steps; start += k) {
                    int end = Math.min(steps, start + k);
                    CellState next;
                    try (TensorScope scope = TensorScope.open()) {
                        CellState s = carried == null ? cell.initialState(batch) : carried;
                        List<Tensor> hs = new ArrayList<>();
                        for (int t = start; t < end; t++) {
                            s = cell.forward(Tensor.constant(xd.select(1, t).copy()), s);
                            hs.add(s.h());
                        }
                        NdArray w = wd.slice(1, start, end).copy();
                        constants.add(w);
                        Tensor l = RecurrentOps.stackSteps(hs).mul(Tensor.constant(w.view())).sum();
                        manualTotal += l.item();
                        l.backward();
                        next = s.detachedCopy();
                    }
                    if (carried != null) {
                        carried.close();
                    }
                    carried = next;
                }
                carried.close();
                assertEquals(manualTotal, total, 1e-12 * Math.abs(manualTotal));
                List<Tensor> params = rnn.parameters();
                for (int p = 0; p < params.size(); p++) {
                    double[] a = helperGrads.get(p).toDoubleArray();
                    double[] b = params.get(p).grad().toDoubleArray();
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(b[i], a[i], 1e-12 * (1 + Math.abs(b[i])), "kind " + kind + " parameter " + p + " [" + i + "]");
                    }
                }
                helperGrads.forEach(NdArray::close);
                constants.forEach(NdArray::close);
                x.close();
            }
        }
    }

    /** The fused gate node's backward equals the same math composed from primitive ops (slices, σ, tanh, ⊙, +). */
    @Property(tries = 20)
    void gateNodeMatchesPrimitiveComposition(@ForAll @IntRange(min = 1, max = 4) int batch,
            @ForAll @IntRange(min = 1, max = 20) int hid, @ForAll long seed) {
        Random r = new Random(seed);
        try (Tensor gates = ParamGradCheck.randnParam(r, batch, 4 * hid); Tensor c0 = ParamGradCheck.randnParam(r, batch, hid);
             NdArray w = GradCheck2.randn(r, 2, batch, hid)) {
            double[][] fused = gradsOf(gates, c0, w, () -> RecurrentOps.lstmPointwise(gates, c0));
            double[][] composed = gradsOf(gates, c0, w, () -> {
                Tensor i = gates.slice(1, 0, hid).sigmoid();
                Tensor f = gates.slice(1, hid, 2 * hid).sigmoid();
                Tensor g = gates.slice(1, 2 * hid, 3 * hid).tanh();
                Tensor o = gates.slice(1, 3 * hid, 4 * hid).sigmoid();
                Tensor c = f.mul(c0).add(i.mul(g));
                Tensor h = o.mul(c.tanh());
                return Shapes.concat(0, h.reshape(1, batch, hid), c.reshape(1, batch, hid));
            });
            for (int k = 0; k < 3; k++) {
                for (int e = 0; e < fused[k].length; e++) {
                    assertEquals(composed[k][e], fused[k][e], 1e-13 * (1 + Math.abs(composed[k][e])), "part " + k + " element " + e);
                }
            }
        }
    }

    private static double[][] gradsOf(Tensor gates, Tensor c0, NdArray w, java.util.function.Supplier<Tensor> f) {
        gates.zeroGrad();
        c0.zeroGrad();
        try (TensorScope scope = TensorScope.open()) {
            Tensor out = f.get();
            double[] values = out.data().toDoubleArray();
            out.mul(Tensor.constant(w.view())).sum().backward();
            return new double[][] {values, gates.grad().toDoubleArray(), c0.grad().toDoubleArray()};
        }
    }

    @Test
    void srLstmScheduleRestarts() {
        try (SrLstmCell never = new SrLstmCell(1, 1, 1, 0, RecurrentInit.PYTORCH, F64, new Random(1));
             SrLstmCell two = new SrLstmCell(1, 1, 1, 2, RecurrentInit.PYTORCH, F64, new Random(1))) {
            assertEquals(0, never.momentumAt(0));
            assertEquals(1 / 4.0, never.momentumAt(1));
            assertEquals(2 / 5.0, never.momentumAt(2));
            assertEquals(0, two.momentumAt(0));
            assertEquals(1 / 4.0, two.momentumAt(1));
            assertEquals(0, two.momentumAt(2));
            assertEquals(1 / 4.0, two.momentumAt(3));
        }
    }

    @Test
    void referenceInitHasOrthogonalInputWeightsIdentityRecurrenceAndForgetBias() {
        try (LstmCell cell = new LstmCell(3, 4, RecurrentInit.MOMENTUM_RNN, F64, new Random(5))) {
            NdArray w = cell.weightIh().data(); // [16, 3]: orthonormal columns
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    double d = 0;
                    for (int i = 0; i < 16; i++) {
                        d += w.get(i, a) * w.get(i, b);
                    }
                    assertEquals(a == b ? 1 : 0, d, 1e-12);
                }
            }
            NdArray u = cell.weightHh().data();
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(i == j ? 1 : 0, u.get(i, j));
                }
                double expect = i >= 4 && i < 8 ? 1 : 0;
                assertEquals(expect, cell.biasIh().data().get(i));
                assertEquals(expect, cell.biasHh().data().get(i));
            }
        }
    }

    @Test
    void gradClipScalesToTheGlobalNorm() {
        try (Tensor a = Tensor.parameter(NdArray.ofDoubles(new double[] {1, 2}, 2));
             Tensor b = Tensor.parameter(NdArray.ofDoubles(new double[] {3}, 1))) {
            try (TensorScope s = TensorScope.open()) {
                a.mul(Tensor.constant(NdArray.ofDoubles(new double[] {3, 0}, 2))).sum()
                        .add(b.mul(Tensor.constant(NdArray.ofDoubles(new double[] {4}, 1))).sum()).backward();
            }
            double norm = GradNormClip.clipGradNorm(List.of(a, b), 1.0);
            assertEquals(5, norm, 1e-12);
            assertEquals(3 / (5 + 1e-6), a.grad().get(0), 1e-12);
            assertEquals(4 / (5 + 1e-6), b.grad().get(0), 1e-12);
            assertEquals(1.0, GradNormClip.clipGradNorm(List.of(a, b), 10), 1e-6); // below the bound: unchanged
        }
    }

    @Test
    void badShapesNameBoth() {
        try (LstmCell cell = new LstmCell(2, 3, RecurrentInit.PYTORCH, F64, new Random(1));
             Lstm lstm = new Lstm(2, 3, 1, RecurrentInit.PYTORCH, F64, new Random(1));
             TensorScope s = TensorScope.open()) {
            Tensor x = Tensor.constant(NdArray.zeros(F64, 2, 5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cell.forward(x, cell.initialState(2)));
            assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("[12, 2]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(x));
            assertTrue(e.getMessage().contains("[2, 5]"), e.getMessage());
            x.close();
        }
    }
}
