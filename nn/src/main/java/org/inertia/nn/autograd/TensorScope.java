package org.inertia.nn.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Owns the intermediate tensors created on this thread while it is open, and closes them — with their
 * off-heap buffers — when it closes. A training step inside a scope therefore releases every activation
 * at its end, and memory does not grow from step to step:
 *
 * {@snippet class="org.inertia.nn.snippets.DocSnippets" region="scope-step"}
 *
 * Leaves created with {@link Tensor#parameter} or {@link Tensor#constant} are never owned by a scope;
 * {@link #keep(Tensor)} moves a result out to the enclosing scope (or to the caller), which then closes
 * it. A tensor used after its scope closed throws {@link IllegalStateException} saying so.
 *
 * <p><b>Forgetting a scope.</b> Off-heap memory is not freed by the garbage collector, so op results made
 * outside any scope and never closed leak. A leak detector watches them (as Netty's does its buffers): it
 * counts their open bytes, records the creation site of one in 64 (a short stack walk; nothing at all for
 * tensors made inside a scope), and when the open bytes pass 256 MiB logs one warning through
 * {@link System.Logger} naming a recorded creation site and the fix, then again at every doubling. The
 * system property {@code inertia.leaks.threshold} sets the bytes of the first warning (0 turns the
 * detector off) and {@code inertia.leaks.sampling} the sampling (1 records every site). It reports rather
 * than frees: a buffer whose array the JIT considers unreachable may still be in a kernel's hands.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<Deque<TensorScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private TensorScope() {
    }

    /**
     * Opens a scope on this thread, nested inside the current one if any.
     *
     * @return the new scope, which the caller closes (try-with-resources)
     */
    public static TensorScope open() {
        TensorScope s = new TensorScope();
        STACK.get().push(s);
        return s;
    }

    /** Registers an op result with the innermost open scope of this thread; false if there is none. */
    static boolean register(Tensor t) {
        TensorScope s = STACK.get().peek();
        if (s != null) {
            s.owned.add(t);
            return true;
        }
        return false;
    }

    /**
     * Moves {@code t} out of this scope into the enclosing one (or to the caller if none).
     *
     * @param t a tensor this scope owns (a tensor it does not own is returned unchanged)
     * @return {@code t}, now owned by the enclosing scope, or by the caller if there is none
     */
    public Tensor keep(Tensor t) {
        if (owned.remove(t)) {
            Deque<TensorScope> stack = STACK.get();
            TensorScope outer = null;
            boolean found = false;
            for (TensorScope s : stack) { // innermost first
                if (found) {
                    outer = s;
                    break;
                }
                found = s == this;
            }
            if (outer != null) {
                outer.owned.add(t);
            } else {
                t.leftScope(); // the caller's now: the leak detector watches it
            }
        }
        return t;
    }

    /**
     * Number of tensors this scope will close.
     *
     * @return how many tensors this scope owns now
     */
    public int size() {
        return owned.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a TensorScope must be closed by the thread that opened it");
        }
        closed = true;
        Deque<TensorScope> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("TensorScopes must be closed innermost first");
        }
        stack.pop();
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
