package org.inertia.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Storage;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.junit.jupiter.api.Test;

/**
 * The fused whole-sequence path of the LSTM family ({@link LstmSequence}, {@link MomentumScan}) against
 * the step-by-step graph of single-step cells ({@link RecurrentCell#sequenceByStep}), in float64: the
 * outputs, every final state and every gradient (weights, input, h0, c0, v0, m0) agree to rounding.
 * Both compute the same sums in nearly the same order, so the bound is a few ulps of the magnitudes
 * times the depth of the recursion: 1e-11 relative is generous and still catches any wrong term.
 * Finite-difference checks of the fused path are in {@link RecurrentGradientTest} (it runs through
 * {@link Rnn}).
 */
class FusedSequenceTest {
    private static final Dtype F64 = Dtype.F64;

    static List<Function<Random, LstmCell>> lstmFamily(int in, int hid) {
        return List.of(r -> new LstmCell(in, hid, RecurrentInit.PYTORCH, F64, r),
                r -> new MomentumLstmCell(in, hid, 0.6, 0.6, RecurrentInit.PYTORCH, F64, r),
                r -> new AdamLstmCell(in, hid, 0.6, 0.6, 0.1, RecurrentInit.PYTORCH, F64, r),
                r -> new RmsPropLstmCell(in, hid, 0.6, 0.1, RecurrentInit.PYTORCH, F64, r),
                r -> new SrLstmCell(in, hid, 1.0, 3, RecurrentInit.PYTORCH, F64, r));
    }

    @Property(tries = 12)
    void fusedSequenceEqualsStepByStep(@ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 9) int hid, @ForAll @IntRange(min = 1, max = 3) int in,
            @ForAll @IntRange(min = 1, max = 12) int steps, @ForAll @IntRange(min = 0, max = 5) int stepOffset,
            @ForAll boolean withMomentumState, @ForAll long seed) {
        for (Function<Random, LstmCell> make : lstmFamily(in, hid)) {
            Random r = new Random(seed);
            try (LstmCell cell = make.apply(r); Tensor x = ParamGradCheck.randnParam(r, batch, steps, in);
                 Tensor h0 = ParamGradCheck.randnParam(r, batch, hid); Tensor c0 = ParamGradCheck.randnParam(r, batch, hid);
                 Tensor v0 = ParamGradCheck.randnParam(r, batch, 4 * hid);
                 Tensor m0 = Tensor.parameter(GradCheck2.randn(r, batch, 4 * hid))) {
                m0.data().forEachOffset(o -> m0.data().setAtOffset(o, Math.abs(m0.data().getAtOffset(o)) + 0.1)); // a second moment
                List<Tensor> params = new ArrayList<>(cell.parameters());
                params.addAll(List.of(x, h0, c0, v0, m0));
                NdArray[] weights = {GradCheck2.randn(r, batch, steps, hid), GradCheck2.randn(r, batch, hid),
                    GradCheck2.randn(r, batch, hid), GradCheck2.randn(r, batch, 4 * hid), GradCheck2.randn(r, batch, 4 * hid)};
                CellState init = new CellState(h0, c0, withMomentumState ? v0 : null, withMomentumState ? m0 : null,
                        stepOffset);
                Run fused = run(cell, x, init, params, weights, true);
                Run stepwise = run(cell, x, init, params, weights, false);
                String name = cell.getClass().getSimpleName();
                assertClose(stepwise.values, fused.values, name + " values");
                for (int p = 0; p < params.size(); p++) {
                    assertClose(stepwise.grads.get(p), fused.grads.get(p), name + " gradient of parameter " + p);
                }
                for (NdArray w : weights) {
                    w.close();
                }
            }
        }
    }

    /**
     * A batch large enough to be split into row blocks run as separate tasks ({@code Backend.parallel};
     * the test JVM's kernel pool has every core): the same values and gradients as step by step.
     */
    @Test
    void rowBlocksOfALargeBatchGiveTheSameResult() {
        int batch = 21;
        int hid = 3;
        for (Function<Random, LstmCell> make : List.of(lstmFamily(2, hid).get(0), lstmFamily(2, hid).get(1))) {
            Random r = new Random(8);
            try (LstmCell cell = make.apply(r); Tensor x = ParamGradCheck.randnParam(r, batch, 6, 2);
                 Tensor h0 = ParamGradCheck.randnParam(r, batch, hid); Tensor c0 = ParamGradCheck.randnParam(r, batch, hid);
                 Tensor v0 = ParamGradCheck.randnParam(r, batch, 4 * hid);
                 Tensor m0 = Tensor.parameter(NdArray.full(F64, 0.5, batch, 4 * hid))) {
                List<Tensor> params = new ArrayList<>(cell.parameters());
                params.addAll(List.of(x, h0, c0, v0, m0));
                NdArray[] weights = {GradCheck2.randn(r, batch, 6, hid), GradCheck2.randn(r, batch, hid),
                    GradCheck2.randn(r, batch, hid), GradCheck2.randn(r, batch, 4 * hid), GradCheck2.randn(r, batch, 4 * hid)};
                CellState init = new CellState(h0, c0, v0, m0, 0);
                Run fused = run(cell, x, init, params, weights, true);
                Run stepwise = run(cell, x, init, params, weights, false);
                assertClose(stepwise.values, fused.values, "values");
                for (int p = 0; p < params.size(); p++) {
                    assertClose(stepwise.grads.get(p), fused.grads.get(p), "gradient of parameter " + p);
                }
                for (NdArray w : weights) {
                    w.close();
                }
            }
        }
    }

    private record Run(double[] values, List<double[]> grads) {
    }

    /** L = Σ w0⊙y + w1⊙h_T + w2⊙c_T + w3⊙v_T + w4⊙m_T (the state terms the cell has). */
    private static Run run(LstmCell cell, Tensor x, CellState init, List<Tensor> params, NdArray[] w, boolean fused) {
        params.forEach(Tensor::zeroGrad);
        List<Double> values = new ArrayList<>();
        try (TensorScope scope = TensorScope.open()) {
            RecurrentCell.Sequence seq = fused ? cell.sequence(x, init) : cell.sequenceByStep(x, init);
            CellState s = seq.last();
            assertEquals(init.step() + x.shape().dim(1), s.step());
            Tensor[] parts = {seq.outputs(), s.h(), s.c(), s.v(), s.m()};
            Tensor loss = null;
            for (int k = 0; k < parts.length; k++) {
                if (parts[k] == null) {
                    continue;
                }
                for (double v : parts[k].data().toDoubleArray()) {
                    values.add(v);
                }
                Tensor term = parts[k].mul(Tensor.constant(w[k].view())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            values.add(loss.item());
            loss.backward();
        }
        List<double[]> grads = new ArrayList<>();
        for (Tensor p : params) {
            grads.add(p.grad() == null ? new double[(int) p.shape().numel()] : p.grad().toDoubleArray());
        }
        return new Run(values.stream().mapToDouble(Double::doubleValue).toArray(), grads);
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-11 * (1 + Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    /**
     * MomentumLSTM's and SRLSTM's sequences compute their term inside the recurrent loop, so their all-steps
     * {@link LstmCell#gateInputSequence} (the momentum scan) is no longer on that path: it must still equal
     * {@link LstmCell#gateInput} applied step by step, terms and final v (SRLSTM from a step offset, across
     * restarts).
     */
    @Test
    void momentumTermOverAllStepsEqualsTheStepByStepTerm() {
        Random r = new Random(5);
        int steps = 7;
        int batch = 3;
        int hid = 2;
        List<LstmCell> cells = List.of(new MomentumLstmCell(1, hid, 0.6, 0.7, RecurrentInit.PYTORCH, F64, r),
                new SrLstmCell(1, hid, 0.7, 3, RecurrentInit.PYTORCH, F64, r));
        try (TensorScope scope = TensorScope.open()) {
            for (LstmCell cell : cells) {
                Tensor u = Tensor.constant(GradCheck2.randn(r, steps, batch, 4 * hid));
                Tensor v0 = Tensor.constant(GradCheck2.randn(r, batch, 4 * hid));
                CellState init = new CellState(cell.initialState(batch).h(), cell.initialState(batch).c(), v0, null, 2);
                LstmCell.InputTerm all = cell.gateInputSequence(u, init);
                CellState s = init;
                for (int t = 0; t < steps; t++) {
                    LstmCell.InputTerm one = cell.gateInput(Tensor.constant(u.data().select(0, t).copy()), s);
                    assertClose(one.term().data().toDoubleArray(), all.term().data().select(0, t).copy().toDoubleArray(),
                            cell.getClass().getSimpleName() + " term of step " + t);
                    s = new CellState(s.h(), s.c(), one.v(), null, s.step() + 1);
                }
                assertClose(s.v().data().toDoubleArray(), all.v().data().toDoubleArray(),
                        cell.getClass().getSimpleName() + " v_T");
                cell.close();
            }
        }
    }

    @Test
    void statesOfTheFusedPathMatchTheCellKind() {
        Random r = new Random(2);
        try (TensorScope scope = TensorScope.open()) {
            for (Function<Random, LstmCell> make : lstmFamily(2, 3)) {
                try (LstmCell cell = make.apply(r)) {
                    Tensor x = Tensor.constant(GradCheck2.randn(r, 2, 5, 2));
                    CellState s = cell.sequence(x, cell.initialState(2)).last();
                    assertNotNull(s.c());
                    if (cell.getClass() == LstmCell.class) {
                        assertNull(s.v());
                    } else {
                        assertNotNull(s.v());
                    }
                    if (cell instanceof AdamLstmCell) {
                        assertNotNull(s.m());
                    } else {
                        assertNull(s.m());
                    }
                    x.close();
                }
            }
        }
    }

    /** Memory of a float32 LSTM training step does not grow step after step, and the scope frees it all. */
    @Test
    void fusedTrainingStepsDoNotGrowMemory() {
        Random r = new Random(4);
        try (Rnn rnn = new Rnn(1, 16, 2, (i, h, l) -> new MomentumLstmCell(i, h, 0.6, 0.6, RecurrentInit.MOMENTUM_RNN, Dtype.F32, r));
             Tensor x = Tensor.constant(NdArray.full(Dtype.F32, 0.5, 4, 30, 1))) {
            long before = 0;
            for (int step = 0; step < 6; step++) {
                try (TensorScope scope = TensorScope.open()) {
                    rnn.forward(x).lastHidden().sum().backward();
                }
                if (step == 1) {
                    before = Storage.liveBytes();
                }
            }
            assertEquals(before, Storage.liveBytes(), "live off-heap bytes grew across steps");
        }
    }
}
