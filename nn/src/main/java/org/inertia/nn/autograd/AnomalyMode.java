package org.inertia.nn.autograd;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;

/**
 * The numerics guard, per thread, like PyTorch's {@code torch.autograd.detect_anomaly()}: while on,
 * every op result is checked for NaN or ±Inf as it is made, and every gradient a node's backward hands
 * out is checked as it arrives; the first op that turns finite inputs into a non-finite value throws a
 * {@link NumericAnomalyException} naming the op, the phase (forward or backward), the tensor's shape and
 * the first bad element. A non-finite value that comes from outside the graph (a leaf, a seed) is named
 * as such. Each check reads the whole tensor, so the mode is for hunting a bug, not for production:
 *
 * {@snippet class="org.inertia.nn.snippets.DocSnippets" region="anomaly-guard"}
 */
public final class AnomalyMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private AnomalyMode() {
    }

    /**
     * Whether this thread checks ops now.
     *
     * @return true inside an {@link #on()} scope on this thread
     */
    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /**
     * Turns the checks on until the returned scope is closed (then restores the previous state).
     *
     * @return the scope to close (try-with-resources)
     */
    public static GradMode.Restore on() {
        boolean previous = ENABLED.get();
        ENABLED.set(true);
        return () -> ENABLED.set(previous);
    }

    /**
     * Flat index (row-major) of the first NaN or ±Inf element of {@code a}, or −1 if all are finite.
     *
     * @param a the array to scan (I32 arrays are always finite)
     * @return the flat index, or −1
     */
    public static long firstNonFinite(NdArray a) {
        if (a.dtype() == Dtype.I32) {
            return -1;
        }
        long[] found = {-1};
        long[] k = {0};
        a.forEachOffset(off -> {
            if (found[0] < 0 && !Double.isFinite(a.getAtOffset(off))) {
                found[0] = k[0];
            }
            k[0]++;
        });
        return found[0];
    }

    /** Forward check of an op's result. */
    static void checkForward(Node node, NdArray[] outs) {
        for (int j = 0; j < outs.length; j++) {
            long bad = firstNonFinite(outs[j]);
            if (bad < 0) {
                continue;
            }
            Tensor[] in = node.inputs();
            for (int i = 0; i < in.length; i++) {
                long inBad = firstNonFinite(in[i].data());
                if (inBad >= 0) {
                    throw new NumericAnomalyException("forward of '" + node.name() + "' got a non-finite input " + i
                            + " of shape " + in[i].shape() + " (element " + inBad + " is " + valueAt(in[i].data(), inBad)
                            + ") that no checked op produced: a leaf, or a value made outside anomaly mode");
                }
            }
            throw new NumericAnomalyException("forward of '" + node.name() + "' produced " + valueAt(outs[j], bad)
                    + " at element " + bad + " of output " + j + " (shape " + outs[j].shape()
                    + ") from finite inputs");
        }
    }

    /** Backward check of the gradient {@code node} handed to input {@code i}. */
    static void checkBackward(Node node, int i, NdArray grad) {
        long bad = firstNonFinite(grad);
        if (bad >= 0) {
            throw new NumericAnomalyException("backward of '" + node.name() + "' produced " + valueAt(grad, bad)
                    + " at element " + bad + " of the gradient of input " + i + " (shape " + grad.shape()
                    + ") from finite output gradients");
        }
    }

    /** Backward check of the seed gradient. */
    static void checkSeed(NdArray seed) {
        long bad = firstNonFinite(seed);
        if (bad >= 0) {
            throw new NumericAnomalyException("the seed gradient of backward has " + valueAt(seed, bad) + " at element "
                    + bad + " (shape " + seed.shape() + ")");
        }
    }

    private static double valueAt(NdArray a, long flat) {
        double[] v = {Double.NaN};
        long[] k = {0};
        a.forEachOffset(off -> {
            if (k[0]++ == flat) {
                v[0] = a.getAtOffset(off);
            }
        });
        return v[0];
    }
}
