package org.inertia.nn.rnn;

import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.nn.Tensor;

/**
 * LSTM cell (PyTorch gate order i, f, g, o): gates = W_ih x + b_ih + W_hh h + b_hh;
 * c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c'). A single {@link #step} is one node over the fused
 * gate kernels ({@link RecurrentOps#lstmPointwise}); a whole {@link #sequence} is one projection GEMM,
 * the input-term transform over all steps, and one fused recurrent node ({@link LstmSequence}).
 * Subclasses (the MomentumRNN family) change only what enters the gates in place of
 * u = W_ih x + b_ih: {@link #gateInput} for one step and {@link #gateInputSequence} for all steps at
 * once — their momentum recurrences do not involve h, so they can run before the recurrent loop.
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

    /**
     * The input's contribution to the gates for all steps from the time-major projected input
     * u [T, B, 4H] (term [T, B, 4H]), with the momentum state after the last step; the plain LSTM passes
     * u through. Must equal {@link #gateInput} applied step by step.
     */
    protected InputTerm gateInputSequence(Tensor u, CellState s) {
        return new InputTerm(u, null, null);
    }

    @Override
    public final Sequence sequence(Tensor x, CellState initial) {
        checkSequence(x);
        int steps = x.shape().dim(1);
        Tensor u = RecurrentOps.projectTimeMajor(x, weightIh, biasIh);
        InputTerm in = gateInputSequence(u, initial);
        LstmSequence.Result r = LstmSequence.apply(in.term(), weightHh, biasHh, initial.h(), initial.c());
        return new Sequence(r.y(), new CellState(r.hT(), r.cT(), in.v(), in.m(), initial.step() + steps));
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
