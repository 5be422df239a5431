package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.rnn.CellState;
import org.inertia.nn.rnn.GruCell;
import org.inertia.nn.rnn.RecurrentInit;
import org.inertia.nn.rnn.LstmCell;
import org.inertia.nn.rnn.RnnCell;
import org.inertia.optim.Adam;
import org.inertia.optim.Schedule;
import org.inertia.optim.Sgd;
import org.junit.jupiter.api.Test;

/** The PyTorch-like conveniences: short constructors, argmax, optimizer groups from a module, initial states. */
class ConveniencesTest {
    @Test
    void linearWithTwoArgumentsIsFloat32WithABiasAndReproducibleFromTheDefaultSeed() {
        DefaultGenerator.seed(42);
        float[] first;
        float[] second;
        try (Linear a = new Linear(5, 3); Linear b = new Linear(5, 3)) {
            assertEquals(Dtype.F32, a.weight().dtype());
            assertEquals(org.inertia.kernels.Shape.of(3, 5), a.weight().shape());
            assertEquals(org.inertia.kernels.Shape.of(3), a.bias().shape());
            first = a.weight().data().toFloatArray();
            second = b.weight().data().toFloatArray();
        }
        assertFalse(java.util.Arrays.equals(first, second), "two layers must not share their initial weights");
        DefaultGenerator.seed(42);
        try (Linear again = new Linear(5, 3)) {
            assertArrayEquals(first, again.weight().data().toFloatArray(), "the same seed gives the same weights");
        }
        try (Linear explicit = new Linear(5, 3, new SplitMix64(9)); Linear same = new Linear(5, 3, true, Dtype.F32, new SplitMix64(9))) {
            assertArrayEquals(explicit.weight().data().toFloatArray(), same.weight().data().toFloatArray());
        }
    }

    @Test
    void recurrentCellsTakeAnyRandomGeneratorAndJavaUtilRandomGivesTheSameValuesAsBefore() {
        // the constructors take RandomGenerator now; java.util.Random still works and draws the same stream
        try (RnnCell a = new RnnCell(3, 4, RecurrentInit.PYTORCH, Dtype.F64, new Random(5));
             RnnCell b = new RnnCell(3, 4, RecurrentInit.PYTORCH, Dtype.F64, new Random(5));
             GruCell g = new GruCell(3, 4, RecurrentInit.PYTORCH, Dtype.F64, new SplitMix64(5))) {
            assertArrayEquals(a.weightIh().data().toDoubleArray(), b.weightIh().data().toDoubleArray());
            Random r = new Random(5);
            assertEquals((r.nextDouble() * 2 - 1) / 2, a.weightIh().data().getAt(0), 0, "uniform(±1/√H) from the first draw");
            assertEquals(3 * 4, g.weightIh().shape().dim(0));
        }
        try (LstmCell c = new LstmCell(3, 4)) {
            assertEquals(Dtype.F32, c.dtype());
        }
    }

    @Test
    void argmaxGivesTheFirstLargestIndexAlongAnAxisWithoutAGraph() {
        try (Tensor logits = Tensor.parameter(NdArray.of(new float[] {0, 5, 5, -1, 2, 9, 1, 1}, 2, 4));
             TensorScope scope = TensorScope.open()) {
            Tensor rows = logits.argmax(1);
            assertEquals(Dtype.I32, rows.dtype());
            assertArrayEquals(new int[] {1, 1}, rows.data().toIntArray(), "first maximum wins a tie");
            assertFalse(rows.requiresGrad());
            assertNull(rows.gradFn());
            assertArrayEquals(new int[] {1, 1, 0, 1}, logits.argmax(0).data().toIntArray());
            assertArrayEquals(new int[] {1, 1}, logits.argmax(-1).data().toIntArray());
            assertEquals(3, scope.size(), "argmax results belong to the scope");
            var e = assertThrows(IllegalArgumentException.class, () -> logits.argmax(2));
            assertTrue(e.getMessage().contains("axis 2") && e.getMessage().contains("[2, 4]"), e.getMessage());
        }
    }

    @Test
    void anOptimizerTakesAModuleAndReportsTheLearningRateOfTheNextStep() {
        try (Sequential model = new Sequential(new Linear(2, 2, new SplitMix64(1)), new Linear(2, 1, new SplitMix64(2)));
             Adam adam = new Adam(); Sgd sgd = new Sgd()) {
            var ex = assertThrows(IllegalStateException.class, adam::currentLr);
            assertTrue(ex.getMessage().contains("addGroup"), ex.getMessage());
            adam.addGroup(Adam.hyper().lr(0.01).build(), model).lrSchedule(Schedule.step(0.01, 1, 0.5));
            assertEquals(4, adam.group().params().size(), "both weights and both biases");
            assertSame(model.parameters().getFirst().data(), adam.group().params().getFirst().param());
            assertEquals(0.01, adam.currentLr());
            adam.step();
            assertEquals(0.005, adam.currentLr(), "after one step the schedule's second value");
            assertEquals(0.005, adam.currentLr(0));
            assertThrows(IndexOutOfBoundsException.class, () -> adam.currentLr(1));
            var twice = assertThrows(IllegalArgumentException.class,
                    () -> adam.addGroup(Adam.hyper().build(), model));
            assertTrue(twice.getMessage().contains("shares memory"), twice.getMessage());
            sgd.addGroup(Sgd.hyper().lr(0.1).build(), model);
            assertEquals(0.1, sgd.currentLr());
        }
    }

    @Test
    void everyCellMakesAnInitialStateFromGivenTensors() {
        try (LstmCell lstm = new LstmCell(3, 4, RecurrentInit.PYTORCH, Dtype.F32, new SplitMix64(1));
             GruCell gru = new GruCell(3, 4, RecurrentInit.PYTORCH, Dtype.F32, new SplitMix64(2));
             TensorScope scope = TensorScope.open()) {
            Tensor h0 = Tensor.constant(NdArray.full(Dtype.F32, 0.5, 2, 4));
            Tensor c0 = Tensor.constant(NdArray.full(Dtype.F32, -0.5, 2, 4));
            CellState s = lstm.initialState(h0, c0);
            assertSame(h0, s.h());
            assertSame(c0, s.c());
            assertNull(s.v());
            assertEquals(0, s.step());
            CellState zeroMemory = lstm.initialState(h0);
            assertArrayEquals(new float[8], zeroMemory.c().data().toFloatArray());
            CellState g = gru.initialState(h0);
            assertSame(h0, g.h());
            assertNull(g.c());
            CellState next = gru.forward(Tensor.constant(NdArray.zeros(Dtype.F32, 2, 3)), g);
            assertEquals(org.inertia.kernels.Shape.of(2, 4), next.h().shape());
            try (Tensor wrong = Tensor.constant(NdArray.zeros(Dtype.F32, 2, 5))) {
                var e = assertThrows(IllegalArgumentException.class, () -> lstm.initialState(h0, wrong));
                assertTrue(e.getMessage().contains("c0") && e.getMessage().contains("[B, 4]") && e.getMessage().contains("[2, 5]"),
                        e.getMessage());
            }
            try (Tensor f64 = Tensor.constant(NdArray.zeros(Dtype.F64, 2, 4))) {
                var e = assertThrows(IllegalArgumentException.class, () -> gru.initialState(f64));
                assertTrue(e.getMessage().contains("h0 is F64"), e.getMessage());
            }
            h0.close();
            c0.close();
        }
    }

    @Test
    void usingAResultAfterItsScopeClosedSaysHowToKeepIt() {
        Tensor escaped;
        try (Tensor a = Tensor.parameter(NdArray.full(Dtype.F32, 1, 2))) {
            try (TensorScope s = TensorScope.open()) {
                escaped = a.add(a);
            }
            var e = assertThrows(IllegalStateException.class, () -> escaped.data().toFloatArray());
            assertTrue(e.getMessage().contains("TensorScope.keep"), e.getMessage());
            var viaOp = assertThrows(IllegalStateException.class, () -> escaped.add(a));
            assertTrue(viaOp.getMessage().contains("TensorScope.keep"), viaOp.getMessage());
            try (NdArray raw = NdArray.zeros(Dtype.F32, 1)) {
                NdArray view = raw.view();
                raw.close();
                var storage = assertThrows(IllegalStateException.class, () -> view.getAt(0));
                assertTrue(storage.getMessage().contains("TensorScope.keep(tensor)"), storage.getMessage());
            }
        }
    }
}
