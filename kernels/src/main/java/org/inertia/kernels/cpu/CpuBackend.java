package org.inertia.kernels.cpu;

import java.util.function.IntConsumer;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Blas1;
import org.inertia.kernels.Conv;
import org.inertia.kernels.Elementwise;
import org.inertia.kernels.Gemm;
import org.inertia.kernels.GradClip;
import org.inertia.kernels.Layers;
import org.inertia.kernels.LstmGates;
import org.inertia.kernels.Reductions;

/**
 * The CPU backend: one validating facade per kernel family, each built once over the float32
 * implementation its provider chose ({@code simd.XxxSimd} when SIMD is on, else {@code XxxScalar}) and the
 * scalar float64 implementation. Nothing is decided per call but the operands' dtype; the coarse
 * parallelism is the {@link KernelPool}. Upper layers obtain it through {@code Backends.get()}.
 */
public final class CpuBackend implements Backend {
    /** Its {@link #name()}. */
    public static final String NAME = "cpu";
    private static final CpuBackend INSTANCE = new CpuBackend();

    private final Blas1 blas1 = new Blas1(Blas1Provider.float32(), Blas1Provider.scalar());
    private final Elementwise elementwise = new Elementwise(ElementwiseProvider.float32(), ElementwiseProvider.scalar());
    private final Reductions reductions = new Reductions(ReductionsProvider.float32(), ReductionsProvider.scalar());
    private final Gemm gemm = new Gemm(GemmProvider.float32(), GemmProvider.scalar());
    private final Conv conv = new Conv(ConvProvider.float32(), ConvProvider.scalar());
    private final Layers layers = new Layers(LayersProvider.float32(), LayersProvider.scalar());
    private final LstmGates lstmGates = new LstmGates(LstmGatesProvider.float32(), LstmGatesProvider.scalar());
    private final GradClip gradClip = new GradClip(GradClipProvider.float32(), GradClipProvider.scalar());

    private CpuBackend() {
    }

    /**
     * The process-wide CPU backend.
     *
     * @return the CPU backend
     */
    public static CpuBackend get() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "cpu (" + SimdSupport.describe() + ", " + KernelPool.get().threads() + " threads)";
    }

    @Override
    public Blas1 blas1() {
        return blas1;
    }

    @Override
    public Elementwise elementwise() {
        return elementwise;
    }

    @Override
    public Reductions reductions() {
        return reductions;
    }

    @Override
    public Gemm gemm() {
        return gemm;
    }

    @Override
    public Conv conv() {
        return conv;
    }

    @Override
    public Layers layers() {
        return layers;
    }

    @Override
    public LstmGates lstmGates() {
        return lstmGates;
    }

    @Override
    public GradClip gradClip() {
        return gradClip;
    }

    @Override
    public int parallelism() {
        return KernelPool.get().threads();
    }

    @Override
    public void parallel(int tasks, IntConsumer body) {
        KernelPool.get().parallelFor(tasks, body);
    }
}
