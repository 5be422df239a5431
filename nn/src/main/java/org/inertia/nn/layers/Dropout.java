package org.inertia.nn.layers;

import java.util.random.RandomGenerator;
import org.inertia.kernels.SplitMix64;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.DropoutOp;

/**
 * Inverted dropout with probability p in training mode, the identity in evaluation mode. The masks come
 * from the generator registered as {@code rng} ({@link #namedGenerators()}), element by element in
 * row-major order, so a seeded generator reproduces them; with a {@link SplitMix64} (the {@code seed}
 * constructor) its state is saved in checkpoints and a resumed run draws the same masks.
 */
public final class Dropout extends Layer {
    private final double p;
    private final RandomGenerator rng;

    /**
     * Masks are drawn from {@code rng}. Any generator works for training; only a {@link SplitMix64} has
     * a state a checkpoint can save (a {@link java.util.Random} is refused by {@code Checkpoint.save}).
     *
     * @param p probability of zeroing each element in training, in [0, 1)
     * @param rng source of the masks, registered as the generator {@code rng}
     * @throws IllegalArgumentException if {@code p} is outside [0, 1)
     */
    public Dropout(double p, RandomGenerator rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability p must be in [0, 1), got " + p);
        }
        java.util.Objects.requireNonNull(rng, "rng");
        this.p = p;
        this.rng = generator("rng", rng);
    }

    /**
     * Masks from a {@link SplitMix64} seeded with {@code seed}: reproducible and checkpointable.
     *
     * @param p probability of zeroing each element in training, in [0, 1)
     * @param seed the generator's seed
     */
    public Dropout(double p, long seed) {
        this(p, new SplitMix64(seed));
    }

    /**
     * The drop probability.
     *
     * @return p, in [0, 1)
     */
    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() ? DropoutOp.apply(x, p, rng) : x;
    }
}
