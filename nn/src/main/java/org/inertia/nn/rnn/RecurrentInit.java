package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;

/** Parameter initializations of recurrent cells. */
public enum RecurrentInit {
    /** PyTorch's default for RNN/LSTM/GRU: every weight and bias uniform in [−1/√H, 1/√H]. */
    PYTORCH,
    /**
     * The MomentumRNN reference code's: W_ih orthogonal, W_hh the identity (ones on the leading
     * diagonal of the [N, H] matrix), biases zero except the LSTM forget-gate block [H, 2H) set to 1.0
     * in both b_ih and b_hh.
     */
    MOMENTUM_RNN;

    static NdArray uniform(Dtype dt, RandomGenerator rnd, double bound, int... dims) {
        NdArray a = NdArray.zeros(dt, dims);
        a.forEachOffset(o -> a.setAtOffset(o, (rnd.nextDouble() * 2 - 1) * bound));
        return a;
    }

    /**
     * A [rows, cols] matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols), like
     * {@code torch.nn.init.orthogonal_}: modified Gram–Schmidt on a Gaussian matrix.
     */
    static NdArray orthogonal(Dtype dt, RandomGenerator rnd, int rows, int cols) {
        int tall = Math.max(rows, cols);
        int narrow = Math.min(rows, cols);
        double[][] q = new double[narrow][tall]; // q[k] is the k-th orthonormal vector
        for (int k = 0; k < narrow; k++) {
            for (int i = 0; i < tall; i++) {
                q[k][i] = rnd.nextGaussian();
            }
            for (int j = 0; j < k; j++) {
                double d = 0;
                for (int i = 0; i < tall; i++) {
                    d += q[j][i] * q[k][i];
                }
                for (int i = 0; i < tall; i++) {
                    q[k][i] -= d * q[j][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < tall; i++) {
                norm += q[k][i] * q[k][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < tall; i++) {
                q[k][i] /= norm;
            }
        }
        NdArray a = NdArray.zeros(dt, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                a.set(rows >= cols ? q[c][r] : q[r][c], r, c);
            }
        }
        return a;
    }

    static NdArray eye(Dtype dt, int rows, int cols) {
        NdArray a = NdArray.zeros(dt, rows, cols);
        for (int k = 0; k < Math.min(rows, cols); k++) {
            a.set(1, k, k);
        }
        return a;
    }
}
