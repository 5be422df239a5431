package org.inertia.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Storage;
import org.inertia.nn.autograd.GradNormClip;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.ops.Shapes;
import org.junit.jupiter.api.Test;

/** Training behaviour in float32: flat memory over BPTT steps, and an LSTM that learns to copy. */
class RecurrentTrainingTest {
    private static final Dtype F32 = Dtype.F32;

    /** Live off-heap bytes are the same after every training step: all per-step tensors die with the scope. */
    @Test
    void bpttTrainingStepsDoNotLeak() {
        Random r = new Random(1);
        int batch = 4;
        int steps = 200;
        for (Rnn rnn : List.of(new Lstm(1, 8, 2, RecurrentInit.PYTORCH, F32, r),
                new Rnn(1, 8, 1, (i, h, l) -> new AdamLstmCell(i, h, 0.6, 0.6, 0.1, RecurrentInit.MOMENTUM_RNN, F32, r)))) {
            try (rnn; Tensor x = Tensor.constant(NdArray.zeros(F32, batch, steps, 1))) {
                x.data().forEachOffset(o -> x.data().setAtOffset(o, r.nextGaussian()));
                long[] live = new long[4];
                for (int it = 0; it < live.length; it++) {
                    try (TensorScope scope = TensorScope.open()) {
                        Rnn.Output o = rnn.forward(x);
                        o.lastHidden().sum().backward();
                        GradNormClip.clipGradNorm(rnn.parameters(), 1.0);
                        sgd(rnn, 0.01);
                    }
                    live[it] = Storage.liveBytes();
                }
                for (int it = 1; it < live.length; it++) {
                    assertEquals(live[0], live[it], "live bytes after step " + it);
                }
            }
        }
    }

    private static void sgd(Rnn rnn, double lr) {
        for (Tensor p : rnn.parameters()) {
            NdArray d = p.data();
            p.backend().blas1().axpy(-lr, p.grad().reshape((int) d.numel()), d.reshape((int) d.numel()));
            p.zeroGrad();
        }
    }

    /**
     * Copy task: K = 3 symbols from an alphabet of 4 are shown, then 5 blank steps, then a "go" marker;
     * the network must output the symbols in order at the last 3 steps. Chance cross-entropy is ln 4;
     * after training with Adam (written inline) the loss must be below a quarter of that.
     */
    @Test
    void lstmLearnsToCopy() {
        int alphabet = 4;
        int k = 3;
        int delay = 5;
        int steps = k + delay + k;
        int in = alphabet + 2; // symbols, blank, go
        int hid = 24;
        int batch = 32;
        Random r = new Random(42);
        try (Lstm lstm = new Lstm(in, hid, 1, RecurrentInit.PYTORCH, F32, r);
             Tensor wOut = Tensor.parameter(RecurrentInit.uniform(F32, r, 1 / Math.sqrt(hid), hid, alphabet));
             Tensor bOut = Tensor.parameter(NdArray.zeros(F32, alphabet))) {
            List<Tensor> params = new java.util.ArrayList<>(lstm.parameters());
            params.add(wOut);
            params.add(bOut);
            Adam adam = new Adam(params, 0.01);
            double last = Double.NaN;
            double chance = Math.log(alphabet);
            for (int it = 0; it < 400; it++) {
                var data = org.inertia.nn.data.CopyTaskBatch.sample(r, F32, batch, alphabet, k, delay);
                try (TensorScope scope = TensorScope.open(); Tensor x = Tensor.constant(data.inputs());
                     Tensor y = Tensor.constant(data.targets())) {
                    Tensor out = lstm.forward(x).output(); // [B, T, H]
                    Tensor tail = Shapes.slice(out, 1, steps - k, steps).reshape(batch * k, hid);
                    Tensor logits = tail.matmul(wOut).add(bOut);
                    Tensor loss = logits.logSoftmax(1).mul(y).sum().neg()
                            .mul(Tensor.constant(NdArray.scalar(F32, 1.0 / (batch * k))));
                    last = 0.9 * (Double.isNaN(last) ? chance : last) + 0.1 * loss.item();
                    loss.backward();
                    GradNormClip.clipGradNorm(params, 5.0);
                    adam.step();
                }
            }
            assertTrue(last < 0.25 * chance, "smoothed loss " + last + " vs chance " + chance);
        }
    }

    /** Adam (Kingma & Ba) on float arrays, enough for a test (the optim module is separate). */
    private static final class Adam {
        private final List<Tensor> params;
        private final double lr;
        private final double[][] m;
        private final double[][] v;
        private int t;

        Adam(List<Tensor> params, double lr) {
            this.params = params;
            this.lr = lr;
            m = new double[params.size()][];
            v = new double[params.size()][];
            for (int i = 0; i < params.size(); i++) {
                m[i] = new double[(int) params.get(i).data().numel()];
                v[i] = new double[m[i].length];
            }
        }

        void step() {
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                NdArray d = p.data();
                NdArray g = p.grad();
                for (int e = 0; e < m[i].length; e++) {
                    double ge = g.getAtOffset(g.offset() + e);
                    m[i][e] = 0.9 * m[i][e] + 0.1 * ge;
                    v[i][e] = 0.999 * v[i][e] + 0.001 * ge * ge;
                    double upd = lr * (m[i][e] / c1) / (Math.sqrt(v[i][e] / c2) + 1e-8);
                    d.setAtOffset(d.offset() + e, d.getAtOffset(d.offset() + e) - upd);
                }
                p.zeroGrad();
            }
        }
    }
}
