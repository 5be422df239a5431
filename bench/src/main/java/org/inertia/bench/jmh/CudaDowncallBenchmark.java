package org.inertia.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.inertia.cuda.Cuda;
import org.inertia.cuda.CudaRuntime;
import org.inertia.cuda.CudaStream;
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
 * The cost of one FFM downcall into the CUDA runtime through our bindings (status check included).
 * {@code cudaGetLastError} needs only libcudart, so it measures the Java-to-C transition on any machine
 * with the runtime installed; {@code cudaStreamQuery} on an idle stream needs a device (the benchmark
 * fails in setup without one) and adds the driver's own work.
 *
 * <pre>./inertia jmh CudaDowncallBenchmark.cudaGetLastError</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CudaDowncallBenchmark {
    private CudaStream stream;

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        if (!CudaRuntime.libraryAvailable()) {
            throw new IllegalStateException("libcudart not found: " + CudaRuntime.libraryUnavailableReason());
        }
        if (params.getBenchmark().endsWith("cudaStreamQuery")) {
            if (!Cuda.available()) {
                throw new IllegalStateException(Cuda.probe().describe());
            }
            stream = CudaStream.create();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (stream != null) {
            stream.close();
        }
    }

    @Benchmark
    public int cudaGetLastError() {
        return CudaRuntime.cudaGetLastError();
    }

    @Benchmark
    public boolean cudaStreamQuery() {
        return stream.isIdle();
    }
}
