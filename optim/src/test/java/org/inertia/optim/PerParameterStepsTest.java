package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-parameter step counters, PyTorch's {@code state[p]["step"]}: a parameter without a gradient at a step
 * (PyTorch's {@code p.grad is None}, named here by {@link Optimizer#step(LossClosure, java.util.function.Predicate)}'s
 * predicate) is skipped and its counter lags; a group added later starts its own counters; counters survive
 * a state dict, and a dict without per-parameter counters gives each parameter its group's.
 *
 * <p>The expected values are PyTorch 2.13's (CPU, float64 default dtype) for the scenario below, from this
 * script (/work/venv-torch): parameters a = [1, −0.5, 0.25] and b = [0.3, −0.7] in group 0, c = [−1.2, 0.4]
 * in a group added before step 4; the gradient of parameter {@code which} (a 0, b 1, c 2) at step k is
 * cos(0.7·k·(i+1) + which) + 0.1·which, except that b has none at steps 1, 3, 4, 8 and c none at 5, 6
 * (final counters a 10, b 6, c 5).
 * <pre>
 * def run(make, kw0, kw1):
 *     a, b, c = (torch.tensor(v, requires_grad=True) for v in ([1.0, -0.5, 0.25], [0.3, -0.7], [-1.2, 0.4]))
 *     opt = make([{"params": [a, b], **kw0}])
 *     for k in range(1, 11):
 *         if k == 4: opt.add_param_group({"params": [c], **kw1})
 *         for name, p, which in (("a", a, 0), ("b", b, 1), ("c", c, 2)):
 *             p.grad = None if k in NONE.get(name, ()) else grad(k, which, p.numel())
 *         opt.step()
 * run(torch.optim.Adam, dict(lr=0.1, weight_decay=0.01), dict(lr=0.05))
 * run(torch.optim.RAdam, dict(lr=0.1, betas=(0.9, 0.9)), dict(lr=0.05, betas=(0.9, 0.9)))
 * run(torch.optim.NAdam, dict(lr=0.1, momentum_decay=0.04), dict(lr=0.05, momentum_decay=0.04))
 * run(torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.3), dict(lr=0.05, lr_decay=0.3))
 * </pre>
 * RAdam's β2 = 0.9 makes ρ_t cross 5 at t = 6, so the counters decide between its two branches.
 */
class PerParameterStepsTest {
    private static final int STEPS = 10;
    private static final int ADD_SECOND_GROUP_AT = 4;
    private static final List<Set<Integer>> NO_GRADIENT = List.of(Set.of(), Set.of(1, 3, 4, 8), Set.of(5, 6));

    private static final double[] ADAM = {0.9572074743494747, -0.43519806177089354, 0.5032982971065922,
        0.33473787798318455, -0.2923761077750592, -1.3768633278375044, 0.20498115301714476};
    private static final double[] RADAM = {0.9465919567316653, -0.42593185873609646, 0.3835321659586891,
        0.32403286309140106, -0.4698653814263554, -1.299533917984391, 0.2669433961424117};
    private static final double[] NADAM = {0.9295764013743207, -0.5589607449336091, 0.41539422698072387,
        0.19806106112038277, -0.44867051569619587, -1.2927392257276773, 0.2864111441622825};
    private static final double[] ADAGRAD = {0.9522320425453663, -0.5373999763713391, 0.376639447231235,
        0.31357843450520584, -0.5443840387452868, -1.2822958490367502, 0.3085143630579503};

    /** A method, the hyperparameters of its two groups and PyTorch's final a, b, c. */
    record Case<H extends Optimizer.Hyper>(String name, Supplier<Optimizer<H>> make, H first, H second,
                                           double[] expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case<?>> cases() {
        return Stream.of(
                new Case<>("adam", Adam::new, Adam.hyper().lr(0.1).weightDecay(0.01).build(), Adam.hyper().lr(0.05).build(),
                        ADAM),
                new Case<>("radam", RAdam::new, RAdam.hyper().lr(0.1).betas(0.9, 0.9).build(),
                        RAdam.hyper().lr(0.05).betas(0.9, 0.9).build(), RADAM),
                new Case<>("nadam", NAdam::new, NAdam.hyper().lr(0.1).momentumDecay(0.04).build(),
                        NAdam.hyper().lr(0.05).momentumDecay(0.04).build(), NADAM),
                new Case<>("adagrad", AdaGrad::new, new AdaGrad.Hyper(0.1, 0.3, 0, 0, 1e-10, false),
                        new AdaGrad.Hyper(0.05, 0.3, 0, 0, 1e-10, false), ADAGRAD));
    }

    /** The three parameters a, b, c with their gradient buffers, and the optimizer stepping them. */
    private static final class Run<H extends Optimizer.Hyper> implements AutoCloseable {
        final Case<H> c;
        final List<Params> ps = new ArrayList<>();
        final Optimizer<H> opt;

        Run(Case<H> c) {
            this.c = c;
            double[][] init = {{1.0, -0.5, 0.25}, {0.3, -0.7}, {-1.2, 0.4}};
            for (double[] v : init) {
                ps.add(new Params(NdArray.ofDoubles(v, v.length), NdArray.zeros(Dtype.F64, v.length)));
            }
            opt = c.make().get();
            opt.addGroup(c.first(), ps.get(0), ps.get(1));
        }

        /** Steps k = from … to (1-based), adding the second group before step 4. */
        void steps(int from, int to) {
            for (int k = from; k <= to; k++) {
                if (k == ADD_SECOND_GROUP_AT) {
                    opt.addGroup(c.second(), ps.get(2));
                }
                int step = k;
                for (int which = 0; which < 3; which++) {
                    NdArray g = ps.get(which).grad();
                    for (int i = 0; i < g.numel(); i++) {
                        g.setAtOffset(i, Math.cos(0.7 * k * (i + 1) + which) + 0.1 * which);
                    }
                }
                opt.step(null, p -> !NO_GRADIENT.get(ps.indexOf(p)).contains(step));
            }
        }

        double[] values() {
            List<Double> out = new ArrayList<>();
            for (Params p : ps) {
                for (double v : p.param().toDoubleArray()) {
                    out.add(v);
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }

        @Override
        public void close() {
            opt.close();
            for (Params p : ps) {
                p.param().close();
                p.grad().close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    <H extends Optimizer.Hyper> void skippedParametersLagAndMatchPyTorch(Case<H> c) {
        try (Run<H> run = new Run<>(c)) {
            run.steps(1, STEPS);
            assertArrayEquals(c.expected(), run.values(), 1e-13, c.name());
            Optimizer.Group<H> g0 = run.opt.groups().get(0);
            Optimizer.Group<H> g1 = run.opt.groups().get(1);
            assertEquals(STEPS, g0.steps());
            assertEquals(STEPS, g0.steps(0));
            assertEquals(6, g0.steps(1));
            assertEquals(STEPS - ADD_SECOND_GROUP_AT + 1, g1.steps());
            assertEquals(5, g1.steps(0));
            assertEquals(Map.of("step.0.1", 6.0, "step.1", 7.0, "step.1.0", 5.0), counters(run.opt.scalarState()));
        }
    }

    @Test
    void aSkippedParameterIsUntouchedAndItsStateIsAllocatedAtItsFirstGradient() {
        @SuppressWarnings("unchecked")
        Case<Adam.Hyper> c = (Case<Adam.Hyper>) cases().findFirst().orElseThrow();
        try (Run<Adam.Hyper> run = new Run<>(c)) {
            double[] b = run.ps.get(1).param().toDoubleArray();
            run.steps(1, 1);
            assertArrayEquals(b, run.ps.get(1).param().toDoubleArray(), 0);
            assertNull(run.opt.group().state(1, "exp_avg"));
            assertEquals(0, run.opt.group().steps(1));
            assertEquals(1, run.opt.group().steps(0));
            run.steps(2, 2);
            assertNotNull(run.opt.group().state(1, "exp_avg"));
            assertEquals(1, run.opt.group().steps(1));
            double[] m = run.opt.group().state(1, "exp_avg").toDoubleArray();
            double[] after2 = run.ps.get(1).param().toDoubleArray();
            run.steps(3, 3); // no gradient for b: parameter and state stay
            assertArrayEquals(after2, run.ps.get(1).param().toDoubleArray(), 0);
            assertArrayEquals(m, run.opt.group().state(1, "exp_avg").toDoubleArray(), 0);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    <H extends Optimizer.Hyper> void resumingFromAStateDictIsBitExact(Case<H> c) {
        for (int stopAt : new int[] {2, 5, 7}) {
            try (Run<H> straight = new Run<>(c); Run<H> first = new Run<>(c); Run<H> resumed = new Run<>(c)) {
                straight.steps(1, STEPS);
                first.steps(1, stopAt);
                if (stopAt >= ADD_SECOND_GROUP_AT) {
                    resumed.opt.addGroup(c.second(), resumed.ps.get(2));
                }
                for (int i = 0; i < 3; i++) {
                    resumed.ps.get(i).param().copyFrom(first.ps.get(i).param());
                }
                try (StateDict sd = first.opt.stateDict()) {
                    resumed.opt.loadStateDict(sd);
                }
                resumed.steps(stopAt + 1, STEPS);
                assertArrayEquals(straight.values(), resumed.values(), 0, c.name() + " resumed after step " + stopAt);
                assertEquals(straight.opt.scalarState(), resumed.opt.scalarState());
            }
        }
    }

    @Test
    void aDictWithoutParameterCountersGivesEachParameterItsGroupsCount() {
        @SuppressWarnings("unchecked")
        Case<Adam.Hyper> c = (Case<Adam.Hyper>) cases().findFirst().orElseThrow();
        try (Run<Adam.Hyper> run = new Run<>(c); Run<Adam.Hyper> other = new Run<>(c)) {
            run.steps(1, 6);
            other.opt.addGroup(c.second(), other.ps.get(2));
            try (StateDict sd = run.opt.stateDict()) {
                assertEquals(Map.of("step.0.1", 3.0, "step.1", 3.0, "step.1.0", 1.0), counters(sd.scalars()));
                Map<String, Double> legacy = new HashMap<>(sd.scalars());
                legacy.remove("step.0.1");
                legacy.remove("step.1.0");
                other.opt.loadStateDict(new StateDict(sd.method(), sd.steps(), sd.hypers(), sd.buffers(), legacy));
                assertEquals(6, other.opt.groups().get(0).steps(1));
                assertEquals(3, other.opt.groups().get(1).steps(0));
                assertEquals(Map.of("step.1", 3.0), counters(other.opt.scalarState()));
            }
        }
    }

    @Test
    void badParameterCountersAreRefusedNamingTheKey() {
        @SuppressWarnings("unchecked")
        Case<Adam.Hyper> c = (Case<Adam.Hyper>) cases().findFirst().orElseThrow();
        try (Run<Adam.Hyper> run = new Run<>(c); Run<Adam.Hyper> other = new Run<>(c)) {
            run.steps(1, 6);
            other.opt.addGroup(c.second(), other.ps.get(2));
            try (StateDict sd = run.opt.stateDict()) {
                for (var bad : List.of(Map.entry("step.1.0", 4.0), Map.entry("step.0.2", 1.0), Map.entry("step.0.1", 1.5),
                        Map.entry("step.0.1", -1.0))) {
                    Map<String, Double> s = new HashMap<>(sd.scalars());
                    s.put(bad.getKey(), bad.getValue());
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.opt.loadStateDict(
                            new StateDict(sd.method(), sd.steps(), sd.hypers(), sd.buffers(), s)));
                    assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
                    assertEquals(0, other.opt.steps(), "nothing loaded");
                }
            }
        }
    }

    @Test
    void everyParameterWithAGradientKeepsTheFlatGroupOneCallAndNoCounterKeys() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, org.inertia.kernels.Shape.of(3),
                org.inertia.kernels.Shape.of(2)); Adam opt = new Adam()) {
            opt.addGroup(Adam.hyper().lr(0.1).build(), f);
            f.grads().setAtOffset(0, 1);
            opt.step(null, p -> true);
            opt.step();
            assertEquals(1, opt.group().params().size());
            assertEquals(2, opt.group().steps(0));
            assertEquals(Map.of(), counters(opt.scalarState()));
            opt.step(null, p -> false);
            assertEquals(3, opt.group().steps());
            assertEquals(2, opt.group().steps(0));
            assertEquals(Map.of("step.0.0", 2.0), counters(opt.scalarState()));
        }
    }

    private static Map<String, Double> counters(Map<String, Double> scalars) {
        Map<String, Double> out = new HashMap<>();
        scalars.forEach((k, v) -> {
            if (k.startsWith(Optimizer.GROUP_STEP)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
