package org.inertia.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.StateDict;
import org.inertia.optim.kernel.OptimizerStepsProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checkpoint written by the code before the optimizer kernels moved into optim (commit fa7cd65, see the
 * resource's README) still loads: every optimizer's state buffers keep their on-disk keys and values,
 * and the next step gives bit for bit the parameters, state and counters that the old code computed.
 *
 * <p>On the scalar provider (nn's second surefire run, {@code -Dinertia.simd=false}) the float32 fixtures'
 * step-4 values are not compared: the old code wrote them with the SIMD kernels, so they pin the SIMD
 * kernels' float32 bits by construction, and the scalar loops (double arithmetic, one rounding) legitimately
 * differ in the last bit. That run still checks that every checkpoint loads under the same keys with the
 * same values, and the float64 fixture ({@code adam_f64}, scalar on both runs) continues bit for bit. The
 * scalar and SIMD steps are compared with a-priori error bounds by optim's
 * {@code OptimizerStepsPropertiesTest}. The SIMD run (the default) checks everything, unchanged.
 */
class LegacyOptimizerCheckpointTest {
    /** The state-dict keys each optimizer wrote (one group; the same for both parameters). */
    private static final Map<String, List<String>> KEYS = Map.ofEntries(
            Map.entry("adam_amsgrad", List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq")),
            Map.entry("adamw", List.of("exp_avg", "exp_avg_sq")),
            Map.entry("adam_f64", List.of("exp_avg", "exp_avg_sq")),
            Map.entry("sgd_momentum", List.of("momentum_buffer")),
            Map.entry("sgd_nesterov", List.of("momentum_buffer")),
            Map.entry("sgd_plain", List.of()),
            Map.entry("heavy_ball", List.of("velocity")),
            Map.entry("sutskever", List.of("velocity")),
            Map.entry("nag", List.of("previous")),
            Map.entry("arnag", List.of("previous")),
            Map.entry("srsgd", List.of("previous")),
            Map.entry("sgdem", List.of("velocity")),
            Map.entry("aggmo", List.of("velocity0", "velocity1", "velocity2")),
            Map.entry("rmsprop_centered", List.of("square_avg", "grad_avg", "momentum_buffer")),
            Map.entry("rmsprop", List.of("square_avg")),
            Map.entry("rprop", List.of("prev", "step_size")),
            Map.entry("adagrad", List.of("sum")),
            Map.entry("sgld", List.of()),
            Map.entry("sghmc", List.of("momentum")));

    static List<String> names() {
        return LegacyOptimizerFixture.NAMES;
    }

    private static Path resource(String file) throws URISyntaxException {
        return Path.of(LegacyOptimizerCheckpointTest.class.getResource("/legacy-optimizer-checkpoint/" + file).toURI());
    }

    @ParameterizedTest
    @MethodSource("names")
    void loadsAndTheNextStepIsBitIdenticalToTheOldCode(String name) throws Exception {
        Map<String, NdArray> params = SafeTensors.load(resource("params.safetensors"));
        List<Params> ps = LegacyOptimizerFixture.params(name);
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).param().copyFrom(params.get(name + ".step3." + i));
        }
        Optimizer<?> opt = LegacyOptimizerFixture.create(name, ps);
        new Checkpoint().optimizer(name, opt).load(resource("optimizers-step3.safetensors"));
        assertEquals(3, opt.steps(), name + " steps");

        // the state is the file's, under the same keys
        Map<String, NdArray> raw = SafeTensors.load(resource("optimizers-step3.safetensors"));
        try (StateDict sd = opt.stateDict()) {
            for (int i = 0; i < ps.size(); i++) {
                Map<String, NdArray> buffers = sd.buffers().get(0).get(i);
                assertEquals(KEYS.get(name), List.copyOf(buffers.keySet()), name + " parameter " + i + " keys");
                for (var e : buffers.entrySet()) {
                    NdArray stored = raw.get(name + ".0." + i + "." + e.getKey());
                    assertArrayEquals(stored.toDoubleArray(), e.getValue().toDoubleArray(),
                            name + " " + e.getKey() + " of parameter " + i);
                }
            }
        }

        // step 4 continues exactly as the old code did (with the kernels that wrote the fixture: see above)
        LegacyOptimizerFixture.step(name, opt, ps, 4);
        if (ps.get(0).param().dtype() == Dtype.F32 && !OptimizerStepsProvider.simd()) {
            closeAll(opt, null, raw, params, ps, List.of());
            return;
        }
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(params.get(name + ".step4." + i).toDoubleArray(), ps.get(i).param().toDoubleArray(),
                    name + " parameter " + i + " after step 4");
        }
        List<Params> expectedParams = LegacyOptimizerFixture.params(name);
        Optimizer<?> expected = LegacyOptimizerFixture.create(name, expectedParams);
        new Checkpoint().optimizer(name, expected).load(resource("optimizers-step4.safetensors"));
        try (StateDict got = opt.stateDict(); StateDict want = expected.stateDict()) {
            assertEquals(want.steps(), got.steps(), name + " steps");
            assertEquals(new TreeSet<>(want.scalars().entrySet().stream().map(Object::toString).toList()),
                    new TreeSet<>(got.scalars().entrySet().stream().map(Object::toString).toList()), name + " counters");
            for (int i = 0; i < ps.size(); i++) {
                Map<String, NdArray> w = want.buffers().get(0).get(i);
                Map<String, NdArray> g = got.buffers().get(0).get(i);
                assertEquals(w.keySet(), g.keySet(), name + " parameter " + i + " keys after step 4");
                for (String key : w.keySet()) {
                    assertArrayEquals(w.get(key).toDoubleArray(), g.get(key).toDoubleArray(),
                            name + " " + key + " of parameter " + i + " after step 4");
                }
            }
        }
        closeAll(opt, expected, raw, params, ps, expectedParams);
    }

    private static void closeAll(Optimizer<?> opt, Optimizer<?> expected, Map<String, NdArray> raw,
            Map<String, NdArray> params, List<Params> ps, List<Params> expectedParams) {
        opt.close();
        if (expected != null) {
            expected.close();
        }
        raw.values().forEach(NdArray::close);
        params.values().forEach(NdArray::close);
        for (List<Params> list : List.of(ps, expectedParams)) {
            for (Params p : list) {
                p.param().close();
                p.grad().close();
            }
        }
    }
}
