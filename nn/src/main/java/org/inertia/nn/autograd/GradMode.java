package org.inertia.nn.autograd;

/**
 * Whether operations record the graph for backward, per thread. {@code try (var s = GradMode.off()) {…}}
 * is PyTorch's {@code torch.no_grad()}: inside it no op records a graph or keeps buffers for backward.
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    /**
     * Whether this thread records graphs now.
     *
     * @return false inside an {@link #off()} scope on this thread
     */
    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /**
     * Turns recording off until the returned scope is closed (then restores the previous state).
     *
     * @return the scope to close (try-with-resources)
     */
    public static Restore off() {
        boolean previous = ENABLED.get();
        ENABLED.set(false);
        return () -> ENABLED.set(previous);
    }

    /** Restores the previous grad mode on close. */
    @FunctionalInterface
    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }
}
