package org.inertia.optim;

import java.util.List;
import java.util.Map;
import org.inertia.kernels.NdArray;

/**
 * An optimizer's complete state, detached from it: the method name, the number of steps taken, each
 * group's hyperparameters (immutable records), copies of every per-parameter state buffer (keyed by
 * group and parameter index, in the order they were added, each buffer under its name) and the
 * method's scalar counters (restart counters, last loss, …). Loading it into a fresh optimizer built
 * over the same parameters continues bit-identically. Schedules are configuration, not state: they
 * are not stored (give the new optimizer the same schedules). Owns its buffer copies; close it.
 *
 * @param method  the optimizer's method name ({@link Optimizer#method()}, e.g. {@code "adam"}); loading
 *                checks it
 * @param steps   the number of steps taken, ≥ 0
 * @param hypers  each group's hyperparameter record, in group order
 * @param buffers per group, per parameter (in the order added), the state buffers by key (e.g.
 *                {@code exp_avg}); copies owned by this record, empty maps before the first step
 * @param scalars the method's scalar counters by name (restart counters, last loss, …); empty if none
 */
public record StateDict(String method, long steps, List<Object> hypers, List<List<Map<String, NdArray>>> buffers,
                        Map<String, Double> scalars) implements AutoCloseable {
    /**
     * Keeps unmodifiable copies of the collections (buffer maps and scalars keep their key order), so
     * neither the caller's lists and maps nor the accessors' results can change this record later. The
     * buffers themselves are not copied: they are owned as given.
     *
     * @throws NullPointerException if hypers, buffers, a group's list, a parameter's map, or scalars is null
     */
    public StateDict {
        hypers = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(
                java.util.Objects.requireNonNull(hypers, "hypers")));
        java.util.Objects.requireNonNull(buffers, "buffers");
        List<List<Map<String, NdArray>>> groups = new java.util.ArrayList<>(buffers.size());
        for (List<Map<String, NdArray>> group : buffers) {
            java.util.Objects.requireNonNull(group, "buffers[" + groups.size() + "]");
            List<Map<String, NdArray>> params = new java.util.ArrayList<>(group.size());
            for (Map<String, NdArray> param : group) {
                java.util.Objects.requireNonNull(param, "buffers[" + groups.size() + "][" + params.size() + "]");
                params.add(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(param)));
            }
            groups.add(java.util.Collections.unmodifiableList(params));
        }
        buffers = java.util.Collections.unmodifiableList(groups);
        scalars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                java.util.Objects.requireNonNull(scalars, "scalars")));
    }

    /** Closes every buffer copy; the record must not be loaded afterwards. */
    @Override
    public void close() {
        for (var group : buffers) {
            for (var param : group) {
                for (NdArray a : param.values()) {
                    a.close();
                }
            }
        }
    }
}
