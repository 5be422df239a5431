package org.inertia.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * Every kernel family's provider picks its float32 implementation once, from {@link SimdSupport}'s
 * decision: the SIMD class (loaded by name) when the vector module is present, the scalar class when it
 * is missing (after exactly one warning for all families together) or switched off (silently); float64
 * is always scalar. A child JVM without the module runs one call of every family through the CPU
 * backend and gets the right numbers, which shows that the scalar path links no incubator class.
 */
class KernelProvidersTest {
    /** Family name → (its float32 choice, its SIMD class name). */
    private static Map<String, Object[]> families() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put("Blas1", new Object[] {Blas1Provider.float32(), Blas1Provider.SIMD_CLASS, Blas1Provider.scalar()});
        m.put("Elementwise", new Object[] {ElementwiseProvider.float32(), ElementwiseProvider.SIMD_CLASS,
            ElementwiseProvider.scalar()});
        m.put("Reductions", new Object[] {ReductionsProvider.float32(), ReductionsProvider.SIMD_CLASS,
            ReductionsProvider.scalar()});
        m.put("Gemm", new Object[] {GemmProvider.float32(), GemmProvider.SIMD_CLASS, GemmProvider.scalar()});
        m.put("Conv", new Object[] {ConvProvider.float32(), ConvProvider.SIMD_CLASS, ConvProvider.scalar()});
        m.put("Layers", new Object[] {LayersProvider.float32(), LayersProvider.SIMD_CLASS, LayersProvider.scalar()});
        m.put("LstmGates", new Object[] {LstmGatesProvider.float32(), LstmGatesProvider.SIMD_CLASS,
            LstmGatesProvider.scalar()});
        m.put("GradClip", new Object[] {GradClipProvider.float32(), GradClipProvider.SIMD_CLASS,
            GradClipProvider.scalar()});
        return m;
    }

    /** The child: prints every family's float32 choice, then one float32 result per family. */
    public static void main(String[] args) {
        StringBuilder choice = new StringBuilder("choice:");
        families().forEach((name, f) -> choice.append(' ').append(name).append('=')
                .append(f[0].getClass().getSimpleName()));
        System.out.println(choice);
        Backend be = CpuBackend.get();
        try (NdArray x = NdArray.of(new float[] {1, -2, 3, -4}, 4);
             NdArray y = NdArray.of(new float[] {1, 1, 1, 1}, 4);
             NdArray m = NdArray.of(new float[] {1, 2, 3, 4}, 2, 2);
             NdArray mm = NdArray.zeros(Dtype.F32, 2, 2); NdArray r = NdArray.zeros(Dtype.F32, 2, 2);
             NdArray s = NdArray.zeros(Dtype.F32, 2);
             NdArray img = NdArray.of(new float[] {1, 5, 3, 2}, 1, 1, 2, 2);
             NdArray pooled = NdArray.zeros(Dtype.F32, 1, 1, 1, 1); NdArray idx = NdArray.zeros(Dtype.I32, 1, 1, 1, 1);
             NdArray gates = NdArray.zeros(Dtype.F32, 1, 4); NdArray cPrev = NdArray.full(Dtype.F32, 2, 1, 1);
             NdArray act = NdArray.zeros(Dtype.F32, 1, 4); NdArray c = NdArray.zeros(Dtype.F32, 1, 1);
             NdArray tanhC = NdArray.zeros(Dtype.F32, 1, 1); NdArray h = NdArray.zeros(Dtype.F32, 1, 1)) {
            be.blas1().axpy(2, x, y); // y = 3, -3, 7, -7
            System.out.println("blas1=" + be.blas1().dot(y, y));
            be.elementwise().binary(BinaryOp.MUL, m, m, mm); // 1 4 9 16
            be.elementwise().unary(UnaryOp.NEG, mm, mm);
            System.out.println("elementwise=" + mm.get(1, 1));
            be.reductions().sum(m, 0, s); // 4, 6
            System.out.println("reductions=" + s.get(1));
            be.gemm().gemm(false, false, 1, m, m, 0, r); // [[7, 10], [15, 22]]
            System.out.println("gemm=" + r.get(1, 1));
            be.conv().maxPool2d(img, Conv2dGeometry.square(2, 2, 0, 1), pooled, idx);
            System.out.println("conv=" + pooled.get(0, 0, 0, 0) + "@" + (int) idx.get(0, 0, 0, 0));
            be.layers().addBiasRelu(x.reshape(2, 2), null, r); // 1 0 3 0
            System.out.println("layers=" + r.get(1, 0));
            be.lstmGates().forward(gates, cPrev, act, c, tanhC, h); // c = 0.5·2 + 0.5·0 = 1
            System.out.println("lstmGates=" + c.get(0, 0));
            System.out.println("gradClip=" + be.gradClip().sumOfSquares(m));
        }
    }

    private static final List<String> EXPECTED = List.of("blas1=116.0", "elementwise=-16.0", "reductions=6.0",
            "gemm=22.0", "conv=5.0@1", "layers=3.0", "lstmGates=1.0", "gradClip=30.0");

    private record Run(String out, String err) {
    }

    private static Run child(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KernelProvidersTest.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue(), err);
        return new Run(out, err);
    }

    private static void assertEveryFamily(Run r, Function<String, String> implName) {
        for (String f : families().keySet()) {
            assertTrue(r.out().contains(" " + f + "=" + implName.apply(f)), f + ": " + r.out());
        }
        for (String line : EXPECTED) {
            assertTrue(r.out().contains(line), line + " in " + r.out());
        }
    }

    @Test
    void thisJvmRunsTheImplementationsSimdSupportAsksAndFloat64IsScalar() {
        families().forEach((name, f) -> {
            Object float32 = f[0];
            String simdClass = (String) f[1];
            Object scalar = f[2];
            assertEquals("org.inertia.kernels.simd." + name + "Simd", simdClass, name);
            assertEquals(name + "Scalar", scalar.getClass().getSimpleName(), name);
            assertEquals(SimdSupport.enabled() ? simdClass : scalar.getClass().getName(),
                    float32.getClass().getName(), name);
        });
        Supplier<List<Object>> f64 = () -> List.of(Blas1Provider.forDtype(Dtype.F64),
                ElementwiseProvider.forDtype(Dtype.F64), ReductionsProvider.forDtype(Dtype.F64),
                GemmProvider.forDtype(Dtype.F64), ConvProvider.forDtype(Dtype.F64), LayersProvider.forDtype(Dtype.F64),
                LstmGatesProvider.forDtype(Dtype.F64), GradClipProvider.forDtype(Dtype.F64));
        List<Object> scalars = families().values().stream().map(f -> f[2]).toList();
        assertEquals(scalars, f64.get());
        assertSame(GemmProvider.float32(), GemmProvider.forDtype(Dtype.F32));
        assertEquals(SimdSupport.enabled(), GemmProvider.simd());
    }

    @Test
    void withoutTheVectorModuleEveryFamilyRunsScalarAfterOneWarning() throws Exception {
        Run r = child();
        assertEveryFamily(r, f -> f + "Scalar");
        assertEquals(1, r.err().split("jdk.incubator.vector module is not in this JVM", -1).length - 1,
                "exactly one warning for all families: " + r.err());
    }

    @Test
    void withTheModuleEveryFamilyRunsSimdAndTheOptOutIsSilent() throws Exception {
        Run on = child("--add-modules", "jdk.incubator.vector");
        assertEveryFamily(on, f -> f + "Simd");
        assertFalse(on.err().contains("Inertia"), on.err());
        Run off = child("--add-modules", "jdk.incubator.vector", "-Dinertia.simd=false");
        assertEveryFamily(off, f -> f + "Scalar");
        assertFalse(off.err().contains("Inertia"), off.err());
    }
}
