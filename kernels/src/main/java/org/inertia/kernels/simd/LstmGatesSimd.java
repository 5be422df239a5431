package org.inertia.kernels.simd;

import org.inertia.kernels.LstmGatesSupport;
import org.inertia.kernels.NdArray;

/**
 * The fused LSTM gates on float32 with the Vector API loops of {@link LstmGateKernels}. Loaded by name by
 * {@code cpu.LstmGatesProvider}, only when SIMD is on.
 */
public final class LstmGatesSimd implements LstmGatesSupport {

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public LstmGatesSimd() {
        FloatSpecies.requireLanes();
    }

    @Override
    public void forward(NdArray gates, NdArray cPrev, NdArray act, NdArray c, NdArray tanhC, NdArray h) {
        LstmGateKernels.forward(cPrev.dim(0), cPrev.dim(1), plane(gates), plane(cPrev), plane(act), plane(c),
                plane(tanhC), plane(h));
    }

    @Override
    public void backward(NdArray act, NdArray cPrev, NdArray tanhC, NdArray dh, NdArray dcNext, NdArray dGates,
            NdArray dcPrev) {
        LstmGateKernels.backward(cPrev.dim(0), cPrev.dim(1), plane(act), plane(cPrev), plane(tanhC), plane(dh),
                plane(dcNext), plane(dGates), plane(dcPrev));
    }

    private static Plane plane(NdArray a) {
        return new Plane(a.segment(), a.offset(), a.stride(0), a.stride(1));
    }
}
