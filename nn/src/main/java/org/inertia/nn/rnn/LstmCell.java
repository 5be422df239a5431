package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;
import org.inertia.nn.DefaultGenerator;
import org.inertia.nn.autograd.Tensor;

/**
 * LSTM cell (PyTorch gate order i, f, g, o): gates = W_ih x + b_ih + W_hh h + b_hh;
 * c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c'). A single {@link #step} is one node over the fused
 * gate kernels ({@link RecurrentOps#lstmPointwise}); a whole {@link #sequence} is one fused recurrent node
 * ({@link LstmSequence}), which for the LSTM, MomentumLSTM and SRLSTM computes the input term step by step inside
 * its loop, and for the other cells takes it from one projection GEMM and the input-term transform over
 * all steps.
 * Subclasses (the MomentumRNN family) change only what enters the gates in place of
 * u = W_ih x + b_ih: {@link #gateInput} for one step and {@link #gateInputSequence} for all steps at
 * once — their momentum recurrences do not involve h, so they can run before the recurrent loop.
 */
public class LstmCell extends RecurrentCell {
    /**
     * A float32 cell with PyTorch's initialization, drawn from {@link DefaultGenerator#next()}.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @throws IllegalArgumentException if a size is below 1
     */
    public LstmCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentInit.PYTORCH, Dtype.F32, DefaultGenerator.next());
    }

    /**
     * A cell of {@code dtype} initialized by {@code init} from {@code rnd}.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param init       how the weights and biases are initialized
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if a size is below 1 or {@code dtype} is not F32 or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public LstmCell(int inputSize, int hiddenSize, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        super(inputSize, hiddenSize, 4, true, init, dtype, rnd);
    }

    /**
     * The state at sequence start with hidden state {@code h0} and memory {@code c0}, both [B, H]
     * (PyTorch's {@code (h_0, c_0)}); momentum states start at zero. The tensors are used as they are.
     *
     * @param h0 the initial hidden state [B, H]; not copied, may require a gradient
     * @param c0 the initial memory [B, H]; not copied, may require a gradient
     * @return the state with step count 0, holding {@code h0} and {@code c0} themselves
     * @throws IllegalArgumentException if either is not [B, H] of this cell's dtype, or their batches differ
     * @throws IllegalStateException if either tensor is closed
     * @throws NullPointerException if either is null
     */
    public CellState initialState(Tensor h0, Tensor c0) {
        checkState("h0", h0);
        checkState("c0", c0);
        if (h0.shape().dim(0) != c0.shape().dim(0)) {
            throw new IllegalArgumentException("h0 " + h0.shape() + " and c0 " + c0.shape() + " differ in batch size");
        }
        return new CellState(h0, c0, null, null, 0);
    }

    @Override
    protected final boolean hasMemory() {
        return true;
    }

    /**
     * What the gates get from the input, and the new momentum state; the plain LSTM passes u through.
     *
     * @param u the projected input W_ih x + b_ih of this step [B, 4H]
     * @param s the state before this step (its v, m and step count)
     * @return the gate input term [B, 4H] with the updated v and m (null where the cell has none)
     */
    protected InputTerm gateInput(Tensor u, CellState s) {
        return new InputTerm(u, null, null);
    }

    /**
     * The input's contribution to the gates for all steps from the time-major projected input
     * u [T, B, 4H] (term [T, B, 4H]), with the momentum state after the last step; the plain LSTM passes
     * u through. Must equal {@link #gateInput} applied step by step.
     *
     * @param u the projected input of every step, time-major [T, B, 4H]
     * @param s the state before the first step
     * @return the gate input terms [T, B, 4H] with v and m after the last step (null where the cell has none)
     */
    protected InputTerm gateInputSequence(Tensor u, CellState s) {
        return new InputTerm(u, null, null);
    }

    /**
     * The momentum recurrence of the input term for {@code steps} steps from {@code initial}, when
     * {@link #sequence} computes that term inside the recurrent loop ({@link LstmSequence#applyProjected}):
     * MomentumLSTM and SRLSTM, whose term is linear in u. Null otherwise: the LSTM itself then passes u
     * through in the loop, and a subclass (which may override {@link #gateInputSequence}) gets the term for
     * all steps before the loop.
     */
    LstmSequence.Momentum loopMomentum(CellState initial, int steps) {
        return null;
    }

    @Override
    public final Sequence sequence(Tensor x, CellState initial) {
        checkSequence(x);
        int steps = x.shape().dim(1);
        LstmSequence.Momentum momentum = loopMomentum(initial, steps);
        if (momentum != null || getClass() == LstmCell.class) {
            LstmSequence.Result r = LstmSequence.applyProjected(x, weightIh, biasIh, momentum,
                    momentum == null ? null : initial.v(), weightHh, biasHh, initial.h(), initial.c());
            return new Sequence(r.y(), new CellState(r.hT(), r.cT(), r.vT(), null, initial.step() + steps));
        }
        Tensor u = RecurrentOps.projectTimeMajor(x, weightIh, biasIh);
        InputTerm in = gateInputSequence(u, initial);
        LstmSequence.Result r = LstmSequence.apply(in.term(), weightHh, biasHh, initial.h(), initial.c());
        return new Sequence(r.y(), new CellState(r.hT(), r.cT(), in.v(), in.m(), initial.step() + steps));
    }

    /**
     * The input's contribution to the gates, with the updated momentum v and second moment m (or null).
     *
     * @param term what is added to W_hh h + b_hh to give the gates: [B, 4H] for a step, [T, B, 4H] for a
     *             sequence
     * @param v    the momentum [B, 4H] after the step(s), or null if the cell keeps none
     * @param m    the second moment [B, 4H] after the step(s), or null if the cell keeps none
     */
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
