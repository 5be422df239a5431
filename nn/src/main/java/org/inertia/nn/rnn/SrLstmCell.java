package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;

/**
 * SRLSTM (scheduled-restart momentum inside the cell): v' = μ_k v + s (W_ih x + b_ih) with
 * μ_k = (k − 1)/(k + 2), k = 1, 2, … the step within the sequence, restarting at k = 1 after every
 * {@code restart} steps (0 = never); gates = v' + W_hh h + b_hh.
 */
public final class SrLstmCell extends LstmCell {
    private final double s;
    private final int restart;

    /**
     * An SRLSTM cell.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param s          s, finite and &gt; 0, the step size scaling the projected input
     * @param restart    the restart period in steps, ≥ 0; 0 never restarts
     * @param init       how the weights and biases are initialized
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if s or restart is out of range, a size is below 1, or {@code dtype}
     *                                  is not F32 or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public SrLstmCell(int inputSize, int hiddenSize, double s, int restart, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        Checks.positive("s", s);
        if (restart < 0) {
            throw new IllegalArgumentException("restart must be >= 0 (0: never), got " + restart);
        }
        super(inputSize, hiddenSize, init, dtype, rnd);
        this.s = s;
        this.restart = restart;
    }

    /**
     * μ for the step that follows {@code stepsTaken} steps of the sequence.
     *
     * @param stepsTaken the steps of this sequence already taken, ≥ 0 ({@link CellState#step()})
     * @return μ_k = (k − 1)/(k + 2) for the next step's k, in [0, 1)
     */
    public double momentumAt(int stepsTaken) {
        int k = (restart > 0 ? stepsTaken % restart : stepsTaken) + 1;
        return (k - 1.0) / (k + 2.0);
    }

    @Override
    protected InputTerm gateInput(Tensor u, CellState st) {
        double mu = momentumAt(st.step());
        Tensor v = RecurrentOps.linComb(mu, mu == 0 ? null : st.v(), s, u);
        return new InputTerm(v, v, null);
    }

    @Override
    LstmSequence.Momentum loopMomentum(CellState initial, int steps) {
        double[] a = new double[steps];
        for (int t = 0; t < steps; t++) {
            a[t] = momentumAt(initial.step() + t);
        }
        return new LstmSequence.Momentum(a, s);
    }

    @Override
    protected InputTerm gateInputSequence(Tensor u, CellState st) {
        double[] a = new double[u.shape().dim(0)];
        for (int t = 0; t < a.length; t++) {
            a[t] = momentumAt(st.step() + t);
        }
        MomentumScan.Result v = MomentumScan.apply(u, st.v(), a, s);
        return new InputTerm(v.values(), v.last(), null);
    }
}
