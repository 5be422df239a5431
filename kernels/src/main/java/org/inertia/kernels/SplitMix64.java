package org.inertia.kernels;

import java.util.random.RandomGenerator;

/**
 * A seedable random generator whose entire state is one {@code long} that can be read and restored,
 * so a training run's randomness (dropout masks, shuffling, noise) resumes exactly from a checkpoint;
 * {@link java.util.Random} and the JDK's other generators do not expose their state.
 *
 * <p>The algorithm is SplitMix64 (Steele, Lea &amp; Flood 2014), fully specified here so that a seed
 * gives the same stream on every JVM, platform and JDK version: the state advances by the golden
 * gamma {@code 0x9E3779B97F4A7C15} and each output is {@link CounterNormal#mix} of the new state. The
 * derived draws are fixed here too (the {@link RandomGenerator} defaults are implementation details
 * that may change between JDK releases): {@link #nextDouble()} = (next &gt;&gt;&gt; 11)·2⁻⁵³,
 * {@link #nextFloat()} = (next &gt;&gt;&gt; 40)·2⁻²⁴, {@link #nextInt()} = the high 32 bits,
 * {@link #nextBoolean()} = the top bit, {@link #nextInt(int)} and {@link #nextLong(long)} by rejection
 * on 63-bit draws (unbiased), {@link #nextGaussian()} by Box–Muller on two draws with {@link StrictMath}
 * (no cached second value, so the state stays one long).
 *
 * <p>Not thread-safe: give each thread its own generator (e.g. {@link #split()}).
 */
public final class SplitMix64 implements RandomGenerator {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    /**
     * A generator whose first output is {@code mix(seed + golden)}.
     *
     * @param seed the seed; any value
     */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * The complete state; {@code new SplitMix64(g.state())} continues exactly where {@code g} is.
     *
     * @return the state word
     */
    public long state() {
        return state;
    }

    /**
     * Restores a state read with {@link #state()}.
     *
     * @param state a state from {@link #state()}
     */
    public void setState(long state) {
        this.state = state;
    }

    @Override
    public long nextLong() {
        state += GOLDEN;
        return CounterNormal.mix(state);
    }

    @Override
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1p-53;
    }

    @Override
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1p-24f;
    }

    @Override
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Uniform in [0, bound): rejection sampling on 63-bit draws removes the modulo bias. */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        return (int) nextLong((long) bound);
    }

    /** Uniform in [0, bound): rejection sampling on 63-bit draws removes the modulo bias. */
    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound; // largest multiple of bound that fits
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    /** A standard normal deviate: Box–Muller with u1 ∈ (0, 1], u2 ∈ [0, 1), in {@link StrictMath}. */
    @Override
    public double nextGaussian() {
        double u1 = ((nextLong() >>> 11) + 1) * 0x1p-53;
        double u2 = (nextLong() >>> 11) * 0x1p-53;
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /**
     * A new generator seeded from this one's next output (for another thread or component).
     *
     * @return the new generator
     */
    public SplitMix64 split() {
        return new SplitMix64(nextLong());
    }

    @Override
    public String toString() {
        return "SplitMix64(state=0x" + Long.toHexString(state) + ")";
    }
}
