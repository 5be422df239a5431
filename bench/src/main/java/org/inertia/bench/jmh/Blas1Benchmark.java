package org.inertia.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Backend;
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
 * Float32 dot and axpy through the CPU backend. Bytes moved per element: dot reads 8; axpy reads 8
 * and writes 4 (12). Sizes from 1e3 (in L1) to 1e8 (400 MB per vector). Mind the machine's last-level
 * cache: on a part with a 480 MiB L3, 1e7 (80 MB for two vectors) still runs from cache, and only 1e8 is
 * bound by DRAM bandwidth.
 *
 * <pre>./inertia jmh Blas1Benchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class Blas1Benchmark {
    // Threads: large vectors are chunked over the kernel pool; set -Dinertia.threads=1 for one core.
    @Param({"1000", "10000", "100000", "1000000", "10000000", "100000000"})
    public int n;

    private final Backend backend = CpuBackend.get();
    private NdArray x;
    private NdArray y;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(42);
        x = NdArray.zeros(Dtype.F32, n);
        y = NdArray.zeros(Dtype.F32, n);
        for (int i = 0; i < n; i++) {
            x.set(r.nextFloat(), i);
            y.set(r.nextFloat(), i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        y.close();
    }

    @Benchmark
    public double dot() {
        return backend.blas1().dot(x, y);
    }

    @Benchmark
    public void axpy() {
        // alpha alternates sign each call would cost a branch; a tiny alpha keeps values bounded over billions of calls
        backend.blas1().axpy(1e-7, x, y);
    }
}
