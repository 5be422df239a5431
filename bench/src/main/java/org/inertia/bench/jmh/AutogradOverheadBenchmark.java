package org.inertia.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fixed cost of one small op through autograd: c = a + b on 8×8 float32 parameters, forward and
 * backward (seeded with ones, gradients accumulated into a and b), inside a {@link TensorScope} that frees
 * the result. Target: below 2 µs. The other methods take the pieces apart: the bare kernel on
 * preallocated arrays, one off-heap allocation + free, and the forward alone.
 *
 * <pre>./inertia jmh AutogradOverheadBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AutogradOverheadBenchmark {
    private final Backend backend = CpuBackend.get();
    private Tensor a;
    private Tensor b;
    private NdArray seed;
    private NdArray out;

    @Setup(Level.Trial)
    public void setUp() {
        a = Tensor.parameter(NdArray.full(Dtype.F32, 1.5, 8, 8));
        b = Tensor.parameter(NdArray.full(Dtype.F32, -0.5, 8, 8));
        seed = NdArray.full(Dtype.F32, 1, 8, 8);
        out = NdArray.zeros(Dtype.F32, 8, 8);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        seed.close();
        out.close();
    }

    /** The measured quantity: forward + backward of one 8×8 add through autograd, in a scope. */
    @Benchmark
    public double addForwardBackward() {
        try (TensorScope s = TensorScope.open()) {
            Tensor c = a.add(b);
            c.backward(seed, false);
            return c.data().getAt(0);
        }
    }

    /** Forward only (graph recorded, result freed by the scope). */
    @Benchmark
    public double addForward() {
        try (TensorScope s = TensorScope.open()) {
            return a.add(b).data().getAt(0);
        }
    }

    /** The kernel alone on preallocated arrays. */
    @Benchmark
    public double kernelOnly() {
        backend.elementwise().add(a.data(), b.data(), out);
        return out.getAt(0);
    }

    /** One 8×8 off-heap allocation and free (each op result and each gradient costs one or more). */
    @Benchmark
    public double allocateAndFree() {
        try (NdArray t = NdArray.zeros(Dtype.F32, 8, 8)) {
            return t.getAt(0);
        }
    }
}
