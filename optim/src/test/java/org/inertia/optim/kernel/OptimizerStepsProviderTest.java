package org.inertia.optim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.SimdSupport;
import org.junit.jupiter.api.Test;

/**
 * The provider picks the implementation once, from kernels' SIMD decision: SIMD for float32 when the
 * vector module is present, the scalar loops (after kernels' one warning) when it is missing or SIMD is
 * switched off, and always the scalar loops for float64. Without the module an Adam step still runs,
 * which shows that the scalar path links no incubator class.
 */
class OptimizerStepsProviderTest {
    /** The child: reports the choice and takes one float32 Adam step. */
    public static void main(String[] args) {
        System.out.println("simd=" + OptimizerStepsProvider.simd() + " " + OptimizerStepsProvider.describe());
        try (NdArray w = NdArray.full(Dtype.F32, 1, 5); NdArray g = NdArray.full(Dtype.F32, 2, 5);
             NdArray m = NdArray.zeros(Dtype.F32, 5); NdArray v = NdArray.zeros(Dtype.F32, 5)) {
            OptimizerSteps.adam(StepHyper.Adam.forStep(0.1, 0.9, 0.999, 1e-8, 0, false, false, false, 1), w, g,
                    new AdamState(m, v, null));
            System.out.println("w=" + (float) w.get(4));
        }
    }

    private record Run(String out, String err) {
    }

    private static Run child(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                OptimizerStepsProviderTest.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue(), err);
        return new Run(out, err);
    }

    @Test
    void thisJvmRunsTheImplementationKernelsDecisionAsks() {
        assertEquals(SimdSupport.enabled(), OptimizerStepsProvider.simd());
        assertSame(OptimizerStepsScalar.INSTANCE, OptimizerStepsProvider.forDtype(Dtype.F64));
        assertSame(OptimizerStepsProvider.float32(), OptimizerStepsProvider.forDtype(Dtype.F32));
        if (SimdSupport.enabled()) {
            assertEquals(OptimizerStepsProvider.SIMD_CLASS, OptimizerStepsProvider.float32().getClass().getName());
        }
    }

    @Test
    void withoutTheVectorModuleTheScalarStepsRunAfterOneWarning() throws Exception {
        Run r = child();
        assertTrue(r.out().contains("simd=false") && r.out().contains("float32 OptimizerStepsScalar"), r.out());
        float expected = (float) (1 - 0.1 * 2 / (2 + 1e-8));
        assertTrue(r.out().contains("w=" + expected), r.out());
        assertEquals(1, r.err().split("jdk.incubator.vector module is not in this JVM", -1).length - 1,
                "exactly one warning: " + r.err());
    }

    @Test
    void withTheModuleFloat32RunsTheSimdStepsAndTheOptOutIsSilent() throws Exception {
        Run on = child("--add-modules", "jdk.incubator.vector");
        assertTrue(on.out().contains("simd=true") && on.out().contains("float32 OptimizerStepsSimd"), on.out());
        assertFalse(on.err().contains("Inertia"), on.err());
        Run off = child("--add-modules", "jdk.incubator.vector", "-Dinertia.simd=false");
        assertTrue(off.out().contains("simd=false"), off.out());
        assertFalse(off.err().contains("Inertia"), off.err());
    }
}
