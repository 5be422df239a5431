package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Records that hold arrays or collections compare them by content and cannot be changed through the
 * caller's references or their accessors; arguments the maths needs in range are checked with a message
 * naming the argument and its value.
 */
class ValueSafetyTest {
    private static void refused(Class<? extends Throwable> type, Executable call, String... fragments) {
        Throwable e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void aggMoHyperComparesItsBetasByContent() {
        double[] betas = {0, 0.9, 0.99};
        AggMo.Hyper a = new AggMo.Hyper(0.1, betas, 0.01);
        AggMo.Hyper b = new AggMo.Hyper(0.1, new double[] {0, 0.9, 0.99}, 0.01);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("Hyper[lr=0.1, betas=[0.0, 0.9, 0.99], weightDecay=0.01]", a.toString());
        assertNotEquals(a, new AggMo.Hyper(0.1, new double[] {0, 0.9, 0.999}, 0.01));
        assertNotEquals(a, new AggMo.Hyper(0.2, betas, 0.01));
        assertNotEquals(a, new AggMo.Hyper(0.1, betas, 0));
        betas[1] = 0.5; // the caller's array
        a.betas()[2] = 0.5; // the accessor's copy
        assertEquals(b, a);
        assertArrayEquals(new double[] {0, 0.9, 0.99}, a.betas());
        refused(NullPointerException.class, () -> new AggMo.Hyper(0.1, null, 0), "betas");
    }

    @Test
    void heavyBallTuningChecksItsCurvatureBounds() {
        refused(IllegalArgumentException.class, () -> new HeavyBallTuning(0.5, 0.5, Double.NaN, 1), "lMax", "NaN");
        refused(IllegalArgumentException.class, () -> new HeavyBallTuning(0.5, 0.5, 2, 0), "lMin", "0.0");
        refused(IllegalArgumentException.class, () -> new HeavyBallTuning(0.5, 0.5, 2, -1), "lMin", "-1.0");
        refused(IllegalArgumentException.class, () -> new HeavyBallTuning(0.5, 0.5, Double.POSITIVE_INFINITY, 1),
                "lMax", "Infinity");
        refused(IllegalArgumentException.class, () -> new HeavyBallTuning(0.5, 0.5, 1, 2), "lMin 2.0", "lMax 1.0");
        HeavyBallTuning t = new HeavyBallTuning(0.5, 0.25, 2, 2); // μ = L is allowed: κ = 1
        assertEquals(1, t.kappa());
        assertEquals(HeavyBallTuning.of(4, 1), new HeavyBallTuning(0.25, 0.25, 4, 1));
    }

    @Test
    void nesterovIterateChecksOut() {
        try (NdArray w = NdArray.zeros(Dtype.F64, 2, 3); NdArray g = NdArray.zeros(Dtype.F64, 2, 3);
             Nesterov opt = new Nesterov()) {
            opt.addGroup(new Nesterov.Hyper(0.1, 0.5), new Params(w, g));
            refused(NullPointerException.class, () -> opt.iterate(0, 0, null), "out");
            try (NdArray shortOut = NdArray.zeros(Dtype.F64, 5);
                 NdArray flat = NdArray.zeros(Dtype.F64, 6);
                 NdArray ints = NdArray.zeros(Dtype.I32, 2, 3);
                 NdArray ok = NdArray.zeros(Dtype.F32, 2, 3)) {
                refused(IllegalArgumentException.class, () -> opt.iterate(0, 0, shortOut), "out", "[2, 3]", "[5]");
                refused(IllegalArgumentException.class, () -> opt.iterate(0, 0, flat), "out", "[2, 3]", "[6]");
                refused(IllegalArgumentException.class, () -> opt.iterate(0, 0, ints), "out", "I32");
                refused(IndexOutOfBoundsException.class, () -> opt.iterate(1, 0, ok), "group 1", "1 group");
                refused(IndexOutOfBoundsException.class, () -> opt.iterate(0, 1, ok), "parameter 1", "1 parameter");
                w.setAt(4, 3.0);
                opt.iterate(0, 0, ok);
                assertEquals(3.0, ok.getAt(4)); // before the first step the iterate is θ
            }
            // a strided view of the right shape receives the iterate element by element
            try (NdArray big = NdArray.zeros(Dtype.F64, 3, 2)) {
                NdArray t = big.transpose(0, 1);
                opt.iterate(0, 0, t);
                assertEquals(3.0, t.get(1, 1));
            }
        }
    }

    @Test
    void aStateDictCannotBeChangedAfterTheFact() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 2)) {
            List<Object> hypers = new ArrayList<>(List.of(Adam.hyper().build()));
            Map<String, NdArray> param = new LinkedHashMap<>();
            param.put("exp_avg", a);
            param.put("exp_avg_sq", a);
            List<Map<String, NdArray>> group = new ArrayList<>(List.of(param));
            List<List<Map<String, NdArray>>> buffers = new ArrayList<>(List.of(group));
            Map<String, Double> scalars = new LinkedHashMap<>(Map.of("c", 1.0));
            StateDict sd = new StateDict("adam", 3, hypers, buffers, scalars);
            hypers.add("x");
            param.remove("exp_avg");
            group.add(Map.of());
            buffers.add(List.of());
            scalars.put("d", 2.0);
            assertEquals(1, sd.hypers().size());
            assertEquals(List.of("exp_avg", "exp_avg_sq"), List.copyOf(sd.buffers().get(0).get(0).keySet()));
            assertEquals(1, sd.buffers().get(0).size());
            assertEquals(1, sd.buffers().size());
            assertEquals(Map.of("c", 1.0), sd.scalars());
            assertThrows(UnsupportedOperationException.class, () -> sd.hypers().clear());
            assertThrows(UnsupportedOperationException.class, () -> sd.buffers().add(List.of()));
            assertThrows(UnsupportedOperationException.class, () -> sd.buffers().get(0).clear());
            assertThrows(UnsupportedOperationException.class, () -> sd.buffers().get(0).get(0).remove("exp_avg"));
            assertThrows(UnsupportedOperationException.class, () -> sd.scalars().put("e", 3.0));
            refused(NullPointerException.class, () -> new StateDict("adam", 0, null, buffers, scalars), "hypers");
            refused(NullPointerException.class,
                    () -> new StateDict("adam", 0, hypers, java.util.Arrays.asList(List.of(), null), scalars), "buffers[1]");
        }
    }
}
