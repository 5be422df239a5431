package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;
import org.inertia.nn.DefaultGenerator;
import org.inertia.nn.autograd.Tensor;

/**
 * GRU cell with PyTorch's equations and gate order (r, z, n):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n).
 */
public final class GruCell extends RecurrentCell {
    /**
     * A float32 cell with PyTorch's initialization, drawn from {@link DefaultGenerator#next()}.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @throws IllegalArgumentException if a size is below 1
     */
    public GruCell(int inputSize, int hiddenSize) {
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
    public GruCell(int inputSize, int hiddenSize, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        super(inputSize, hiddenSize, 3, false, init, dtype, rnd);
    }

    @Override
    public CellState step(Tensor u, CellState s) {
        int hid = hiddenSize;
        Tensor hh = RecurrentOps.affine(null, s.h(), weightHh, biasHh);
        Tensor r = u.slice(1, 0, hid).add(hh.slice(1, 0, hid)).sigmoid();
        Tensor z = u.slice(1, hid, 2 * hid).add(hh.slice(1, hid, 2 * hid)).sigmoid();
        Tensor n = u.slice(1, 2 * hid, 3 * hid).add(r.mul(hh.slice(1, 2 * hid, 3 * hid))).tanh();
        Tensor h = n.add(z.mul(s.h().sub(n)));
        return new CellState(h, null, null, null, s.step() + 1);
    }
}
