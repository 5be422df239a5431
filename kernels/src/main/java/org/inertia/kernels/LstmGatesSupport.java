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
    /**
     * act ← (σ(i), σ(f), tanh(g), σ(o)); c ← σ(f)⊙cPrev + σ(i)⊙tanh(g); tanhC ← tanh(c); h ← σ(o)⊙tanhC.
     *
     * @param gates the gate pre-activations [B, 4H] in (i, f, g, o) order
     * @param cPrev the previous cell state [B, H]
     * @param act the activations written [B, 4H]; may be the very same view as gates
     * @param c the new cell state written [B, H]
     * @param tanhC tanh of the new cell state, written [B, H]
     * @param h the new hidden state written [B, H]
     */
    void forward(NdArray gates, NdArray cPrev, NdArray act, NdArray c, NdArray tanhC, NdArray h);

    /**
     * dGates and dcPrev from the saved act, cPrev and tanhC and the incoming dh, dcNext.
     *
     * @param act the saved activations [B, 4H] from {@link #forward}
     * @param cPrev the previous cell state [B, H]
     * @param tanhC the saved tanh of the cell state [B, H]
     * @param dh the gradient of the hidden output [B, H]
     * @param dcNext the gradient of the cell state from the next step [B, H]
     * @param dGates the gradient of the gate pre-activations, written [B, 4H]
     * @param dcPrev the gradient of the previous cell state, written [B, H]
     */
    void backward(NdArray act, NdArray cPrev, NdArray tanhC, NdArray dh, NdArray dcNext, NdArray dGates,
            NdArray dcPrev);
}
