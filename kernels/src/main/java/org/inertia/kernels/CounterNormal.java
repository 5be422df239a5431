package org.inertia.kernels;

/**
 * A counter-based standard normal generator: {@code gaussian(seed, step, index)} is a pure function of
 * its three arguments, so a sampler's noise does not depend on how elements are split over threads or
 * chunks, and a run resumed from a checkpoint draws the same noise as an uninterrupted one.
 *
 * <p>Two 64-bit words come from SplitMix64's finaliser (Steele, Lea, Flood 2014) applied to the key
 * {@code mix(seed) ^ mix(step + golden) ^ (index · golden)} and to that key plus a constant; their top 53
 * bits give u1 ∈ (0, 1] and u2 ∈ [0, 1), and Box–Muller gives z = √(−2 ln u1) · cos(2π u2). The math
 * uses {@link StrictMath} so values are identical on every JVM and before and after JIT compilation.
 * The tails are exact up to |z| ≈ 8.6 (u1 ≥ 2^-53).
 */
public final class CounterNormal {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private CounterNormal() {
    }

    /**
     * SplitMix64's output function (a bijection on 64-bit words with good avalanche).
     *
     * @param z the word to mix
     * @return the mixed word
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The per-(seed, step) stream key; kernels compute it once per call.
     *
     * @param seed the random seed
     * @param step the step counter, e.g. the training step
     * @return the stream key
     */
    public static long streamKey(long seed, long step) {
        return mix(seed) ^ mix(step + GOLDEN);
    }

    /**
     * A standard normal deviate for element {@code index} of the stream {@code streamKey(seed, step)}.
     *
     * @param streamKey the key from {@link #streamKey(long, long)}
     * @param index the element index within the stream
     * @return a standard normal deviate, the same for the same arguments
     */
    public static double gaussian(long streamKey, long index) {
        long key = streamKey ^ (index * GOLDEN);
        long h1 = mix(key);
        long h2 = mix(key + 0x632BE59BD9B4E019L);
        double u1 = ((h1 >>> 11) + 1) * 0x1p-53;
        double u2 = (h2 >>> 11) * 0x1p-53;
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /**
     * {@code gaussian(streamKey(seed, step), index)}.
     *
     * @param seed the random seed
     * @param step the step counter, e.g. the training step
     * @param index the element index within the stream
     * @return a standard normal deviate, the same for the same arguments
     */
    public static double gaussian(long seed, long step, long index) {
        return gaussian(streamKey(seed, step), index);
    }
}
