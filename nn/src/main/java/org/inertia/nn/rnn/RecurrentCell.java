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
    protected final int inputSize;
    protected final int hiddenSize;
    protected final Dtype dtype;
    protected final Tensor weightIh;
    protected final Tensor weightHh;
    protected final Tensor biasIh;
    protected final Tensor biasHh;

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

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public Dtype dtype() {
        return dtype;
    }

    public Tensor weightIh() {
        return weightIh;
    }

    /** W_hh [N, H]; null for a cell that computes its recurrent weight ({@link DtrivCell}). */
    public Tensor weightHh() {
        return weightHh;
    }

    /** b_ih [N]; null for a cell without it ({@link DtrivCell}). */
    public Tensor biasIh() {
        return biasIh;
    }

    /** b_hh [N]; null for a cell without it ({@link DtrivCell}). */
    public Tensor biasHh() {
        return biasHh;
    }

    /** Whether the state has an LSTM memory c. */
    protected boolean hasMemory() {
        return false;
    }

    /** The zero state at sequence start for a batch of {@code batch} (tensors owned by the current scope). */
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
     * @throws IllegalArgumentException if {@code h0} is not [B, H] of this cell's dtype
     */
    public CellState initialState(Tensor h0) {
        checkState("h0", h0);
        Tensor c = hasMemory() ? RecurrentOps.zeros(weightIh.backend(), dtype, h0.shape().dim(0), hiddenSize) : null;
        return new CellState(h0, c, null, null, 0);
    }

    /** Checks a given initial state tensor: non-null, open, [B, H] with B >= 1, this cell's dtype. */
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

    /** One step from the projected input u = x·W_ihᵀ + b_ih [B, N]. */
    public abstract CellState step(Tensor u, CellState state);

    /** A layer's outputs over a sequence: every h_t as y [B, T, H], and the state after the last step. */
    public record Sequence(Tensor outputs, CellState last) {
    }

    /**
     * Runs the whole sequence x [B, T, I] from {@code initial}. The default is {@link #sequenceByStep};
     * the LSTM family overrides it with one fused node per layer ({@code LstmSequence}) that computes
     * the same values.
     */
    public Sequence sequence(Tensor x, CellState initial) {
        return sequenceByStep(x, initial);
    }

    /**
     * The sequence as a loop of {@link #step}s, one graph node per op per step, after projecting all
     * inputs with one GEMM ({@link Projection}): the reference the fused paths are tested against.
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

    /** Checks x [B, T, I] with T >= 1, I this cell's input size, and this cell's dtype. */
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

    /** One step from the input x [B, I]. */
    public CellState forward(Tensor x, CellState state) {
        java.util.Objects.requireNonNull(x, "x");
        java.util.Objects.requireNonNull(state, "state");
        checkDtype(x);
        return step(RecurrentOps.affine(null, x, weightIh, biasIh), state);
    }
}
