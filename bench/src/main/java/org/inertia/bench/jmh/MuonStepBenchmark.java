package org.inertia.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Backends;
import org.inertia.kernels.Blas1;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.Gemm;
import org.inertia.kernels.NdArray;
import org.inertia.optim.Muon;
import org.inertia.optim.Params;
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
 * One {@link Muon} step on one float32 matrix of {@code shape} (rows x cols), beside the GEMMs that step
 * contains, run alone on the same shapes and operands: issue #13's "Muon's step time against the GEMM
 * time it contains". The step is the fused momentum kernel, the Frobenius norm and scaling, five
 * Newton-Schulz iterations of three GEMMs each, and the weight update; {@link #gemms()} makes exactly the
 * iterations' GEMM calls (A = X Xᵀ, B = c A A + b B, Y = B X + a Y for a wide matrix; for a tall one the
 * same in its own orientation, A = XᵀX and Y = X B + a Y, as {@link Muon} runs them) and nothing else, so
 * step / gemms is the step's cost relative to
 * the matrix products in it; {@link #newtonSchulz()} adds the iterations' two copies, which splits the rest
 * into copies and the element-wise work. With r = min(rows, cols) and c = max(rows, cols), one iteration
 * is 2r²c + 2r³ + 2r²c flops.
 *
 * <pre>./inertia jmh MuonStepBenchmark -p shape=784x128,128x10,1024x1024</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MuonStepBenchmark {
    /** Rows x columns of the matrix parameter. */
    @Param({"784x128", "128x10", "1024x1024"})
    public String shape;

    private NdArray w;
    private NdArray g;
    private Muon muon;
    private Muon.Hyper hyper;
    private Gemm gemm;
    private Blas1 blas1;
    private NdArray x;
    private NdArray y;
    private NdArray a;
    private NdArray b;
    private boolean tall;

    @Setup(Level.Trial)
    public void setUp() {
        String[] mn = shape.split("x");
        int m = Integer.parseInt(mn[0]);
        int n = Integer.parseInt(mn[1]);
        Random r = new Random(42);
        w = NdArray.zeros(Dtype.F32, m, n);
        g = NdArray.zeros(Dtype.F32, m, n);
        x = NdArray.zeros(Dtype.F32, m, n);
        y = NdArray.zeros(Dtype.F32, m, n);
        for (int i = 0; i < m * n; i++) {
            w.setAtOffset(i, r.nextGaussian() * 0.05);
            g.setAtOffset(i, r.nextGaussian() * 1e-3);
            x.setAtOffset(i, r.nextGaussian() / Math.sqrt((double) m * n)); // ‖X‖_F ≈ 1, as after the scaling
        }
        int k = Math.min(m, n);
        a = NdArray.zeros(Dtype.F32, k, k);
        b = NdArray.zeros(Dtype.F32, k, k);
        tall = m > n;
        hyper = Muon.hyper().build();
        muon = new Muon();
        muon.addGroup(hyper, new Params(w, g));
        muon.step(); // allocates the momentum buffer and the scratch matrices outside the measurement
        gemm = Backends.get().gemm();
        blas1 = Backends.get().blas1();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        muon.close();
        for (NdArray arr : new NdArray[] {w, g, x, y, a, b}) {
            arr.close();
        }
    }

    /** One Muon step: momentum, normalisation, Newton-Schulz, update. */
    @Benchmark
    public void step() {
        muon.step();
    }

    /**
     * One step's Newton-Schulz iterations as the step runs them: the three GEMMs and the two copies
     * (B ← A before B = c A A + b B, Y ← X before Y = B X + a Y, or X B + a Y for a tall matrix).
     * {@link #step()} minus this is the momentum kernel, the norm and the weight update;
     * this minus {@link #gemms()} is the copies.
     */
    @Benchmark
    public NdArray newtonSchulz() {
        for (int j = 0; j < hyper.nsSteps(); j++) {
            gemmA();
            blas1.copy(a, b);
            gemm.gemm(false, false, hyper.nsC(), a, a, hyper.nsB(), b);
            blas1.copy(x, y);
            gemmY(hyper.nsA());
        }
        return y;
    }

    /** A = X Xᵀ, or XᵀX for a tall matrix: Muon's first product of an iteration. */
    private void gemmA() {
        if (tall) {
            gemm.gemm(true, false, 1, x, x, 0, a);
        } else {
            gemm.gemm(false, true, 1, x, x, 0, a);
        }
    }

    /** Y = B X + β Y, or X B + β Y for a tall matrix: Muon's last product of an iteration. */
    private void gemmY(double beta) {
        if (tall) {
            gemm.gemm(false, false, 1, x, b, beta, y);
        } else {
            gemm.gemm(false, false, 1, b, x, beta, y);
        }
    }

    /**
     * The GEMM calls of one step's Newton-Schulz iterations, on the same shapes and views, alone. The step
     * copies A into B and X into Y before the calls that accumulate into them; here those outputs carry
     * over from call to call instead, so their β is the step's divided by 8 to keep the values bounded
     * (|β| &lt; 1). The GEMM kernels treat only β = 0 specially, so the cost is the same.
     */
    @Benchmark
    public NdArray gemms() {
        for (int j = 0; j < hyper.nsSteps(); j++) {
            gemmA();
            gemm.gemm(false, false, hyper.nsC(), a, a, hyper.nsB() / 8, b);
            gemmY(hyper.nsA() / 8);
        }
        return y;
    }
}
