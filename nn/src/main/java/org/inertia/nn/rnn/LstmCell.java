package org.inertia.nn.rnn;

import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.nn.Tensor;

/**
 * LSTM cell (PyTorch gate order i, f, g, o): gates = W_ih x + b_ih + W_hh h + b_hh;
 * c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c'). The pointwise part is one node over the fused gate
 * kernels ({@link RecurrentOps#lstmPointwise}). Subclasses (the MomentumRNN family) change only what
 * enters the gates in place of u = W_ih x + b_ih: {@link #gateInput}.
 */
public class LstmCell extends RecurrentCell {
    public LstmCell(int inputSize, int hiddenSize, Init init, Dtype dtype, Random rnd) {
        super(inputSize, hiddenSize, 4, true, init, dtype, rnd);
    }

    @Override
    protected final boolean hasMemory() {
        return true;
    }

    /** What the gates get from the input, and the new momentum state; the plain LSTM passes u through. */
    protected InputTerm gateInput(Tensor u, CellState s) {
        return new InputTerm(u, null, null);
    }

    /** The input's contribution to the gates, with the updated momentum v and second moment m (or null). */
    protected record InputTerm(Tensor term, Tensor v, Tensor m) {
    }

    @Override
    public final CellState step(Tensor u, CellState s) {
        InputTerm in = gateInput(u, s);
        Tensor gates = RecurrentOps.affine(in.term(), s.h(), weightHh, biasHh);
        Tensor hc = RecurrentOps.lstmPointwise(gates, s.c());
        return new CellState(RecurrentOps.pick(hc, 0), RecurrentOps.pick(hc, 1), in.v(), in.m(), s.step() + 1);
    }
}
