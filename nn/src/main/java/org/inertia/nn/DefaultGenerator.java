package org.inertia.nn;

import org.inertia.kernels.SplitMix64;

/**
 * Where layers built without a generator ({@code new Linear(784, 128)}) draw their initial weights from:
 * each such layer takes its own {@link SplitMix64}, split off one process-wide generator that starts from
 * seed 0. So a program that builds its layers in the same order gets the same weights on every run, and
 * {@link #seed(long)} changes them all at once, as PyTorch's {@code torch.manual_seed} does. Layers given
 * an explicit generator never touch this one. Thread-safe.
 */
public final class DefaultGenerator {
    private static final SplitMix64 ROOT = new SplitMix64(0);

    private DefaultGenerator() {
    }

    /**
     * Restarts the process-wide generator from {@code seed}; layers built afterwards draw from it.
     *
     * @param seed the new seed
     */
    public static synchronized void seed(long seed) {
        ROOT.setState(seed);
    }

    /**
     * A new generator for one layer's initialization, split off the process-wide one.
     *
     * @return a new generator, independent of the ones split off before
     */
    public static synchronized SplitMix64 next() {
        return ROOT.split();
    }
}
