package org.inertia.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.CpuBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square float32 C = A·B through {@code CpuBackend.get().gemm}. GFLOP/s = 2n³ / t.
 *
 * <p>The kernel thread count is the system property {@code inertia.threads} (default: all processors),
 * read once per JVM, so pass it to the forked JVM:
 * <pre>
 * java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBenchmark \
 *     -jvmArgsAppend "--add-modules jdk.incubator.vector -Dinertia.threads=1"
 * </pre>
 * {@code bench/compare/gemm.sh} runs this for 1 and 2 threads next to numpy's OpenBLAS sgemm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {
    @Param({"256", "512", "1024", "2048"})
    int n;

    private NdArray a;
    private NdArray b;
    private NdArray c;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(42);
        a = random(r, n);
        b = random(r, n);
        c = NdArray.zeros(Dtype.F32, n, n);
    }

    private static NdArray random(SplittableRandom r, int n) {
        float[] d = new float[n * n];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(-1, 1);
        }
        return NdArray.of(d, n, n);
    }

    @Benchmark
    public NdArray gemm() {
        CpuBackend.get().gemm().gemm(false, false, 1.0, a, b, 0.0, c);
        return c;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
