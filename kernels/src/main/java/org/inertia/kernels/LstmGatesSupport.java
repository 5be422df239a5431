package org.inertia.kernels;

/**
 * One implementation of the fused LSTM pointwise gates: {@code cpu.LstmGatesScalar} (double precision,
 * any floating dtype) or {@code simd.LstmGatesSimd} (float32), picked once by
 * {@code cpu.LstmGatesProvider}. Callers go through the validating facade {@link LstmGates};
 * implementations assume valid operands: gates [B, 4H] in PyTorch's order (i, f, g, o), states [B, H],
 * outputs disjoint from every other operand except that the forward's act may be the very same view as
 * gates. Equations: {@link LstmGates}.
 */
public interface LstmGatesSupport {
    /** act ← (σ(i), σ(f), tanh(g), σ(o)); c ← σ(f)⊙cPrev + σ(i)⊙tanh(g); tanhC ← tanh(c); h ← σ(o)⊙tanhC. */
    void forward(NdArray gates, NdArray cPrev, NdArray act, NdArray c, NdArray tanhC, NdArray h);

    /** dGates and dcPrev from the saved act, cPrev and tanhC and the incoming dh, dcNext. */
    void backward(NdArray act, NdArray cPrev, NdArray tanhC, NdArray dh, NdArray dcNext, NdArray dGates,
            NdArray dcPrev);
}
