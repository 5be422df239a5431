package org.inertia.nn.data;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;

/**
 * One batch of the copying task (momentum notes, experiment 5): K symbols from an alphabet are shown as
 * one-hot inputs, then blanks, then a "go" marker after {@code delay} blank steps; the target is the K
 * symbols, to be produced at the last K steps. Input width is alphabet + 2 (symbols, blank, go);
 * sequence length is 2K + delay.
 *
 * @param inputs  one-hot inputs [batch, 2K + delay, alphabet + 2]
 * @param targets one-hot targets [batch·K, alphabet], row b·K + t is symbol t of sequence b
 */
public record CopyTaskBatch(NdArray inputs, NdArray targets) implements AutoCloseable {

    /**
     * Draws a batch from {@code rnd}; the caller owns (and closes) both arrays.
     *
     * @param rnd source of the symbols
     * @param dtype element type of both arrays
     * @param batch number of sequences; >= 0
     * @param alphabet number of symbols; >= 1
     * @param k symbols to copy per sequence; >= 1
     * @param delay blank steps before the go marker; >= 0
     * @return a new batch; the caller closes it
     * @throws IllegalArgumentException if a size is out of range
     */
    public static CopyTaskBatch sample(RandomGenerator rnd, Dtype dtype, int batch, int alphabet, int k, int delay) {
        if (alphabet < 1 || k < 1 || delay < 0 || batch < 0) {
            throw new IllegalArgumentException("copy task needs alphabet >= 1, k >= 1, delay >= 0, batch >= 0; got "
                    + alphabet + ", " + k + ", " + delay + ", " + batch);
        }
        int steps = 2 * k + delay;
        NdArray xs = NdArray.zeros(dtype, batch, steps, alphabet + 2);
        NdArray target = NdArray.zeros(dtype, batch * k, alphabet);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < k; t++) {
                int sym = rnd.nextInt(alphabet);
                xs.set(1, b, t, sym);
                target.set(1, b * k + t, sym);
            }
            for (int t = k; t < steps; t++) {
                xs.set(1, b, t, t == k + delay ? alphabet + 1 : alphabet);
            }
        }
        return new CopyTaskBatch(xs, target);
    }

    @Override
    public void close() {
        inputs.close();
        targets.close();
    }
}
