package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Hyperparameters, schedules, groups and state dicts are checked with messages that name the argument. */
class ValidationTest {
    private static void refused(Class<? extends Throwable> type, String fragment, Executable call) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void schedulesRefuseNonFiniteValues() {
        refused(IllegalArgumentException.class, "base must be finite, got NaN", () -> Schedule.step(Double.NaN, 3, 0.5));
        refused(IllegalArgumentException.class, "gamma must be finite, got Infinity",
                () -> Schedule.exponential(0.1, Double.POSITIVE_INFINITY));
        refused(IllegalArgumentException.class, "min must be finite, got NaN", () -> Schedule.cosine(0.1, Double.NaN, 10));
        refused(IllegalArgumentException.class, "value must be finite, got NaN", () -> Schedule.constant(Double.NaN));
        refused(IllegalArgumentException.class, "startFactor must be finite, got NaN",
                () -> Schedule.constant(1).linearWarmup(5, Double.NaN));
        refused(IllegalArgumentException.class, "boundary must be >= 0, got -1",
                () -> Schedule.constant(1).then(-1, Schedule.constant(2)));
        refused(NullPointerException.class, "next", () -> Schedule.constant(1).then(3, null));
        refused(NullPointerException.class, "milestones", () -> Schedule.multiStep(0.1, 0.5, (long[]) null));
    }

    @Test
    void aParameterMayBelongToOneGroupOnce() {
        try (NdArray w = NdArray.zeros(Dtype.F32, 6); NdArray g = NdArray.zeros(Dtype.F32, 6); Sgd sgd = new Sgd()) {
            Params all = new Params(w, g);
            Params half = new Params(w.slice(0, 2, 5), g.slice(0, 2, 5));
            refused(IllegalArgumentException.class, "parameter 1 of the new group [6] shares memory with parameter 0",
                    () -> sgd.addGroup(Sgd.hyper().build(), all, all));
            sgd.addGroup(Sgd.hyper().build(), all);
            refused(IllegalArgumentException.class, "parameter 0 of the new group [3] shares memory with parameter 0 of group 0",
                    () -> sgd.addGroup(Sgd.hyper().build(), half));
            refused(NullPointerException.class, "params", () -> sgd.addGroup(Sgd.hyper().build(), (List<Params>) null));
            refused(NullPointerException.class, "params[0]", () -> sgd.addGroup(Sgd.hyper().build(), java.util.Arrays.asList((Params) null)));
            // disjoint slices of one buffer are fine (FlatParameters.range does exactly that)
            try (Sgd other = new Sgd()) {
                other.addGroup(Sgd.hyper().build(), new Params(w.slice(0, 0, 3), g.slice(0, 0, 3)));
                other.addGroup(Sgd.hyper().build(), new Params(w.slice(0, 3, 6), g.slice(0, 3, 6)));
                assertEquals(2, other.groups().size());
            }
        }
    }

    @Test
    void aClosedOptimizerRefusesToStep() {
        try (NdArray w = NdArray.zeros(Dtype.F32, 3); NdArray g = NdArray.zeros(Dtype.F32, 3)) {
            Adam adam = new Adam();
            adam.addGroup(Adam.hyper().build(), new Params(w, g));
            adam.step();
            adam.close();
            adam.close();
            assertTrue(adam.isClosed());
            refused(IllegalStateException.class, "adam optimizer is closed", adam::step);
            refused(IllegalStateException.class, "adam optimizer is closed", () -> adam.addGroup(Adam.hyper().build(), new Params(w, g)));
        }
    }

    @Test
    void stateDictsAreCheckedBeforeAnythingChanges() {
        try (NdArray w = NdArray.full(Dtype.F32, 1, 3); NdArray g = NdArray.full(Dtype.F32, 0.5, 3);
             Adam adam = new Adam(); ScheduledRestartSgd sr = new ScheduledRestartSgd()) {
            adam.addGroup(Adam.hyper().build(), new Params(w, g));
            adam.step();
            sr.addGroup(new ScheduledRestartSgd.Hyper(0.1, 0, 5), new Params(w, g));
            try (StateDict good = adam.stateDict()) {
                float[] before = adam.group().state(0, "exp_avg").toFloatArray();
                // an unknown buffer name
                try (NdArray stray = NdArray.zeros(Dtype.F32, 3)) {
                    Map<String, NdArray> st = new java.util.LinkedHashMap<>(good.buffers().get(0).get(0));
                    st.put("momentum_buffer", stray);
                    StateDict bad = new StateDict("adam", 7, good.hypers(), List.of(List.of(st)), Map.of());
                    refused(IllegalArgumentException.class, "state buffer momentum_buffer of group 0 parameter 0 is not one adam uses",
                            () -> adam.loadStateDict(bad));
                }
                // counters of another method
                StateDict counters = new StateDict("adam", 7, good.hypers(), good.buffers(), Map.of("c", 3.0));
                refused(IllegalArgumentException.class, "state has scalar counters [c], adam keeps []",
                        () -> adam.loadStateDict(counters));
                refused(IllegalArgumentException.class, "negative step count", () -> adam.loadStateDict(
                        new StateDict("adam", -1, good.hypers(), good.buffers(), Map.of())));
                assertEquals(1, adam.steps());
                assertArrayEquals(before, adam.group().state(0, "exp_avg").toFloatArray());
            }
            try (StateDict srState = sr.stateDict()) {
                StateDict missing = new StateDict("srsgd", 0, srState.hypers(), srState.buffers(), Map.of("c", 1.0));
                refused(IllegalArgumentException.class, "state has scalar counters [c], srsgd keeps [stage, stageSteps]",
                        () -> sr.loadStateDict(missing));
            }
        }
    }
}
