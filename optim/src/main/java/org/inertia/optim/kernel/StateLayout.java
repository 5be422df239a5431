package org.inertia.optim.kernel;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.inertia.kernels.NdArray;

/**
 * Which state buffers a method keeps, in kernel order, under their state-dict (and checkpoint) keys,
 * and how a map of those buffers becomes the method's {@link StepState} record. Each state record's
 * {@code layout} method returns one; the optimizer allocates exactly {@link #keys()}.
 *
 * @param keys   the state-dict keys, e.g. {@code exp_avg}, {@code exp_avg_sq}
 * @param binder builds the record from buffers keyed by {@code keys}
 * @param <S>    the method's state record
 */
public record StateLayout<S extends StepState>(List<String> keys, Function<Map<String, NdArray>, S> binder) {
    /**
     * Keeps an unmodifiable copy of the keys.
     *
     * @throws NullPointerException if {@code keys}, one of them, or {@code binder} is null
     */
    public StateLayout {
        keys = List.copyOf(keys);
        Objects.requireNonNull(binder, "binder");
    }

    /**
     * The state record over {@code buffers} (keyed by {@link #keys()}).
     *
     * @param buffers the allocated buffers by key; a key of the layout that is missing binds as null
     * @return the method's state record, whose components are the given buffers (not copies)
     */
    public S bind(Map<String, NdArray> buffers) {
        return binder.apply(buffers);
    }
}
