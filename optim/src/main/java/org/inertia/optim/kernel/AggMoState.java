package org.inertia.optim.kernel;

import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * AggMo's state: one zero-initialised velocity per β (keys {@code velocity0}, {@code velocity1}, …).
 *
 * @param velocities v_0 … v_{K−1}, one per β, in β's order
 */
public record AggMoState(List<NdArray> velocities) implements StepState {
    /** The key prefix; velocity i is {@code "velocity" + i}. */
    public static final String VELOCITY = "velocity";

    /**
     * Keeps an unmodifiable copy of the list (its elements may be null).
     *
     * @throws NullPointerException if {@code velocities} is null
     */
    public AggMoState {
        java.util.Objects.requireNonNull(velocities, "velocities");
        velocities = java.util.Collections.unmodifiableList(new ArrayList<>(velocities)); // elements may be null
    }

    /**
     * The buffers for K velocities.
     *
     * @param k K ≥ 1, the number of velocities (the number of β)
     * @return the layout with keys {@code velocity0} … {@code velocity<K−1>}
     * @throws IllegalArgumentException if k &lt; 1
     */
    public static StateLayout<AggMoState> layout(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("AggMo needs at least one velocity, got k = " + k);
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            keys.add(VELOCITY + i);
        }
        return new StateLayout<>(keys, b -> new AggMoState(keys.stream().map(b::get).toList()));
    }
}
