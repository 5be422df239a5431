package org.inertia.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.GradCheck;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.ops.MatrixExp;
import org.junit.jupiter.api.Test;

/**
 * DTRIV and MomentumDTRIV: finite-difference gradients in float64 (the fused W = B·e^{A(X)} op and whole
 * sequences), W's orthogonality, the change of base, and argument checks.
 */
class DtrivCellTest {
    private static final Dtype F64 = Dtype.F64;

    private static double orthogonalityError(double[] w, int n) {
        double[] wtw = MatrixExp.multiply(MatrixExp.transposed(w, n), w, n);
        double m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m = Math.max(m, Math.abs(wtw[i * n + j] - (i == j ? 1 : 0)));
            }
        }
        return m;
    }

    private static void randomize(NdArray a, Random r, double scale) {
        a.forEachOffset(o -> a.setAtOffset(o, scale * r.nextGaussian()));
    }

    @Test
    void theOrthogonalWeightOpPassesTheFiniteDifferenceCheck() {
        Random r = new Random(1);
        int n = 5;
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s[i * n + j] = r.nextGaussian();
                s[j * n + i] = -s[i * n + j];
            }
        }
        NdArray base = NdArray.ofDoubles(MatrixExp.compute(s, null, n).exp(), n, n);
        for (double scale : new double[] {0.05, 0.7, 3.0}) { // small, moderate and scaled-and-squared A
            NdArray x = NdArray.zeros(F64, n, n);
            randomize(x, r, scale);
            GradCheck.check("orthogonal, |X| ~ " + scale, t -> DtrivCell.orthogonal(t[0], base), 5, x);
            x.close();
        }
        base.close();
    }

    private static void sequenceCheck(String name, DtrivCell cell, long seed) {
        Random r = new Random(seed);
        randomize(cell.skew().data(), r, 0.3);
        Tensor x = ParamGradCheck.randnParam(r, 3, 6, 2);
        ParamGradCheck.check(name, () -> cell.sequence(x, cell.initialState(3)).outputs(),
                List.of(cell.weightIh(), cell.skew(), cell.modreluBias(), x), seed);
        x.close();
    }

    @Test
    void dtrivSequencesPassTheFiniteDifferenceCheck() {
        Random r = new Random(3);
        try (DtrivCell plain = new DtrivCell(2, 4, 0, DtrivCell.SkewInit.CAYLEY, F64, r);
             DtrivCell henaff = new DtrivCell(2, 5, 1, DtrivCell.SkewInit.HENAFF, F64, r);
             MomentumDtrivCell momentum = new MomentumDtrivCell(2, 4, 0.6, 0.9, 0, DtrivCell.SkewInit.CAYLEY, F64, r)) {
            sequenceCheck("dtriv", plain, 11);
            sequenceCheck("dtriv (henaff, odd size)", henaff, 12);
            sequenceCheck("momentum-dtriv", momentum, 13);
        }
    }

    @Test
    void theSequencePathComputesWhatTheStepPathDoes() {
        Random r = new Random(5);
        try (MomentumDtrivCell cell = new MomentumDtrivCell(3, 6, 0.3, 0.3, 0, DtrivCell.SkewInit.CAYLEY, F64, r);
             var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
            randomize(cell.skew().data(), r, 0.2);
            Tensor x = Tensor.constant(GradCheck2.randn(r, 2, 7, 3));
            double[] fused = cell.sequence(x, cell.initialState(2)).outputs().data().toDoubleArray();
            double[] byStep = cell.sequenceByStep(x, cell.initialState(2)).outputs().data().toDoubleArray();
            assertArrayEquals(byStep, fused, 0);
        }
    }

    @Test
    void wStaysOrthogonalAndAChangeOfBaseKeepsItWhileXRestartsAtZero() {
        Random r = new Random(7);
        int n = 16;
        try (DtrivCell cell = new DtrivCell(1, n, 3, DtrivCell.SkewInit.CAYLEY, F64, r)) {
            assertTrue(orthogonalityError(cell.base().toDoubleArray(), n) < 1e-14, "B = e^{A0} is orthogonal");
            double[] x0 = cell.skew().data().toDoubleArray();
            assertEquals(0, java.util.Arrays.stream(x0).map(Math::abs).max().orElseThrow(), "X starts at 0");
            for (int step = 1; step <= 30; step++) {
                randomize(cell.skew().data(), r, 0.5); // an optimizer step moving X anywhere
                double[] w;
                try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
                    w = cell.recurrentWeight().data().toDoubleArray();
                }
                assertTrue(orthogonalityError(w, n) < 1e-13, "W orthogonal at step " + step);
                cell.afterOptimizerStep();
                double[] after;
                try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
                    after = cell.recurrentWeight().data().toDoubleArray();
                }
                boolean rebased = step % 3 == 0;
                double xMax = java.util.Arrays.stream(cell.skew().data().toDoubleArray()).map(Math::abs).max().orElseThrow();
                assertEquals(rebased, xMax == 0, "X reset exactly at every 3rd step, step " + step);
                for (int i = 0; i < w.length; i++) {
                    assertEquals(w[i], after[i], 1e-13, "a change of base does not move W, step " + step);
                }
            }
            assertTrue(orthogonalityError(cell.base().toDoubleArray(), n) < 1e-13, "B after 10 changes of base");
            assertEquals(F64, cell.base().dtype(), "the base is kept in float64");
        }
    }

    @Test
    void aCheckpointResumesBaseGeneratorAndRebaseClock(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        Random r = new Random(21);
        java.nio.file.Path file = tmp.resolve("dtriv.ckpt");
        double[] w;
        try (DtrivCell cell = new DtrivCell(2, 6, 3, DtrivCell.SkewInit.CAYLEY, Dtype.F32, r)) {
            for (int k = 0; k < 4; k++) { // one change of base (after the 3rd step), then X moves again
                randomize(cell.skew().data(), r, 0.3);
                cell.afterOptimizerStep();
            }
            randomize(cell.skew().data(), r, 0.3);
            try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
                w = cell.recurrentWeight().data().toDoubleArray();
            }
            new org.inertia.nn.io.Checkpoint().module("cell", cell).save(file);
        }
        try (DtrivCell fresh = new DtrivCell(2, 6, 3, DtrivCell.SkewInit.CAYLEY, Dtype.F32, new Random(99))) {
            new org.inertia.nn.io.Checkpoint().module("cell", fresh).load(file);
            try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
                assertArrayEquals(w, fresh.recurrentWeight().data().toDoubleArray(), 0, "W from B and X");
            }
            assertEquals(F64, fresh.base().dtype());
            // the clock resumed at 1 step after the change of base: two more steps change the base again
            fresh.afterOptimizerStep();
            assertTrue(java.util.Arrays.stream(fresh.skew().data().toDoubleArray()).anyMatch(v -> v != 0));
            fresh.afterOptimizerStep();
            assertTrue(java.util.Arrays.stream(fresh.skew().data().toDoubleArray()).allMatch(v -> v == 0),
                    "the change of base came on schedule after the resume");
        }
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        Random r = new Random(1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new DtrivCell(1, 4, -1, DtrivCell.SkewInit.CAYLEY, F64, r));
        assertTrue(e.getMessage().contains("k") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MomentumDtrivCell(1, 4, 1.5, 0.3, 0, DtrivCell.SkewInit.CAYLEY, F64, r));
        assertTrue(e.getMessage().contains("mu") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MomentumDtrivCell(1, 4, 0.5, 0, 0, DtrivCell.SkewInit.CAYLEY, F64, r));
        assertTrue(e.getMessage().contains("s") && e.getMessage().contains("0"), e.getMessage());
        try (NdArray wrong = NdArray.zeros(F64, 3, 3); NdArray rect = NdArray.zeros(F64, 2, 3)) {
            Tensor x = Tensor.parameter(NdArray.zeros(F64, 4, 4));
            e = assertThrows(IllegalArgumentException.class, () -> DtrivCell.orthogonal(x, wrong));
            assertTrue(e.getMessage().contains("[4, 4]") && e.getMessage().contains("[3, 3]"), e.getMessage());
            Tensor y = Tensor.parameter(rect.copy());
            e = assertThrows(IllegalArgumentException.class, () -> DtrivCell.orthogonal(y, wrong));
            assertTrue(e.getMessage().contains("square") && e.getMessage().contains("[2, 3]"), e.getMessage());
            x.close();
            y.close();
        }
        try (DtrivCell cell = new DtrivCell(2, 4, 0, DtrivCell.SkewInit.CAYLEY, F64, r);
             TensorScope scope = TensorScope.open()) {
            Tensor bad = Tensor.constant(NdArray.zeros(F64, 3, 5, 3));
            e = assertThrows(IllegalArgumentException.class, () -> cell.sequence(bad, cell.initialState(3)));
            assertTrue(e.getMessage().contains("[B, T, 2]") && e.getMessage().contains("[3, 5, 3]"), e.getMessage());
        }
    }
}
