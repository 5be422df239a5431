package org.inertia.nn.layers;

import java.util.random.RandomGenerator;
import org.inertia.nn.Tensor;
import org.inertia.nn.ops.DropoutOp;

/** Inverted dropout with probability p in training mode, the identity in evaluation mode. */
public final class Dropout extends Layer {
    private final double p;
    private final RandomGenerator rng;

    /** Masks are drawn from {@code rng} (seed it for reproducible runs). */
    public Dropout(double p, RandomGenerator rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() ? DropoutOp.apply(x, p, rng) : x;
    }
}
