package org.inertia.nn.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;

/**
 * A recurrent cell: parameters W_ih [N, I], W_hh [N, H], b_ih [N], b_hh [N] (PyTorch names and
 * layouts, N = gates·H) and one step of the recurrence. A step takes the input already projected,
 * u = x·W_ihᵀ + b_ih, so that a layer can project a whole sequence with one GEMM ({@link Projection});
 * {@link #forward} does a single step from x.
 */
public abstract class RecurrentCell extends Module {
    /** I ≥ 1, the input features per step. */
    protected final int inputSize;
    /** H ≥ 1, the hidden features. */
    protected final int hiddenSize;
    /** The parameters' element type, F32 or F64. */
    protected final Dtype dtype;
    /** The parameter {@code weight_ih}, W_ih [N, I] ([H, I] for {@link DtrivCell}). */
    protected final Tensor weightIh;
    /** The parameter {@code weight_hh}, W_hh [N, H]; null for {@link DtrivCell}. */
    protected final Tensor weightHh;
    /** The parameter {@code bias_ih}, b_ih [N]; null for {@link DtrivCell}. */
    protected final Tensor biasIh;
    /** The parameter {@code bias_hh}, b_hh [N]; null for {@link DtrivCell}. */
    protected final Tensor biasHh;

    /**
     * Registers W_ih [N, I], W_hh [N, H], b_ih [N] and b_hh [N], N = gates·H, initialized by {@code init} from
     * {@code rnd}.
     *
     * @param inputSize     I ≥ 1, the input features per step
     * @param hiddenSize    H ≥ 1, the hidden features
     * @param gates         the gate blocks of H rows in each weight and bias (1 RNN, 3 GRU, 4 LSTM)
     * @param hasForgetGate whether block [H, 2H) is a forget gate, whose biases {@link RecurrentInit#MOMENTUM_RNN}
     *                      sets to 1
     * @param init          how the weights and biases are initialized
     * @param dtype         the parameters' element type, F32 or F64
     * @param rnd           the generator the initial weights are drawn from
     * @throws IllegalArgumentException if a size is below 1 or {@code dtype} is not F32 or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    protected RecurrentCell(int inputSize, int hiddenSize, int gates, boolean hasForgetGate, RecurrentInit init, Dtype dtype,
            RandomGenerator rnd) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("input and hidden sizes must be positive, got " + inputSize + ", "
                    + hiddenSize);
        }
        java.util.Objects.requireNonNull(init, "init");
        java.util.Objects.requireNonNull(rnd, "rnd");
        if (dtype != Dtype.F32 && dtype != Dtype.F64) {
            throw new IllegalArgumentException("dtype must be F32 or F64, got " + dtype);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.dtype = dtype;
        int n = gates * hiddenSize;
        NdArray wih;
        NdArray whh;
        NdArray bih;
        NdArray bhh;
        if (init == RecurrentInit.PYTORCH) {
            double k = 1 / Math.sqrt(hiddenSize);
            wih = RecurrentInit.uniform(dtype, rnd, k, n, inputSize);
            whh = RecurrentInit.uniform(dtype, rnd, k, n, hiddenSize);
            bih = RecurrentInit.uniform(dtype, rnd, k, n);
            bhh = RecurrentInit.uniform(dtype, rnd, k, n);
        } else {
            wih = RecurrentInit.orthogonal(dtype, rnd, n, inputSize);
            whh = RecurrentInit.eye(dtype, n, hiddenSize);
            bih = NdArray.zeros(dtype, n);
            bhh = NdArray.zeros(dtype, n);
            if (hasForgetGate) {
                for (int j = hiddenSize; j < 2 * hiddenSize; j++) {
                    bih.set(1, j);
                    bhh.set(1, j);
                }
            }
        }
        weightIh = parameter("weight_ih", Tensor.parameter(wih));
        weightHh = parameter("weight_hh", Tensor.parameter(whh));
        biasIh = parameter("bias_ih", Tensor.parameter(bih));
        biasHh = parameter("bias_hh", Tensor.parameter(bhh));
    }

    /**
     * For a cell whose recurrent weight is not a free parameter ({@link DtrivCell}: W = B·e^A is computed from
     * other parameters): registers only the input weight {@code weight_ih} [H, I] given here; W_hh, b_ih and
     * b_hh are null, and the subclass registers what it needs.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param dtype      the parameters' element type, F32 or F64
     * @param weightIh   the initial W_ih [H, I] of {@code dtype}; the cell takes ownership of it
     * @throws IllegalArgumentException if a size is below 1 or {@code dtype} is not F32 or F64
     */
    protected RecurrentCell(int inputSize, int hiddenSize, Dtype dtype, NdArray weightIh) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("input and hidden sizes must be positive, got " + inputSize + ", "
                    + hiddenSize);
        }
        if (dtype != Dtype.F32 && dtype != Dtype.F64) {
            throw new IllegalArgumentException("dtype must be F32 or F64, got " + dtype);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.dtype = dtype;
        this.weightIh = parameter("weight_ih", Tensor.parameter(weightIh));
        this.weightHh = null;
        this.biasIh = null;
        this.biasHh = null;
    }

    /**
     * The input features per step.
     *
     * @return I ≥ 1
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The hidden features.
     *
     * @return H ≥ 1
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * The parameters' element type; inputs and states must have it too.
     *
     * @return F32 or F64
     */
    public Dtype dtype() {
        return dtype;
    }

    /**
     * W_ih, applied to the input: u = x·W_ihᵀ + b_ih.
     *
     * @return the weight parameter [N, I] ([H, I] for {@link DtrivCell}), owned by the cell
     */
    public Tensor weightIh() {
        return weightIh;
    }

    /**
     * W_hh [N, H]; null for a cell that computes its recurrent weight ({@link DtrivCell}).
     *
     * @return the weight parameter [N, H], owned by the cell, or null
     */
    public Tensor weightHh() {
        return weightHh;
    }

    /**
     * b_ih [N]; null for a cell without it ({@link DtrivCell}).
     *
     * @return the bias parameter [N], owned by the cell, or null
     */
    public Tensor biasIh() {
        return biasIh;
    }

    /**
     * b_hh [N]; null for a cell without it ({@link DtrivCell}).
     *
     * @return the bias parameter [N], owned by the cell, or null
     */
    public Tensor biasHh() {
        return biasHh;
    }

    /**
     * Whether the state has an LSTM memory c.
     *
     * @return true for the LSTM family, false here
     */
    protected boolean hasMemory() {
        return false;
    }

    /**
     * The zero state at sequence start for a batch of {@code batch} (tensors owned by the current scope).
     *
     * @param batch B ≥ 1, the batch size
     * @return the state with step count 0: h (and an LSTM's c) zero [B, H], no momentum states
     */
    public CellState initialState(int batch) {
        Tensor h = RecurrentOps.zeros(weightIh.backend(), dtype, batch, hiddenSize);
        Tensor c = hasMemory() ? RecurrentOps.zeros(weightIh.backend(), dtype, batch, hiddenSize) : null;
        return new CellState(h, c, null, null, 0);
    }

    /**
     * The state at sequence start with hidden state {@code h0} [B, H] (PyTorch's {@code h_0}); an LSTM's
     * memory starts at zero (give it with {@link LstmCell#initialState(Tensor, Tensor)}), and momentum
     * states start at zero. {@code h0} is used as it is, not copied: it may require a gradient.
     *
     * @param h0 the initial hidden state [B, H]; not copied, may require a gradient
     * @return the state with step count 0, holding {@code h0} itself
     * @throws IllegalArgumentException if {@code h0} is not [B, H] of this cell's dtype
     * @throws IllegalStateException if {@code h0} is closed
     * @throws NullPointerException if {@code h0} is null
     */
    public CellState initialState(Tensor h0) {
        checkState("h0", h0);
        Tensor c = hasMemory() ? RecurrentOps.zeros(weightIh.backend(), dtype, h0.shape().dim(0), hiddenSize) : null;
        return new CellState(h0, c, null, null, 0);
    }

    /**
     * Checks a given initial state tensor: non-null, open, [B, H] with B >= 1, this cell's dtype.
     *
     * @param name the argument's name, as the messages name it
     * @param t    the tensor checked
     * @throws IllegalArgumentException if {@code t} is not [B, H] with B ≥ 1 or not of this cell's dtype
     * @throws IllegalStateException if {@code t} is closed
     * @throws NullPointerException if {@code t} is null
     */
    protected final void checkState(String name, Tensor t) {
        java.util.Objects.requireNonNull(t, name);
        if (t.isClosed()) {
            throw new IllegalStateException(name + " (tensor " + t.shape() + ") is closed");
        }
        if (t.shape().rank() != 2 || t.shape().dim(0) < 1 || t.shape().dim(1) != hiddenSize) {
            throw new IllegalArgumentException(name + " must be [B, " + hiddenSize + "] for a cell of hidden size "
                    + hiddenSize + ", got " + t.shape());
        }
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(name + " is " + t.dtype() + " but the cell's parameters are " + dtype);
        }
    }

    /**
     * One step from the projected input u = x·W_ihᵀ + b_ih [B, N].
     *
     * @param u     the projected input of this step [B, N]
     * @param state the state before the step
     * @return the state after the step (step count + 1), its new tensors owned by the current scope
     */
    public abstract CellState step(Tensor u, CellState state);

    /**
     * A layer's outputs over a sequence: every h_t as y [B, T, H], and the state after the last step.
     *
     * @param outputs every h_t, stacked as y [B, T, H]
     * @param last    the state after the last step
     */
    public record Sequence(Tensor outputs, CellState last) {
    }

    /**
     * Runs the whole sequence x [B, T, I] from {@code initial}. The default is {@link #sequenceByStep};
     * the LSTM family overrides it with one fused node per layer ({@code LstmSequence}) that computes
     * the same values.
     *
     * @param x       the input sequence [B, T, I], T ≥ 1, of this cell's dtype
     * @param initial the state at sequence start ({@link #initialState(int)} or {@link #initialState(Tensor)})
     * @return the outputs [B, T, H] and the state after the last step, owned by the current scope
     * @throws IllegalArgumentException if {@code x} is not [B, T, I] with T ≥ 1 of this cell's dtype
     */
    public Sequence sequence(Tensor x, CellState initial) {
        return sequenceByStep(x, initial);
    }

    /**
     * The sequence as a loop of {@link #step}s, one graph node per op per step, after projecting all
     * inputs with one GEMM ({@link Projection}): the reference the fused paths are tested against.
     *
     * @param x       the input sequence [B, T, I], T ≥ 1, of this cell's dtype
     * @param initial the state at sequence start
     * @return the outputs [B, T, H] and the state after the last step, owned by the current scope
     * @throws IllegalArgumentException if {@code x} is not [B, T, I] with T ≥ 1 of this cell's dtype
     * @throws NullPointerException if {@code x} is null
     */
    public final Sequence sequenceByStep(Tensor x, CellState initial) {
        checkSequence(x);
        Projection proj = Projection.of(x, weightIh, biasIh);
        CellState s = initial;
        List<Tensor> hs = new ArrayList<>(proj.steps());
        for (int t = 0; t < proj.steps(); t++) {
            s = step(proj.step(t), s);
            hs.add(s.h());
        }
        return new Sequence(RecurrentOps.stackSteps(hs), s);
    }

    /**
     * Checks x [B, T, I] with T >= 1, I this cell's input size, and this cell's dtype.
     *
     * @param x the input sequence checked
     * @throws IllegalArgumentException if {@code x} is not [B, T, I] with T ≥ 1 or not of this cell's dtype
     * @throws NullPointerException if {@code x} is null
     */
    protected final void checkSequence(Tensor x) {
        java.util.Objects.requireNonNull(x, "x");
        if (x.shape().rank() != 3 || x.shape().dim(1) == 0 || x.shape().dim(2) != inputSize) {
            throw new IllegalArgumentException("a cell of input size " + inputSize + " needs x [B, T, " + inputSize
                    + "] with T >= 1, got " + x.shape());
        }
        checkDtype(x);
    }

    private void checkDtype(Tensor x) {
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("x is " + x.dtype() + " but the cell's parameters are " + dtype);
        }
    }

    /**
     * One step from the input x [B, I].
     *
     * @param x     the input of this step [B, I], of this cell's dtype
     * @param state the state before the step
     * @return the state after the step (step count + 1), its new tensors owned by the current scope
     * @throws IllegalArgumentException if {@code x} is not [B, I] of this cell's dtype
     * @throws NullPointerException if {@code x} or {@code state} is null
     */
    public CellState forward(Tensor x, CellState state) {
        java.util.Objects.requireNonNull(x, "x");
        java.util.Objects.requireNonNull(state, "state");
        checkDtype(x);
        return step(RecurrentOps.affine(null, x, weightIh, biasIh), state);
    }
}
